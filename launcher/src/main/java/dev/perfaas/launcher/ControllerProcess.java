package dev.perfaas.launcher;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The perfaas controller (the Quarkus app built under controller/target) as a child process. */
public final class ControllerProcess extends ManagedProcess {
    public final URI url;

    private ControllerProcess(ProcessBuilder b, Path log, URI url) throws IOException {
        super("controller", b, log);
        this.url = url;
    }

    /**
     * Starts the controller on 127.0.0.1:port with its profiles in stacksDir, and waits until
     * it is ready. {@code settings} are extra configuration properties (perfaas.policy.*, ...).
     */
    public static ControllerProcess start(
            Project project, int port, Path stacksDir, Map<String, String> settings, Path log)
            throws IOException, InterruptedException {
        Path jar = project.controllerJar();
        if (!Files.isRegularFile(jar)) {
            throw new IOException("controller not built: " + jar + " is missing (run mvn -B install)");
        }
        // The heap the image gives at the manifests' 512Mi limit (MaxRAMPercentage=50): on a host
        // without a memory limit the JVM would size it from all of the host's memory.
        List<String> cmd = new ArrayList<>(List.of(
                javaBin(),
                "-Xmx256m",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dperfaas.stacks-dir=" + stacksDir.toAbsolutePath()));
        settings.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-jar", jar.toString()));
        URI url = URI.create("http://127.0.0.1:" + port);
        ControllerProcess c = new ControllerProcess(new ProcessBuilder(cmd), log, url);
        if (!Http.awaitOk(url.resolve("/q/health/ready"), Duration.ofSeconds(60), c::alive)) {
            String tail = c.logTail();
            c.close();
            throw new IOException("the controller did not become ready on port " + port + "; its log:\n" + tail);
        }
        return c;
    }

    public static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
