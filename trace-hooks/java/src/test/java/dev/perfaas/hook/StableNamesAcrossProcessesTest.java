package dev.perfaas.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two JVMs run the same code ({@link StableNamesChild}) under the async engine, one after making
 * other lambdas, a proxy and an accessor first, so the JVM names the same classes differently in
 * each. Their profiles name the same frames: the stacks of two instances merge.
 */
class StableNamesAcrossProcessesTest {
    @TempDir
    Path dir;

    @Test
    void twoProcessesRunningTheSameCodeNameTheSameFrames() throws Exception {
        List<String> plain = child("plain");
        List<String> shifted = child("shifted");
        assertNotEquals(plain.get(0), shifted.get(0), "the lambda has another name in each process");
        assertNotEquals(plain.get(1), shifted.get(1), "the proxy has another name in each process");

        Path a = Path.of(plain.get(2));
        Path b = Path.of(shifted.get(2));
        Set<String> trunkA = trunk(a);
        Set<String> trunkB = trunk(b);
        assertEquals(trunkA, trunkB, "the frames in most samples");
        for (String frame : List.of(
                "dev.perfaas.hook.StableNamesChild$$Lambda.run",
                "jdk.proxy.$Proxy.run",
                "jdk.internal.reflect.GeneratedMethodAccessor.invoke",
                "java.lang.invoke.LambdaForm$MH.invokeExact_MT",
                "dev.perfaas.hook.StableNamesChild.spin")) {
            assertTrue(trunkA.contains(frame), frame + " not in " + trunkA);
        }
        for (Path p : List.of(a, b)) {
            Set<String> frames = Profiles.frameNames(p);
            List<String> unstable = frames.stream()
                    .filter(f -> f.contains("0x") || f.matches(".*\\$Lambda\\$\\d.*"))
                    .toList();
            assertEquals(List.of(), unstable, "frames with an address or a lambda's number in " + p);
        }
        System.out.println("[names] frames in most samples of both processes: " + trunkA);
    }

    /** The frames found in at least half of a profile's samples: the stack every call goes through. */
    private static Set<String> trunk(Path gz) throws IOException {
        Map<String, Integer> samplesWith = new HashMap<>();
        int samples = 0;
        Set<String> inSample = new TreeSet<>();
        for (String line : Profiles.lines(gz)) {
            if (PerfScript.sampleTimeNanos(line) >= 0) {
                samples++;
                inSample.clear();
            } else if (line.startsWith("\t")) {
                String frame = line.strip();
                if (inSample.add(frame)) {
                    samplesWith.merge(
                            frame.substring(frame.indexOf(' ') + 1, frame.lastIndexOf(" (")), 1, Integer::sum);
                }
            }
        }
        assertTrue(samples > 100, samples + " samples in " + gz);
        Set<String> trunk = new TreeSet<>();
        int all = samples;
        samplesWith.forEach((frame, n) -> {
            if (n * 2 >= all) {
                trunk.add(frame);
            }
        });
        return trunk;
    }

    /** Runs {@link StableNamesChild} in a JVM of its own; returns the lines it printed. */
    private List<String> child(String mode) throws Exception {
        Path out = dir.resolve(mode + ".out");
        Process p = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        StableNamesChild.class.getName(),
                        Files.createDirectories(dir.resolve(mode)).toString(),
                        mode)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
        String printed = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), printed);
        List<String> lines = printed.lines().toList();
        return lines.subList(lines.size() - 3, lines.size());
    }
}
