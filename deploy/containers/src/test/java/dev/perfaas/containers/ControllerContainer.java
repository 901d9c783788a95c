package dev.perfaas.containers;

import dev.perfaas.launcher.Http;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The controller image on a free port of the host's network, its profile directory (/data/stacks)
 * and state (/data/state) bind-mounted from host folders, as faasd's services mount them.
 */
final class ControllerContainer implements AutoCloseable {
    /** 5 s windows and a 2 s policy refresh and control period instead of 60 s, 10 s, 10 s. */
    static final Map<String, String> SHORT_WINDOWS = Map.of(
            "PERFAAS_POLICY_WINDOW_SECONDS",
            "5",
            "PERFAAS_POLICY_REFRESH_SECONDS",
            "2",
            "PERFAAS_CONTROL_PERIOD",
            "2s");

    final Container container;
    final URI url;
    final Path stacks;
    final Path state;

    private ControllerContainer(Container container, URI url, Path stacks, Path state) {
        this.container = container;
        this.url = url;
        this.stacks = stacks;
        this.state = state;
    }

    /** Created, not started; env adds to the image's (PERFAAS_POLICY_*, PERFAAS_CONTROL_*, ...). */
    static ControllerContainer create(Path dir, Map<String, String> env) throws IOException {
        Path stacks = ownedByImageUser(dir.resolve("stacks"));
        Path state = ownedByImageUser(dir.resolve("state"));
        int port = Http.freePort();
        List<String> options = new ArrayList<>(List.of(
                "--network",
                "host",
                "-e",
                "QUARKUS_HTTP_PORT=" + port,
                "-v",
                stacks + ":/data/stacks",
                "-v",
                state + ":/data/state"));
        env.forEach((k, v) -> options.addAll(List.of("-e", k + "=" + v)));
        return new ControllerContainer(
                Container.create(Images.controller(), options), URI.create("http://127.0.0.1:" + port), stacks, state);
    }

    static ControllerContainer start(Path dir, Map<String, String> env) throws IOException {
        ControllerContainer c = create(dir, env);
        c.container.start();
        c.awaitReady();
        return c;
    }

    void awaitReady() {
        Ready.awaitOk(url.resolve("/q/health/ready"), container);
    }

    /**
     * A host folder the image's user (a fixed uid, USER in the Dockerfile) can write, as deploy/faasd
     * asks the operator to make it; without root to chown, a folder anyone can write.
     */
    private static Path ownedByImageUser(Path dir) throws IOException {
        Files.createDirectories(dir);
        int uid = imageUid();
        try {
            Files.setAttribute(dir, "unix:uid", uid);
            Files.setAttribute(dir, "unix:gid", uid);
        } catch (IOException | UnsupportedOperationException e) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        return dir;
    }

    static int imageUid() throws IOException {
        Matcher m = Pattern.compile("(?m)^USER (\\d+)$")
                .matcher(Files.readString(Checkout.path("deploy/controller.Dockerfile")));
        if (!m.find()) {
            throw new IllegalStateException("deploy/controller.Dockerfile names no numeric USER");
        }
        return Integer.parseInt(m.group(1));
    }

    @Override
    public void close() {
        container.close();
    }
}
