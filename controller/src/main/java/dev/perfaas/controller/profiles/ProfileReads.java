package dev.perfaas.controller.profiles;

import dev.perfaas.controller.ApiException;
import dev.perfaas.controller.Refusal;
import java.io.IOException;
import java.util.concurrent.Semaphore;

/**
 * Reads of stored profiles for the dashboard and the API (one profile's samples, a range merged):
 * each holds up to a few tens of MB while it reads ({@link StackReader}'s caps), so only
 * {@link #MAX_READS} run at once, within the controller's heap; past that a 503 asks to try again.
 */
final class ProfileReads {

    static final int MAX_READS = 2;

    private static final Semaphore READS = new Semaphore(MAX_READS);

    @FunctionalInterface
    interface Read<T> {
        T run() throws IOException;
    }

    private ProfileReads() {}

    static <T> T one(Read<T> read) throws IOException {
        if (!READS.tryAcquire()) {
            throw ApiException.unavailable(
                    Refusal.PROFILE_READS,
                    MAX_READS + " profile reads are running, the most at once: try again in a second",
                    1);
        }
        try {
            return read.run();
        } finally {
            READS.release();
        }
    }
}
