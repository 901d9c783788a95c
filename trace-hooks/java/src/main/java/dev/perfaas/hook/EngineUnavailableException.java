package dev.perfaas.hook;

/** A sampling engine cannot sample this process: missing, not permitted, not loadable, or not answering. */
final class EngineUnavailableException extends Exception {
    EngineUnavailableException(String message) {
        super(message);
    }
}
