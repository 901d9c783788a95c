package dev.perfaas.controller.loop;

import dev.perfaas.controller.functions.FunctionCounters;

/**
 * What is saved of one function: its control record (null until the loop has stepped it) and its
 * counters as they were when it was saved (null in state saved before counters were); not both null.
 */
public record SavedFunction(FunctionControl control, FunctionCounters counters) {

    public SavedFunction {
        if (control == null && counters == null) {
            throw new IllegalArgumentException("a saved function has a control record, counters or both");
        }
    }
}
