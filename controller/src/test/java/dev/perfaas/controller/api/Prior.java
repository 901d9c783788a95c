package dev.perfaas.controller.api;

import dev.perfaas.controller.control.ControlLaw;
import dev.perfaas.controller.control.LawConfig;
import dev.perfaas.controller.control.LawState;
import dev.perfaas.controller.control.Targets;

/** What a new function is answered under the configured engine (async): the law's prior for it. */
final class Prior {
    private static final LawState STATE = new ControlLaw(LawConfig.DEFAULT).initial(Targets.DEFAULT, "async");
    static final int HZ = STATE.frequencyHz();
    static final double FRACTION = STATE.fraction();

    private Prior() {}
}
