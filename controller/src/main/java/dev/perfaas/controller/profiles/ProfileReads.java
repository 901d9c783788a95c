package dev.perfaas.controller.profiles;

import dev.perfaas.controller.ApiException;
import dev.perfaas.controller.Refusal;
import java.io.IOException;
import java.util.concurrent.Semaphore;

/**
 * Stored profiles read at once, for the dashboard's samples or as pprof: each read holds up to a few
 * tens of MB, so {@value #MAX} at most, within the controller's heap; one more is answered 503.
 */
public final class ProfileReads {
    public static final int MAX = 2;

    private static final Semaphore SLOTS = new Semaphore(MAX);

    /** A read of a stored profile. */
    public interface Read<T> {
        T run() throws IOException;
    }

    private ProfileReads() {}

    /** Runs {@code read} in a slot, or refuses with 503 when all {@value #MAX} are taken. */
    public static <T> T run(Read<T> read) throws IOException {
        if (!SLOTS.tryAcquire()) {
            throw ApiException.unavailable(
                    Refusal.PROFILE_READS,
                    MAX + " profiles are being read, the most at once: try again in a second",
                    1);
        }
        try {
            return read.run();
        } finally {
            SLOTS.release();
        }
    }
}
