package dev.perfaas.controller.loop;

import dev.perfaas.controller.control.Targets;
import java.util.Map;

/** The controller's saved state: operator targets by name (_default included) and controlled functions. */
public record SavedControl(int format, Map<String, Targets> targets, Map<String, FunctionControl> functions) {

    /** Bumped when a saved file could no longer be read as this record. */
    public static final int FORMAT = 1;

    public static final SavedControl EMPTY = new SavedControl(FORMAT, Map.of(), Map.of());
}
