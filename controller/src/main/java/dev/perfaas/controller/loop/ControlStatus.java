package dev.perfaas.controller.loop;

/**
 * The law's view of a function after its last step. overhead and sampleRatio are those of the last
 * step with data (null until there was one); inControl is InControl's label ("prior", "samples",
 * "overhead", "saturated", "idle").
 */
public record ControlStatus(
        Double overhead, Double sampleRatio, String inControl, boolean budgetLimited, long lastStepMillis) {}
