package dev.perfaas.controller.control;

/**
 * What the law should achieve for a simulated function, worked out from the simulator's own
 * parameters (not from the law), so a test table can say what it expects and have it checked.
 */
enum Outlook {
    /** The sample target costs well under the setpoint at every frequency the law may settle on. */
    REACHABLE,
    /** The sample target costs more than the ceiling at every frequency: overhead must rule. */
    BUDGET_LIMITED,
    /** Perf's baseline alone costs more than the setpoint: only the minimum effort is left. */
    FLOOR_OVER_CEILING,
    /** Fraction 1 at the top frequency is not enough, and still well under the setpoint. */
    SATURATED,
    /** Too close to the ceiling to call; test tables avoid it. */
    AMBIGUOUS;

    /** Reachable means at most this share of maxOverhead: room under the law's 0.9 setpoint for noise. */
    static final double REACHABLE_MARGIN = 0.8;

    static Outlook of(SimulatedFunction sim, Targets targets, LawConfig config) {
        double setpoint = config.overheadSetpoint() * targets.maxOverhead();
        if (sim.baselineCpuPerSecond() / sim.cpuPerSecond() >= setpoint) {
            return FLOOR_OVER_CEILING;
        }
        FrequencyLadder ladder = FrequencyLadder.within(targets.minFrequencyHz(), targets.maxFrequencyHz());
        double effort = neededEffort(sim, targets);
        if (effort > ladder.highest()) {
            double atTop = sim.expectedOverhead(1, ladder.highest());
            return atTop <= REACHABLE_MARGIN * targets.maxOverhead()
                    ? SATURATED
                    : atTop >= targets.maxOverhead() ? BUDGET_LIMITED : AMBIGUOUS;
        }
        double best = Double.POSITIVE_INFINITY;
        double worst = 0;
        for (int hz : FrequencyLadder.RUNGS) {
            double fraction = effort / hz;
            if (hz >= ladder.lowest() && hz <= ladder.highest() && fraction >= targets.minFraction() && fraction <= 1) {
                double overhead = sim.expectedOverhead(fraction, hz);
                best = Math.min(best, overhead);
                worst = Math.max(worst, overhead);
            }
        }
        if (best == Double.POSITIVE_INFINITY) {
            return AMBIGUOUS; // below the minimum effort: not a case the tables use
        }
        return worst <= REACHABLE_MARGIN * targets.maxOverhead()
                ? REACHABLE
                : best >= targets.maxOverhead() ? BUDGET_LIMITED : AMBIGUOUS;
    }

    /** Fraction x frequency that meets the sample target in periods with traffic. */
    static double neededEffort(SimulatedFunction sim, Targets targets) {
        double activeCpu = sim.activeCpuPerSecond(ClosedLoop.PERIOD_SECONDS);
        return targets.samplesPerMinute() / 60 / (sim.sampleEfficiency() * activeCpu);
    }
}
