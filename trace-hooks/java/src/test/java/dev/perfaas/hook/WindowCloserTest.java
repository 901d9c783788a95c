package dev.perfaas.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WindowCloserTest {
    /** {@code firstAgo}: seconds since the process's first invocation began in this window, -1: it did not. */
    @ParameterizedTest(name = "age={0}s window={1}s first invocation {2}s ago: due={3}")
    @CsvSource({
        // an ordinary window lasts the policy's windowSeconds
        "59.9, 60,   -1, false",
        "60,   60,   -1, true",
        // the window the first invocation began in ends 10 s after it
        "55,   60,  9.9, false",
        "55,   60,   10, true",
        "12,   60,   10, true",
        // ... or at its own end, whichever comes first
        "60,   60,    3, true",
        "2,     2,  0.5, true",
        "1.5,   2,  0.5, false",
    })
    void aWindowIsDueAfterItsLengthOrTenSecondsAfterTheFirstInvocation(
            double ageSeconds, int windowSeconds, double firstAgoSeconds, boolean due) {
        long first = firstAgoSeconds < 0 ? -1 : nanos(firstAgoSeconds);
        assertEquals(due, WindowCloser.due(nanos(ageSeconds), windowSeconds, first));
    }

    /** A sleeping window thread wakes when its window is {@link WindowCloser#due}, and never sooner than a tick. */
    @ParameterizedTest(name = "age={0}s window={1}s first invocation {2}s ago: wakes in {3}s")
    @CsvSource({
        "0,    60,   -1, 60",
        "45,   60,   -1, 15",
        "2,    60,    1,  9", // the first invocation's window ends 10 s after it
        "2,    60,  9.5,  1", // half a second left: a tick
        "61,   60,   -1,  1", // overdue: at the next tick
    })
    void aSleepingWindowThreadWakesWhenItsWindowIsDue(
            double ageSeconds, int windowSeconds, double firstAgoSeconds, double wakesInSeconds) {
        long first = firstAgoSeconds < 0 ? -1 : nanos(firstAgoSeconds);
        assertEquals(nanos(wakesInSeconds), WindowCloser.untilDue(nanos(ageSeconds), windowSeconds, first));
    }

    @Test
    void theFirstInvocationCountsOnlyInTheWindowItBeganIn() {
        ColdStartClock clock = new ColdStartClock();
        long before = System.nanoTime();
        assertEquals(-1, clock.firstInvocationAge(before, before + 1), "no invocation yet");
        assertTrue(clock.claim());
        long after = System.nanoTime();
        long now = after + TimeUnit.SECONDS.toNanos(10);
        long age = clock.firstInvocationAge(before, now);
        assertTrue(age >= now - after && age <= now - before, "began in the window that began before it: " + age);
        assertEquals(-1, clock.firstInvocationAge(after + 1, now), "a window that began after it is an ordinary one");
        assertFalse(clock.claim(), "claimed once");
    }

    private static long nanos(double seconds) {
        return (long) (seconds * TimeUnit.SECONDS.toNanos(1));
    }
}
