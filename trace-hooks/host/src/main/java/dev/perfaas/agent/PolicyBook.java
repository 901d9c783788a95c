package dev.perfaas.agent;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each function's policy, polled from the controller every {@code refreshSeconds} by the agent's main
 * thread and read by the samplers. As in the hook, a policy is kept for three refresh periods
 * after the controller stops answering, then nothing is sampled until it answers again.
 */
final class PolicyBook {
    private static final System.Logger LOG = System.getLogger("perfaas-agent");
    private static final int KEEP_PERIODS = 3;

    private record Held(Policy policy, long answeredNanos, long nextPollNanos) {}

    private final ControllerApi api;
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    PolicyBook(ControllerApi api) {
        this.api = api;
    }

    /** The policy to follow for {@code function} now. */
    Policy get(String function) {
        Held h = held.get(function);
        if (h == null) {
            return Policy.OFF;
        }
        long age = System.nanoTime() - h.answeredNanos();
        return age > KEEP_PERIODS * h.policy().refreshSeconds() * 1_000_000_000L ? Policy.OFF : h.policy();
    }

    /** Polls {@code function}'s policy when it is due, naming {@code instance} as a hook does. */
    void poll(String function, String instance) throws InterruptedException {
        long now = System.nanoTime();
        Held h = held.get(function);
        if (h != null && now - h.nextPollNanos() < 0) {
            return;
        }
        try {
            Policy p = api.policy(function, instance);
            held.put(function, new Held(p, now, now + p.refreshSeconds() * 1_000_000_000L));
        } catch (IOException | IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "policy of " + function + ": " + e.getMessage());
            Policy last = h == null ? Policy.OFF : h.policy();
            long answered = h == null ? now : h.answeredNanos(); // never answered: OFF either way
            held.put(function, new Held(last, answered, now + last.refreshSeconds() * 1_000_000_000L));
        }
    }

    /** Forgets the functions not in {@code present}. */
    void retain(Set<String> present) {
        held.keySet().retainAll(present);
    }
}
