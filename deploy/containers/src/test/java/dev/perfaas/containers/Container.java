package dev.perfaas.containers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One container the tests created; closing removes it (also when a test fails). Every container is
 * on the host's network or none: a bridge network would put it on addresses this machine may not reach.
 */
final class Container implements AutoCloseable {
    static final String LABEL = "dev.perfaas.test=containers";
    final String name;

    private Container(String name) {
        this.name = name;
    }

    /** docker create with the given options (which must name --network host or none), not started. */
    static Container create(String image, List<String> options) {
        return create(image, options, List.of());
    }

    /** The same, with the image's command replaced by {@code command} (its arguments, with --entrypoint). */
    static Container create(String image, List<String> options, List<String> command) {
        if (!options.contains("--network")) {
            throw new IllegalArgumentException("name the network: --network host or none");
        }
        String name = "perfaas-test-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> args = new ArrayList<>(List.of("create", "--name", name, "--label", LABEL));
        args.addAll(options);
        args.add(image);
        args.addAll(command);
        Docker.ok(args.toArray(String[]::new));
        return new Container(name);
    }

    void start() {
        Docker.ok("start", name);
    }

    void restart() {
        Docker.ok("restart", "--time", "30", name);
    }

    boolean running() {
        return Docker.run(Docker.SHORT, List.of("inspect", "--format", "{{.State.Running}}", name))
                .output()
                .trim()
                .equals("true");
    }

    /** A field of docker inspect, e.g. {{.Config.User}}. */
    String inspect(String format) {
        return Docker.ok("inspect", "--format", format, name);
    }

    String exec(String... command) {
        List<String> args = new ArrayList<>(List.of("exec", name));
        args.addAll(List.of(command));
        return Docker.ok(args.toArray(String[]::new));
    }

    /** The last lines the container wrote, for failure messages. */
    String logTail() {
        return Docker.run(Docker.SHORT, List.of("logs", "--tail", "80", name)).output();
    }

    @Override
    public void close() {
        Docker.run(Duration.ofSeconds(60), List.of("rm", "-f", "-v", name));
    }
}
