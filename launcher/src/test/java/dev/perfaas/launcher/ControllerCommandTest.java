package dev.perfaas.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./perfaas controller} as a user runs it: the launcher in its own JVM (as the script
 * starts it), the controller its child, its exit status what the shell sees.
 */
class ControllerCommandTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path work;

    /**
     * What holds the port answers like a controller already running there (200 to everything),
     * which is how the launcher used to take it for the new one, print its banner and exit 0.
     */
    @Test
    void onABusyPortItExitsNonZeroNamingThePortAndHowToChooseAnother() throws Exception {
        HttpServer other = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        other.createContext("/", ex -> {
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        other.start();
        try {
            int port = other.getAddress().getPort();
            Process launcher = launcher("controller", "--port", Integer.toString(port));
            assertTrue(launcher.waitFor(2, TimeUnit.MINUTES), "the launcher still runs: " + output());
            String out = output();
            assertEquals(2, launcher.exitValue(), out);
            assertTrue(out.contains("port " + port + " is in use"), out);
            assertTrue(out.contains("choose another with ./perfaas controller --port P"), out);
            assertFalse(out.contains("profiles in"), out);
        } finally {
            other.stop(0);
        }
    }

    /** The controller is the foreground process: when it fails, ./perfaas fails with its exit code. */
    @Test
    void whenTheControllerDiesTheLauncherExitsWithItsCode() throws Exception {
        Process launcher = launcher("controller", "--port", Integer.toString(Http.freePort()));
        try {
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> output().contains("profiles in") || !launcher.isAlive());
            assertTrue(launcher.isAlive(), output());
            ProcessHandle controller =
                    launcher.toHandle().children().findFirst().orElseThrow();
            assertTrue(controller.destroyForcibly()); // SIGKILL: exit code 137
            assertTrue(launcher.waitFor(1, TimeUnit.MINUTES), "the launcher outlived its controller: " + output());
            assertEquals(137, launcher.exitValue(), output());
            assertTrue(output().contains("the controller exited with code 137"), output());
        } finally {
            launcher.destroyForcibly();
        }
    }

    /** Main run as ./perfaas runs it, from this checkout's classes, in the test's folder (the controller's ./data goes there). */
    private Process launcher(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                ControllerProcess.javaBin(),
                "-cp",
                ROOT.resolve("launcher/target/classes") + ":" + ROOT.resolve("launcher/target/lib") + "/*",
                "dev.perfaas.launcher.Main",
                "--root",
                ROOT.toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd)
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("out.txt").toFile())
                .start();
    }

    private String output() throws IOException {
        return Files.readString(work.resolve("out.txt"));
    }
}
