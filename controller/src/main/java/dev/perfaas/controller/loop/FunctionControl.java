package dev.perfaas.controller.loop;

import dev.perfaas.controller.control.LawState;
import java.util.List;

/** Everything the controller keeps about one controlled function; saved (ControlStore), so it resumes after a restart. */
public record FunctionControl(
        LawState state, PublishedPolicy policy, ControlStatus status, List<HistoryEntry> history) {

    public FunctionControl {
        history = List.copyOf(history);
    }
}
