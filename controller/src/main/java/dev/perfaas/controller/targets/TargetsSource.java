package dev.perfaas.controller.targets;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a function's effective targets come from. */
public enum TargetsSource {
    /** Set for the function itself: PUT /v1/targets/{function}. */
    FUNCTION("function"),
    /** Set for every function without its own: PUT /v1/targets/_default. */
    DEFAULT(TargetsBook.DEFAULT_NAME),
    /** Nobody set any: the perfaas.targets.* configuration. */
    CONFIG("config");

    private final String label;

    TargetsSource(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }
}
