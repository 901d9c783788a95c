package dev.perfaas.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** deploy/seccomp/perf.json: Docker's format, deny by default, perf_event_open allowed. */
class SeccompProfileTest {
    static JsonNode profile;

    @BeforeAll
    static void parse() throws Exception {
        profile = new ObjectMapper()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .readTree(Tree.path("deploy/seccomp/perf.json").toFile());
    }

    /** The rules that name this syscall. */
    static List<JsonNode> rules(String syscall) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode rule : profile.get("syscalls")) {
            for (JsonNode name : rule.get("names")) {
                if (name.asText().equals(syscall)) {
                    out.add(rule);
                }
            }
        }
        return out;
    }

    /** Allowed whatever the arguments, capabilities, kernel or architecture. */
    static boolean allowedOutright(String syscall) {
        return rules(syscall).stream()
                .anyMatch(r -> r.get("action").asText().equals("SCMP_ACT_ALLOW")
                        && !r.has("args")
                        && !r.has("includes")
                        && !r.has("excludes"));
    }

    @Test
    void deniesWhatItDoesNotName() {
        assertEquals("SCMP_ACT_ERRNO", profile.get("defaultAction").asText());
        assertEquals(
                "SCMP_ARCH_X86_64",
                profile.get("archMap").get(0).get("architecture").asText());
    }

    @Test
    void allowsPerfEventOpen() {
        assertTrue(allowedOutright("perf_event_open"));
    }

    @Test
    void allowsWhatTheJvmAndPerfCallAtStart() {
        for (String syscall : List.of(
                "futex",
                "mmap",
                "mprotect",
                "munmap",
                "execve",
                "openat",
                "read",
                "write",
                "ioctl",
                "rt_sigaction",
                "sched_getaffinity",
                "prctl",
                "set_robust_list",
                "rseq",
                "pipe2",
                "poll")) {
            assertTrue(allowedOutright(syscall), syscall);
        }
        assertTrue(
                rules("clone").stream().anyMatch(r -> r.get("action").asText().equals("SCMP_ACT_ALLOW")), "clone");
    }

    @Test
    void clone3FailsAsUnknownSoGlibcFallsBackToClone() {
        List<JsonNode> clone3 = rules("clone3");
        assertEquals(1, clone3.size());
        assertEquals("SCMP_ACT_ERRNO", clone3.get(0).get("action").asText());
        assertEquals(38, clone3.get(0).get("errnoRet").asInt(), "ENOSYS");
    }
}
