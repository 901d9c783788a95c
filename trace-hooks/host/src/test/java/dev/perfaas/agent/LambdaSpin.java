package dev.perfaas.agent;

import java.util.function.IntUnaryOperator;

/**
 * A JVM whose hot code runs in a lambda, a hidden class the perf map names after this process
 * ({@code LambdaSpin$$Lambda$14/0x0000000800c01234.applyAsInt(int)}); with inlining off, its frame is
 * a frame of its own. Prints "ready" once compiled, spins until its input closes.
 */
final class LambdaSpin {
    private LambdaSpin() {}

    public static void main(String[] args) throws Exception {
        IntUnaryOperator step = x -> x * 31 + (x >>> 7);
        Thread spin = new Thread(() -> {
            int acc = 1;
            while (acc != 0) {
                acc = step.applyAsInt(acc) | 1;
            }
        });
        spin.setDaemon(true);
        spin.start();
        Thread.sleep(2_000); // long enough for the lambda's method to be compiled
        System.out.println("ready");
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the test closes our input
        }
    }
}
