package dev.perfaas.hook;

/** perf cannot sample this process: missing, not permitted, or not answering. */
final class PerfUnavailableException extends Exception {
    PerfUnavailableException(String message) {
        super(message);
    }
}
