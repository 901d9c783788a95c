package dev.perfaas.containers;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Whether a Docker engine answers. Without one the suite is skipped, and says so loudly on stderr:
 * a skipped container suite has checked nothing. With PERFAAS_REQUIRE_DOCKER=true (.ci/run sets it)
 * a missing engine fails the suite instead.
 */
final class DockerEngine {
    static final String START_HINT = "start one as root the way .ci/run does:\n"
            + "    dockerd --bridge=none --iptables=false --ip-forward=false --ip-masq=false &\n"
            + "then run: mvn -B verify -pl deploy/containers -am";
    private static Docker.Result info;

    private DockerEngine() {}

    static synchronized void assumeRunning() {
        boolean required = Boolean.parseBoolean(System.getenv("PERFAAS_REQUIRE_DOCKER"));
        String outcome = required ? "FAIL (PERFAAS_REQUIRE_DOCKER=true)" : "are SKIPPED";
        if (info == null) {
            info = Docker.run(Duration.ofSeconds(30), List.of("info", "--format", "{{.ServerVersion}}"));
            if (!info.ok()) {
                warn(outcome, info.output());
            }
        }
        if (info.ok()) {
            return;
        }
        String why = "no Docker engine answers `docker info`, so the container tests " + outcome + ": " + START_HINT;
        if (required) {
            fail(why);
        }
        Assumptions.assumeTrue(false, why);
    }

    private static void warn(String outcome, String output) {
        String rule = "!".repeat(100);
        System.err.println("\n" + rule + "\n!!! perfaas container tests " + outcome
                + ": no Docker engine answers `docker info`.\n"
                + "!!! Nothing about the function or controller images was checked.\n!!! `docker info` said: "
                + output.strip().replace("\n", "\n!!!   ") + "\n!!! To run them, " + START_HINT.replace("\n", "\n!!! ")
                + "\n" + rule + "\n");
    }
}
