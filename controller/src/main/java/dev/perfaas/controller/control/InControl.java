package dev.perfaas.controller.control;

import java.util.Locale;

/** Which part of the law set the policy in a period. */
public enum InControl {
    /** New function, no data yet: the conservative prior policy. */
    PRIOR,
    /** The function did no work in the period: policy and memory frozen. */
    IDLE,
    /** The sample-target loop: samples are on their way to the target, with overhead to spare. */
    SAMPLES,
    /** The overhead guard: the sample target costs more than the ceiling allows (budget limited). */
    OVERHEAD,
    /** At a bound of effort (fraction 1 at the top frequency, or the minimum) and the target still not met. */
    SATURATED;

    /** Lower-case name for reports and JSON ("samples", "overhead", ...). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
