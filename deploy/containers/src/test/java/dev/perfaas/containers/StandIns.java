package dev.perfaas.containers;

import java.time.Duration;
import java.util.List;

/**
 * The base images the Dockerfiles name (debian:bookworm-slim, maven:3.9-eclipse-temurin-17,
 * eclipse-temurin:17-jre, ghcr.io/openfaas/of-watchdog:0.11.5). Where no registry is reachable they
 * cannot be pulled, so stand-ins/build.sh builds LOCAL STAND-INS under those names, each only when
 * missing; an engine that has the real images keeps them.
 */
final class StandIns {
    /** debootstrap (~2 min) and three apt-based images from cold. */
    private static final Duration TIMEOUT = Duration.ofMinutes(20);

    private static boolean ready;

    private StandIns() {}

    static synchronized void ensure() {
        if (ready) {
            return;
        }
        Docker.Result r = Docker.exec(
                List.of(
                        "sh",
                        Checkout.path("deploy/containers/stand-ins/build.sh").toString()),
                TIMEOUT);
        if (!r.output().isBlank()) {
            System.err.print(r.output());
        }
        if (!r.ok()) {
            throw new IllegalStateException("building the stand-in base images failed:\n" + r.output());
        }
        ready = true;
    }
}
