package dev.perfaas.controller.profiles;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;

/** Applies retention every perfaas.retention.period: age, and sizes read again from the disk. */
@ApplicationScoped
public class RetentionPass {

    private final ProfileStore store;

    public RetentionPass(ProfileStore store) {
        this.store = store;
    }

    // Startup has just applied it: the first pass waits a period. SKIP: a slow disk never queues passes.
    @Scheduled(
            identity = "perfaas-retention",
            every = "${perfaas.retention.period}",
            delayed = "${perfaas.retention.period}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        try {
            store.retention().rescan();
        } catch (IOException | DirectoryIteratorException e) {
            Log.warnf("retention could not read the stacks directory, the next pass tries again: %s", e.toString());
        }
    }
}
