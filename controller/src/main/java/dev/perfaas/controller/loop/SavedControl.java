package dev.perfaas.controller.loop;

import dev.perfaas.controller.control.Targets;
import java.util.Map;

/** The controller's saved state: operator targets by name (_default included) and every saved function. */
public record SavedControl(Map<String, Targets> targets, Map<String, SavedFunction> functions) {

    public static final SavedControl EMPTY = new SavedControl(Map.of(), Map.of());
}
