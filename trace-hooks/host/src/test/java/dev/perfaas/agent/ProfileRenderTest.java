package dev.perfaas.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's profiles of a JVM name its hidden classes alike in every instance: real perf samples a
 * real JVM whose hot frame is a lambda, named from the JVM's own perf map (jcmd Compiler.perfmap),
 * and the rendered profile has the lambda's frame without its per-process number and address.
 */
class ProfileRenderTest {
    private static final Pattern PER_PROCESS = Pattern.compile("\\$\\$Lambda\\$\\d|/0x\\p{XDigit}");

    @Test
    void aJvmsLambdaFramesLoseTheirPerProcessNames(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process jvm = new ProcessBuilder(
                        java,
                        "-XX:+PreserveFramePointer",
                        "-XX:-Inline",
                        "-cp",
                        System.getProperty("java.class.path"),
                        LambdaSpin.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Path map = Path.of("/tmp/perf-" + jvm.pid() + ".map");
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("ready", out.readLine());
            Commands.out(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(jvm.pid()),
                    "Compiler.perfmap"));
            assertTrue(
                    Files.readString(map).contains("LambdaSpin$$Lambda$"),
                    "the JVM's perf map names the lambda with its number and address");
            Path data = dir.resolve("perf.data");
            Commands.out(List.of(
                    "perf",
                    "record",
                    "-e",
                    "cpu-clock",
                    "-F",
                    "499",
                    "-g",
                    "--sample-cpu", // the agent records system-wide, where perf samples the CPU by itself
                    "-p",
                    Long.toString(jvm.pid()),
                    "-o",
                    data.toString(),
                    "--",
                    "sleep",
                    "2"));

            ProfileRender.Rendered r = ProfileRender.render("perf", data, dir.resolve("profile.gz"));

            String text;
            try (var in = new GZIPInputStream(Files.newInputStream(r.file()))) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertTrue(r.samples() > 100, r.samples() + " samples");
            assertTrue(
                    text.contains(" int dev.perfaas.agent.LambdaSpin$$Lambda.applyAsInt(int) (/tmp/perf-"),
                    "the lambda's frame, named alike in every JVM:\n" + head(text));
            List<String> perProcess = text.lines()
                    .filter(l -> l.startsWith("\t") && PER_PROCESS.matcher(l).find())
                    .distinct()
                    .toList();
            assertEquals(List.of(), perProcess, "frames named after this process");
        } finally {
            jvm.getOutputStream().close();
            if (!jvm.waitFor(30, TimeUnit.SECONDS)) {
                jvm.destroyForcibly();
            }
            Files.deleteIfExists(map);
        }
    }

    private static String head(String text) {
        return text.lines().filter(l -> l.startsWith("\t")).distinct().limit(40).reduce("", (a, b) -> a + b + "\n");
    }
}
