package dev.perfaas.controller.control;

import java.util.Arrays;
import java.util.List;

/**
 * The perf frequencies the law moves between, clipped to an operator's [min, max].
 * Off-round values, because sampling at exactly 100 or 1000 Hz runs in lockstep with timer-driven
 * work and sees only one phase of it. Neighbouring rungs are 2-2.6x apart, so a frequency change is
 * rare and always worth a perf restart.
 */
public final class FrequencyLadder {

    public static final List<Integer> RUNGS = List.of(19, 49, 99, 199, 499, 997);

    private final int[] rungs;

    private FrequencyLadder(int[] rungs) {
        this.rungs = rungs;
    }

    /** The rungs in [minHz, maxHz]; there must be at least one (see {@link Targets#validate()}). */
    public static FrequencyLadder within(int minHz, int maxHz) {
        int[] inside = RUNGS.stream()
                .mapToInt(Integer::intValue)
                .filter(hz -> hz >= minHz && hz <= maxHz)
                .toArray();
        if (inside.length == 0) {
            throw new IllegalArgumentException("no ladder frequency in [" + minHz + ", " + maxHz + "]");
        }
        return new FrequencyLadder(inside);
    }

    static boolean hasRungWithin(int minHz, int maxHz) {
        return RUNGS.stream().anyMatch(hz -> hz >= minHz && hz <= maxHz);
    }

    public int lowest() {
        return rungs[0];
    }

    public int highest() {
        return rungs[rungs.length - 1];
    }

    /** The rung closest to hz on a log scale (the plant is multiplicative). */
    public int nearest(double hz) {
        int best = rungs[0];
        for (int rung : rungs) {
            if (Math.abs(Math.log(rung / hz)) < Math.abs(Math.log(best / hz))) {
                best = rung;
            }
        }
        return best;
    }

    /** The lowest rung above current where effort needs a fraction of at most maxFraction; else the top. */
    public int up(int current, double effort, double maxFraction) {
        return Arrays.stream(rungs)
                .filter(hz -> hz > current && effort / hz <= maxFraction)
                .findFirst()
                .orElse(highest());
    }

    /** The lowest rung where effort needs a fraction of at most maxFraction; else the top. */
    public int lowestServing(double effort, double maxFraction) {
        return Arrays.stream(rungs)
                .filter(hz -> effort / hz <= maxFraction)
                .findFirst()
                .orElse(highest());
    }

    /** The highest rung below current where effort needs a fraction of at least minFraction; else the bottom. */
    public int down(int current, double effort, double minFraction) {
        int best = lowest();
        for (int hz : rungs) {
            if (hz < current && effort / hz >= minFraction) {
                best = hz;
            }
        }
        return best;
    }
}
