package dev.perfaas.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SafeNameTest {

    static Stream<String> functionNames() {
        return Stream.of(
                "pi",
                "a",
                "0",
                "fn-1",
                "a-b-c",
                "9lives",
                "hello.openfaas-fn",
                "a.b",
                "f".repeat(63),
                "f".repeat(63) + "." + "n".repeat(63));
    }

    static Stream<String> notFunctionNames() {
        // Each of these used to be rewritten, some into a name another function has.
        return Stream.of(
                "Pi",
                "my fn",
                "a\tb",
                "a\0b",
                "a\nb",
                ".hidden",
                "hidden.",
                "-a",
                "a-",
                "a_b",
                "_default",
                "a..b",
                "a.b.c",
                ".",
                "..",
                "../etc",
                "a/b",
                "a\\b",
                "a:b",
                "fn:v1+x",
                "a~b",
                "näme",
                "ünï",
                "ｆｎ",
                "f".repeat(64),
                "a." + "n".repeat(64));
    }

    static Stream<String> instanceNames() {
        return Stream.of(
                "host-1",
                "h",
                "local-4242",
                "pi-6d9f7b8c4-x2x7z-1",
                "Build-Host.local-4242",
                "a_b",
                "ip-10-0-0-1.ec2.internal-7",
                "0ab",
                "A.B",
                "x".repeat(100));
    }

    static Stream<String> notInstanceNames() {
        return Stream.of(
                ".hidden",
                "a.",
                "-a",
                "a-",
                "_a",
                "a_",
                "a/b",
                "a\\b",
                ".",
                "..",
                "../x",
                "a b",
                "a\tb",
                "a\0b",
                "a\nb",
                "a:1",
                "pod a:1",
                "näme",
                "x".repeat(101));
    }

    @ParameterizedTest
    @MethodSource("functionNames")
    void acceptsOpenFaasFunctionNamesAsTheyAre(String name) {
        assertEquals(name, SafeName.function(name));
    }

    @ParameterizedTest
    @MethodSource("notFunctionNames")
    void refusesEveryOtherFunctionName(String name) {
        ApiException e = assertThrows(ApiException.class, () -> SafeName.function(name));
        assertEquals(400, e.status());
        assertEquals(Refusal.INVALID_NAME, e.reason());
        assertEquals(
                " is not allowed: " + SafeName.FUNCTION_RULE,
                e.getMessage().substring(e.getMessage().indexOf(" is not allowed")));
    }

    @ParameterizedTest
    @MethodSource("instanceNames")
    void acceptsPodAndHostNamesAsTheyAre(String name) {
        assertEquals(name, SafeName.instance(name));
    }

    @ParameterizedTest
    @MethodSource("notInstanceNames")
    void refusesEveryOtherInstanceName(String name) {
        ApiException e = assertThrows(ApiException.class, () -> SafeName.instance(name));
        assertEquals(400, e.status());
        assertEquals(Refusal.INVALID_NAME, e.reason());
        assertEquals(
                " is not allowed: " + SafeName.INSTANCE_RULE,
                e.getMessage().substring(e.getMessage().indexOf(" is not allowed")));
    }

    @Test
    void theMessageShowsTheNameWithControlCharactersSpeltOut() {
        assertEquals(
                "function name \"a\\u0009b\" is not allowed: " + SafeName.FUNCTION_RULE,
                assertThrows(ApiException.class, () -> SafeName.function("a\tb"))
                        .getMessage());
        String shown = assertThrows(ApiException.class, () -> SafeName.function("f".repeat(5000)))
                .getMessage();
        assertEquals(
                "function name \"" + "f".repeat(120) + "\"... (5000 characters) is not allowed: "
                        + SafeName.FUNCTION_RULE,
                shown);
    }

    @Test
    void refusesMissingNames() {
        assertEquals(
                "function name is missing or blank",
                assertThrows(ApiException.class, () -> SafeName.function(null)).getMessage());
        assertEquals(
                "function name is missing or blank",
                assertThrows(ApiException.class, () -> SafeName.function(" ")).getMessage());
        assertEquals(
                "instance name is missing or blank",
                assertThrows(ApiException.class, () -> SafeName.instance("")).getMessage());
    }

    @Test
    void absentInstanceTakesTheFallback() {
        assertEquals("unknown", SafeName.instanceOr(null, "unknown"));
        assertEquals("seed", SafeName.instanceOr("", "seed"));
        assertEquals("pod-a", SafeName.instanceOr("pod-a", "seed"));
        assertThrows(ApiException.class, () -> SafeName.instanceOr("pod a", "seed"));
    }
}
