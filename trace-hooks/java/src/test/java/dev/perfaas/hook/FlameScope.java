package dev.perfaas.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens a profile the hook wrote as Netflix FlameScope does, with the FlameScope oracle
 * (testing/flamescope-oracle). The oracle is on the test classpath in the repository's build, which
 * then sets perfaas.flamescope-oracle=required (trace-hooks/java/pom.xml, profile flamescope-oracle);
 * the function image builds the hook with its tests from the template's folder, where the oracle does
 * not exist, so there it is reached by reflection and the check is skipped with a notice.
 */
final class FlameScope {

    private static final String ORACLE = "dev.perfaas.flamescope.FlameScopeOracle";
    private static final boolean REQUIRED = "required".equals(System.getProperty("perfaas.flamescope-oracle"));
    private static final Method READ = readMethod();

    private FlameScope() {}

    /** The profile file (gzip or text) opens in FlameScope with {@code samples} samples in its heat map and flame graph. */
    static void assertOpens(Path file, long samples) throws IOException {
        assertOpens(file.getFileName().toString(), Files.readAllBytes(file), samples);
    }

    /** As {@link #assertOpens(Path, long)}; {@code samples} -1 checks only that FlameScope opens it. */
    static void assertOpens(String name, byte[] content, long samples) {
        if (READ == null) {
            return;
        }
        Object reading;
        try {
            reading = READ.invoke(null, name, content);
        } catch (InvocationTargetException e) {
            throw new AssertionError("FlameScope would not show " + e.getCause().getMessage(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        if (samples >= 0) {
            assertEquals(samples, count(reading, "heatmapSamples"), "FlameScope's heat map of " + name);
            assertEquals(samples, count(reading, "flameGraphSamples"), "FlameScope's flame graph of " + name);
        }
    }

    private static long count(Object reading, String method) {
        try {
            return (long) reading.getClass().getMethod(method).invoke(reading);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Method readMethod() {
        try {
            return Class.forName(ORACLE).getMethod("read", String.class, byte[].class);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            if (REQUIRED) {
                fail("perfaas.flamescope-oracle=required but " + ORACLE + " is not on the test classpath: " + e);
            }
            System.out.println("NOTICE: the FlameScope oracle (testing/flamescope-oracle) is not on the test classpath"
                    + " (the function image's build): profiles are not checked against FlameScope's reading here");
            return null;
        }
    }
}
