package dev.perfaas.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The node agent's main loop: every {@code refreshSeconds} it asks each discovery for the function
 * instances on this node, starts a sampler for each new one and stops those of instances gone; every
 * second it polls the policies that are due. A discovery that cannot be read keeps its last answer,
 * so a restarting Docker engine does not stop every sampler.
 */
final class NodeAgent implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("perfaas-agent");

    private final List<Discovery> discoveries;
    private final PolicyBook policies;
    private final ControllerApi api;
    private final Uplink uplink = new Uplink();
    private final String perfCommand;
    private final Path work;
    private final int refreshSeconds;
    private final Map<Discovery, List<Instance>> lastSeen = new HashMap<>();
    /** Keyed by source, function and instance name. */
    private final Map<String, InstanceSampler> samplers = new LinkedHashMap<>();

    private static final Path PROC = Path.of("/proc");
    /** What was logged about instances left alone, so each is said once. */
    private final Set<String> warned = new HashSet<>();

    NodeAgent(List<Discovery> discoveries, ControllerApi api, String perfCommand, Path work, int refreshSeconds) {
        this.discoveries = discoveries;
        this.api = api;
        this.policies = new PolicyBook(api);
        this.perfCommand = perfCommand;
        this.work = work;
        this.refreshSeconds = refreshSeconds;
    }

    void run() throws InterruptedException {
        long nextScan = System.nanoTime();
        while (!Thread.currentThread().isInterrupted()) {
            if (System.nanoTime() - nextScan >= 0) {
                refresh();
                nextScan = System.nanoTime() + TimeUnit.SECONDS.toNanos(refreshSeconds);
            }
            Map<String, String> oneInstanceOf = new LinkedHashMap<>();
            for (InstanceSampler s : samplers.values()) {
                oneInstanceOf.putIfAbsent(s.instance().function(), s.instance().name());
            }
            for (Map.Entry<String, String> f : oneInstanceOf.entrySet()) {
                policies.poll(f.getKey(), f.getValue());
            }
            TimeUnit.SECONDS.sleep(1);
        }
    }

    /** Picks up new instances and drops those gone. */
    void refresh() {
        Map<String, Instance> now = new LinkedHashMap<>();
        for (Discovery d : discoveries) {
            List<Instance> found;
            try {
                found = d.scan();
                lastSeen.put(d, found);
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, d.source() + " discovery failed, keeping its last answer: " + e);
                found = lastSeen.getOrDefault(d, List.of());
            }
            for (Instance i : found) {
                String key = d.source() + "/" + i.function() + "/" + i.name();
                String skip = LeftAlone.reason(i, PROC);
                if (skip != null) {
                    if (warned.add(key + ": " + skip)) {
                        LOG.log(System.Logger.Level.WARNING, "not sampled: " + key + ": " + skip);
                    }
                    continue;
                }
                now.put(key, i);
            }
        }
        for (String gone : new ArrayList<>(samplers.keySet())) {
            if (!now.containsKey(gone)) {
                LOG.log(System.Logger.Level.INFO, "instance gone: " + gone);
                samplers.remove(gone).close();
            }
        }
        Set<String> functions = new HashSet<>();
        now.forEach((key, instance) -> {
            functions.add(instance.function());
            samplers.computeIfAbsent(key, k -> {
                LOG.log(
                        System.Logger.Level.INFO,
                        "instance found: " + k + " (host pid " + instance.hostPid() + ", cgroup "
                                + instance.cgroup().perfEvent() + ")");
                InstanceSampler s = new InstanceSampler(instance, policies, api, uplink, perfCommand, work);
                s.start();
                return s;
            });
        });
        policies.retain(functions);
    }

    @Override
    public void close() {
        samplers.values().forEach(InstanceSampler::close);
        samplers.clear();
        uplink.close();
    }
}
