package dev.perfaas.hook;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PolicyPollerTest {
    private static final Policy TRACING = new Policy(1, 99, 60, 10, "async", 1, 0, 0, 0);

    @Test
    void aPolicyExpiresOnlyPastItsDeadlineAndOffNever() {
        long deadline = 1_000_000_000L;
        assertFalse(PolicyPoller.expired(TRACING, deadline, deadline - 1));
        assertFalse(PolicyPoller.expired(TRACING, deadline, deadline));
        assertTrue(PolicyPoller.expired(TRACING, deadline, deadline + 1));
        assertFalse(PolicyPoller.expired(Policy.OFF, deadline, deadline + 1));
        assertTrue(PolicyPoller.expired(TRACING, Long.MAX_VALUE, Long.MIN_VALUE), "System.nanoTime() may wrap");
    }
}
