package dev.perfaas.controller;

/** A request the controller refuses; carries the HTTP status and the message returned as {"error": ...}. */
public final class ApiException extends RuntimeException {

    private final int status;
    private final int retryAfterSeconds;

    private ApiException(int status, String message) {
        this(status, message, 0);
    }

    private ApiException(int status, String message, int retryAfterSeconds) {
        super(message);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    public static ApiException timeout(String message) {
        return new ApiException(408, message);
    }

    public static ApiException tooLarge(String message) {
        return new ApiException(413, message);
    }

    public static ApiException unsupportedMediaType(String message) {
        return new ApiException(415, message);
    }

    /** 503 with a Retry-After header: the request is fine, the controller has no room for it now. */
    public static ApiException unavailable(String message, int retryAfterSeconds) {
        return new ApiException(503, message, retryAfterSeconds);
    }

    public int status() {
        return status;
    }

    /** Seconds for the Retry-After header, 0 for none. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
