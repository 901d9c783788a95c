package dev.perfaas.launcher;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A function served by the template's runtime, started with the template's own run.sh from a
 * build context (template + function/) exactly as of-watchdog's fprocess starts it.
 */
public final class FunctionProcess extends ManagedProcess {
    public final URI url;

    private FunctionProcess(String name, ProcessBuilder b, Path log, URI url) throws IOException {
        super(name, b, log);
        this.url = url;
    }

    public static FunctionProcess start(
            String name, Path buildContext, int port, URI controller, Map<String, String> env, Path log)
            throws IOException, InterruptedException {
        Path run = buildContext.resolve("run.sh");
        if (!Files.isRegularFile(run)) {
            throw new IOException(buildContext + " is not a build context: no run.sh");
        }
        ProcessBuilder b = new ProcessBuilder("sh", run.toString());
        b.environment().put("PERFAAS_FUNCTION", name);
        b.environment().put("PERFAAS_PORT", Integer.toString(port));
        b.environment().put("PERFAAS_CONTROLLER", controller.toString());
        b.environment().putAll(env);
        URI url = URI.create("http://127.0.0.1:" + port);
        FunctionProcess f = new FunctionProcess(name, b, log, url);
        if (!Http.awaitOk(url.resolve("/_/ready"), Duration.ofSeconds(60), f::alive)) {
            String tail = f.logTail();
            f.close();
            throw new IOException("function " + name + " did not become ready on port " + port + "; its log:\n" + tail);
        }
        return f;
    }
}
