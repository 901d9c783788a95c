package dev.perfaas.controller.loop;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** Runs the control loop every perfaas.control.period; the work is ControlService.stepAll. */
@ApplicationScoped
public class ControlLoop {

    private final ControlService control;

    public ControlLoop(ControlService control) {
        this.control = control;
    }

    // SKIP: a pass that outlasts the period (a slow disk) is not queued behind itself.
    @Scheduled(
            identity = "perfaas-control-loop",
            every = "${perfaas.control.period}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        control.stepAll(System.currentTimeMillis());
    }
}
