package dev.perfaas.containers;

import dev.perfaas.launcher.Http;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The function image run as the image says (its USER and CMD, of-watchdog's place taken by the
 * stand-in, which runs fprocess), with no added capability, a read-only root filesystem and only
 * /tmp writable (Docker's tmpfs defaults: noexec, nosuid, nodev). The runtime gets a free port of
 * the host's network (PERFAAS_PORT), where the tests talk to it directly.
 */
final class FunctionContainer implements AutoCloseable {
    final Container container;
    final URI url;

    private FunctionContainer(Container container, URI url) {
        this.container = container;
        this.url = url;
    }

    /** Created, not started; options add to the defaults (--security-opt ...), env to the function's. */
    static FunctionContainer create(String function, URI controller, List<String> options, Map<String, String> env)
            throws IOException {
        return create(Images.function(), function, controller, options, env);
    }

    /** The same from another image of the template (Images.perfFunction()). */
    static FunctionContainer create(
            String image, String function, URI controller, List<String> options, Map<String, String> env)
            throws IOException {
        int port = Http.freePort();
        List<String> all = new ArrayList<>(List.of(
                "--network",
                "host",
                "--read-only",
                "--tmpfs",
                "/tmp",
                "-e",
                "PERFAAS_PORT=" + port,
                "-e",
                "PERFAAS_FUNCTION=" + function,
                "-e",
                "PERFAAS_CONTROLLER=" + controller));
        env.forEach((k, v) -> all.addAll(List.of("-e", k + "=" + v)));
        all.addAll(options);
        return new FunctionContainer(Container.create(image, all), URI.create("http://127.0.0.1:" + port));
    }

    static FunctionContainer start(String function, URI controller, List<String> options, Map<String, String> env)
            throws IOException {
        return start(Images.function(), function, controller, options, env);
    }

    static FunctionContainer start(
            String image, String function, URI controller, List<String> options, Map<String, String> env)
            throws IOException {
        FunctionContainer f = create(image, function, controller, options, env);
        f.container.start();
        f.awaitReady();
        return f;
    }

    /** The Dockerfile's ready_path, which of-watchdog forwards to the runtime. */
    void awaitReady() {
        Ready.awaitOk(url.resolve("/_/ready"), container);
    }

    @Override
    public void close() {
        container.close();
    }
}
