package dev.perfaas.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A child process with its output in a log file (or on our console when log is null), stopped
 * politely (SIGTERM) so it can flush its last window: on {@link #close()}, or when this JVM exits
 * without closing it (Ctrl-C, a killed bench), so no controller, function or perf outlives us.
 */
public class ManagedProcess implements AutoCloseable {
    public final String name;
    public final Process process;
    final Path log;
    private final Thread stopOnExit = new Thread(this::stop);

    protected ManagedProcess(String name, ProcessBuilder builder, Path log) throws IOException {
        this.name = name;
        this.log = log;
        if (log == null) {
            builder.inheritIO();
        } else {
            Files.createDirectories(log.toAbsolutePath().getParent());
            builder.redirectErrorStream(true).redirectOutput(log.toFile());
        }
        this.process = builder.start();
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    public boolean alive() {
        return process.isAlive();
    }

    public String logTail() {
        if (log == null) {
            return "(see above)";
        }
        try {
            String text = Files.readString(log);
            return text.length() > 3000 ? text.substring(text.length() - 3000) : text;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, then SIGKILL after the grace period. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException e) {
            // The JVM is exiting: the hook runs this very stop.
        }
        stop();
    }

    private void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
