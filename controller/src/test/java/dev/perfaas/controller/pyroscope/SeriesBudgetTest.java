package dev.perfaas.controller.pyroscope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SeriesBudgetTest {

    private static final long T = 1_000_000;

    @Test
    void newSeriesFitWhileTheTotalStaysWithinTheBudget() {
        SeriesBudget budget = new SeriesBudget(4);
        assertTrue(budget.fits("a", 2, T));
        budget.pushed("a", 2, T);
        assertTrue(budget.fits("b", 2, T));
        budget.pushed("b", 2, T);
        assertFalse(budget.fits("c", 1, T));
        assertEquals(4, budget.active(T));
    }

    @Test
    void anActiveSeriesKeepsFittingWhenTheBudgetIsSpent() {
        SeriesBudget budget = new SeriesBudget(2);
        budget.pushed("a", 2, T);
        assertTrue(budget.fits("a", 2, T + 1));
        assertFalse(budget.fits("b", 1, T + 1));
    }

    @Test
    void aSeriesUnpushedForTenMinutesIsNoLongerCounted() {
        SeriesBudget budget = new SeriesBudget(2);
        budget.pushed("a", 2, T);
        budget.pushed("a", 2, T + 60_000); // pushed again: active from then
        assertFalse(budget.fits("b", 2, T + SeriesBudget.ACTIVE_MILLIS));
        assertTrue(budget.fits("b", 2, T + 60_000 + SeriesBudget.ACTIVE_MILLIS));
        assertEquals(0, budget.active(T + 60_000 + SeriesBudget.ACTIVE_MILLIS));
    }

    @Test
    void aBudgetOfZeroAdmitsNoNewSeries() {
        assertFalse(new SeriesBudget(0).fits("a", 1, T));
    }
}
