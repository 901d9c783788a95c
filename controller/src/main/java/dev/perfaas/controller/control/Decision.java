package dev.perfaas.controller.control;

/**
 * The law's answer for one period: the state to carry forward and, flattened from it for the
 * caller, the policy to publish and the facts behind it.
 */
public record Decision(
        LawState next,
        double fraction,
        int frequencyHz,
        double overhead,
        double sampleRatio,
        InControl inControl,
        boolean budgetLimited) {

    static Decision of(LawState next) {
        return new Decision(
                next,
                next.fraction(),
                next.frequencyHz(),
                next.overhead(),
                next.sampleRatio(),
                next.inControl(),
                next.budgetLimited());
    }
}
