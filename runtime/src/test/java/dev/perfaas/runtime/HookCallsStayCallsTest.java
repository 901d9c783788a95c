package dev.perfaas.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The template's run.sh keeps every hook method the request method calls out of it (a dontinline
 * compile command each), so the request method compiles alike with perfaas on and off. Checked
 * against what run.sh hands java and what javap reads in FunctionServer's bytecode: a renamed or new
 * hook call fails here instead of silently being inlined again.
 */
class HookCallsStayCallsTest {
    private static final Path RUN_SH = Path.of("..", "templates", "java17-perfaas", "run.sh");
    private static final String DONTINLINE = "-XX:CompileCommand=dontinline,dev.perfaas.hook.TraceHook::";

    @Test
    void everyHookMethodTheRequestMethodCallsIsKeptOutOfIt(@TempDir Path dir) throws Exception {
        List<String> args = javaArgumentsOfRunSh(dir);
        Set<String> kept = new TreeSet<>();
        for (String a : args) {
            if (a.startsWith(DONTINLINE)) {
                kept.add(a.substring(DONTINLINE.length()));
            }
        }
        int quiet = args.indexOf("-XX:CompileCommand=quiet");
        assertTrue(
                quiet >= 0
                        && args.stream().filter(a -> a.startsWith(DONTINLINE)).allMatch(a -> args.indexOf(a) > quiet),
                "quiet must come before the compile commands, or the JVM prints them to the function's log: " + args);

        Set<String> called = hookMethodsCalledByServe();
        assertFalse(called.isEmpty(), "javap found no TraceHook call in FunctionServer.serve");
        assertEquals(called, kept, "run.sh's dontinline list against the hook methods FunctionServer.serve calls");
    }

    /** run.sh run with a java that prints its arguments, a line each. */
    private static List<String> javaArgumentsOfRunSh(Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder pb = new ProcessBuilder("sh", RUN_SH.toAbsolutePath().toString()).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().remove("JAVA_OPTS");
        pb.environment().remove("PERFAAS_ENGINE");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "run.sh did not end");
        assertEquals(0, p.exitValue(), "run.sh failed: " + out);
        return out.lines().toList();
    }

    /** The TraceHook methods FunctionServer.serve invokes, as javap disassembles them. */
    private static Set<String> hookMethodsCalledByServe() {
        ToolProvider javap = ToolProvider.findFirst("javap").orElseThrow();
        StringWriter out = new StringWriter();
        int rc = javap.run(
                new PrintWriter(out),
                new PrintWriter(out),
                "-c",
                "-p",
                "-cp",
                System.getProperty("java.class.path"),
                FunctionServer.class.getName());
        assertEquals(0, rc, out.toString());
        String code = out.toString();
        Matcher serve = Pattern.compile(
                        "private void serve\\(com\\.sun\\.net\\.httpserver\\.HttpExchange\\)[^\\n]*\\n"
                                + "((?:(?!\\n\\n).)*)",
                        Pattern.DOTALL)
                .matcher(code);
        assertTrue(serve.find(), "javap shows no serve method:\n" + code);
        Set<String> called = new TreeSet<>();
        Matcher call =
                Pattern.compile("Method dev/perfaas/hook/TraceHook\\.(\\w+):").matcher(serve.group(1));
        while (call.find()) {
            called.add(call.group(1));
        }
        return called;
    }
}
