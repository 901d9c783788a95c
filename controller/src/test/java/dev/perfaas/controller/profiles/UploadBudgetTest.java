package dev.perfaas.controller.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.perfaas.controller.ApiException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UploadBudgetTest {

    private UploadBudget budget;

    @AfterEach
    void stop() {
        budget.stop();
    }

    @Test
    void refusesPastTheSlotsAndFreesThemOnClose() {
        budget = new UploadBudget(2, Duration.ofMinutes(1));
        UploadBudget.Slot first = budget.take();
        UploadBudget.Slot second = budget.take();
        ApiException e = assertThrows(ApiException.class, budget::take);
        assertEquals(503, e.status());
        assertEquals(UploadBudget.RETRY_AFTER_SECONDS, e.retryAfterSeconds());
        assertTrue(e.getMessage().startsWith("2 uploads are in flight"), e.getMessage());
        first.close();
        budget.take().close();
        second.close();
    }

    @Test
    void theDeadlineInterruptsABlockedUploadAndLeavesNoInterruptBehind() {
        budget = new UploadBudget(1, Duration.ofMillis(200));
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            UploadBudget.Slot slot = budget.take();
            try (slot) {
                assertThrows(InterruptedException.class, () -> new CountDownLatch(1).await());
            }
            assertTrue(slot.expired());
            assertFalse(Thread.currentThread().isInterrupted());
            ApiException e = slot.timedOut();
            assertEquals(408, e.status());
            assertEquals("upload did not finish within 200 ms (setting perfaas.upload-timeout)", e.getMessage());
            budget.take().close();
        });
    }

    @Test
    void aClosedSlotIsNeverInterrupted() throws InterruptedException {
        budget = new UploadBudget(1, Duration.ofMillis(50));
        UploadBudget.Slot slot = budget.take();
        slot.close();
        Thread.sleep(300); // well past the deadline: its alarm was cancelled
        assertFalse(slot.expired());
        assertFalse(Thread.currentThread().isInterrupted());
    }
}
