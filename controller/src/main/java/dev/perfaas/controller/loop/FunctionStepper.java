package dev.perfaas.controller.loop;

import dev.perfaas.controller.control.ControlLaw;
import dev.perfaas.controller.control.Decision;
import dev.perfaas.controller.control.InControl;
import dev.perfaas.controller.control.LawState;
import dev.perfaas.controller.control.Measurement;
import dev.perfaas.controller.control.Targets;
import java.util.ArrayList;
import java.util.List;

/** Runs the law for one function and keeps its record: state, published policy, status, history. */
final class FunctionStepper {

    private final ControlLaw law;
    private final int historySize;
    // A period without work: the law's own way to bring a state inside new targets and learn nothing.
    private final Measurement idle;

    FunctionStepper(ControlLaw law, int historySize, double periodSeconds) {
        this.law = law;
        this.historySize = historySize;
        this.idle = new Measurement(periodSeconds, 0, 0, 0, 0, 0);
    }

    /**
     * A function the loop sees for the first time gets the law's state for its conservative prior,
     * the policy it was answered until now unless its targets moved it. Its first reports are not a
     * step: the law judges a period at the effort it applied, and that effort may have been set
     * before the law had a state for the function. Their overhead and sample ratio are measured all
     * the same, and shown from this first look on.
     */
    FunctionControl first(Targets targets, PublishedPolicy answered, MeasuredPeriod period, long nowMillis) {
        LawState prior = law.initial(targets, period.engine());
        PublishedPolicy policy = answered.next(prior.fraction(), prior.frequencyHz());
        String label = InControl.PRIOR.label();
        Measurement m = period.measurement();
        Double overhead = m.hasData() ? m.overhead() : null;
        Double sampleRatio = m.hasData() ? m.sampleRatio(targets) : null;
        return new FunctionControl(
                prior,
                policy,
                new ControlStatus(overhead, sampleRatio, label, false, nowMillis),
                List.of(new HistoryEntry(
                        nowMillis,
                        period,
                        overhead,
                        sampleRatio,
                        policy.fraction(),
                        policy.frequencyHz(),
                        policy.version(),
                        label,
                        false)));
    }

    FunctionControl step(FunctionControl previous, Targets targets, MeasuredPeriod period, long nowMillis) {
        Measurement m = period.measurement();
        Decision d = law.step(previous.state(), m, targets);
        PublishedPolicy policy = previous.policy().next(d.fraction(), d.frequencyHz());
        // An idle period measured nothing: the status keeps the last figures that were measured.
        Double overhead = m.hasData() ? d.overhead() : null;
        Double sampleRatio = m.hasData() ? d.sampleRatio() : null;
        ControlStatus status = new ControlStatus(
                m.hasData() ? overhead : previous.status().overhead(),
                m.hasData() ? sampleRatio : previous.status().sampleRatio(),
                d.inControl().label(),
                d.budgetLimited(),
                nowMillis);
        HistoryEntry entry = new HistoryEntry(
                nowMillis,
                period,
                overhead,
                sampleRatio,
                policy.fraction(),
                policy.frequencyHz(),
                policy.version(),
                d.inControl().label(),
                d.budgetLimited());
        return new FunctionControl(d.next(), policy, status, appended(previous.history(), entry));
    }

    /** The record with its policy inside {@code targets}; the same record when it already is. */
    FunctionControl retarget(FunctionControl control, Targets targets) {
        Decision d = law.step(control.state(), idle, targets);
        PublishedPolicy policy = control.policy().next(d.fraction(), d.frequencyHz());
        return policy == control.policy()
                ? control
                : new FunctionControl(d.next(), policy, control.status(), control.history());
    }

    private List<HistoryEntry> appended(List<HistoryEntry> history, HistoryEntry entry) {
        List<HistoryEntry> next = new ArrayList<>(history);
        next.add(entry);
        return next.subList(Math.max(0, next.size() - historySize), next.size());
    }
}
