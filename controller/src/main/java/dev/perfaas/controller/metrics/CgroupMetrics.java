package dev.perfaas.controller.metrics;

import dev.perfaas.controller.PerfaasConfig;
import dev.perfaas.controller.SafeName;
import dev.perfaas.controller.functions.CgroupTotals;
import dev.perfaas.controller.functions.FunctionRegistry;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.Collector;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Each function's CPU, memory and OOM kills from its instances' cgroups (the node agent's reports),
 * under the names OpenFaaS's paid editions give them, so dashboards and queries written for those
 * work: {@code pod_cpu_usage_seconds_total} and {@code pod_memory_working_set_bytes}, labelled
 * {@code function_name} and {@code namespace} (NAME.NAMESPACE's, else perfaas.default-namespace); with {@code perfaas_function_oom_kills_total}, and
 * {@code perfaas_function_cpu_seconds_per_invocation} for every function whose reports know their
 * invocations (hooks', and the agent's where it reads the watchdog). A collector rather than meters:
 * a function has these series only once they are known, and read from live state when scraped.
 */
@Startup
@ApplicationScoped
public class CgroupMetrics {

    static final String CPU = "pod_cpu_usage_seconds";
    static final String WORKING_SET = "pod_memory_working_set_bytes";
    static final String OOM_KILLS = "perfaas_function_oom_kills";
    static final String CPU_PER_INVOCATION = "perfaas_function_cpu_seconds_per_invocation";
    private static final List<String> POD_LABELS = List.of(FunctionMetrics.FUNCTION, "namespace");
    private static final List<String> LABELS = List.of(FunctionMetrics.FUNCTION);

    public CgroupMetrics(PrometheusMeterRegistry prometheus, FunctionRegistry registry, PerfaasConfig config) {
        new Families(registry, config.defaultNamespace()).register(prometheus.getPrometheusRegistry());
    }

    private static final class Families extends Collector {
        private final FunctionRegistry registry;
        private final String defaultNamespace;

        Families(FunctionRegistry registry, String defaultNamespace) {
            this.registry = registry;
            this.defaultNamespace = defaultNamespace;
        }

        @Override
        public List<MetricFamilySamples> collect() {
            List<MetricFamilySamples.Sample> cpu = new ArrayList<>();
            List<MetricFamilySamples.Sample> workingSet = new ArrayList<>();
            List<MetricFamilySamples.Sample> oom = new ArrayList<>();
            List<MetricFamilySamples.Sample> perInvocation = new ArrayList<>();
            for (String function : registry.names()) {
                Optional<CgroupTotals> usage = registry.usage(function);
                if (usage.isPresent()) {
                    CgroupTotals u = usage.get();
                    List<String> pod = List.of(function, SafeName.namespace(function, defaultNamespace));
                    cpu.add(new MetricFamilySamples.Sample(CPU + "_total", POD_LABELS, pod, u.cpuSeconds()));
                    workingSet.add(new MetricFamilySamples.Sample(WORKING_SET, POD_LABELS, pod, u.workingSetBytes()));
                    oom.add(new MetricFamilySamples.Sample(
                            OOM_KILLS + "_total", LABELS, List.of(function), u.oomKills()));
                }
                double seconds = registry.cpuSecondsPerInvocation(function);
                if (!Double.isNaN(seconds)) {
                    perInvocation.add(
                            new MetricFamilySamples.Sample(CPU_PER_INVOCATION, LABELS, List.of(function), seconds));
                }
            }
            return List.of(
                    new MetricFamilySamples(
                            CPU,
                            Type.COUNTER,
                            "CPU of the function's instances since each one's cgroup was made, summed; an instance"
                                    + " gone keeps its last value (node agent)",
                            cpu),
                    new MetricFamilySamples(
                            WORKING_SET,
                            Type.GAUGE,
                            "Memory working set (usage less inactive file pages) of the function's live instances,"
                                    + " summed, as of each one's last report (node agent)",
                            workingSet),
                    new MetricFamilySamples(
                            OOM_KILLS,
                            Type.COUNTER,
                            "Processes the kernel's OOM killer killed in the function's instances' cgroups (node agent)",
                            oom),
                    new MetricFamilySamples(
                            CPU_PER_INVOCATION,
                            Type.GAUGE,
                            "CPU seconds per invocation over the last 100 reports that count invocations (hooks; the"
                                    + " node agent where it reads the function's of-watchdog)",
                            perInvocation));
        }
    }
}
