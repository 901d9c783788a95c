package dev.perfaas.controller.loop;

import dev.perfaas.controller.functions.ReceivedReport;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides when a function's pending reports describe the whole function. Instances start at
 * different times, so their windows end at different times: a step on the one report that has come
 * in would count a third of the samples of three instances and triple the effort. A batch waits
 * until every instance of the previous step has reported again; an instance that stays silent for
 * a whole window after the first pending report is taken as gone (scaled down, crashed), and the
 * batch goes without it.
 */
final class BatchGate {

    private BatchGate() {}

    static boolean ready(List<ReceivedReport> pending, Set<String> previousInstances, long nowMillis, long waitMillis) {
        if (pending.isEmpty()) {
            return false;
        }
        long oldest =
                pending.stream().mapToLong(ReceivedReport::receivedMillis).min().orElseThrow();
        Set<String> reporting = pending.stream().map(ReceivedReport::instance).collect(Collectors.toSet());
        return reporting.containsAll(previousInstances) || nowMillis - oldest >= waitMillis;
    }
}
