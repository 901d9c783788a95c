package dev.perfaas.controller;

/**
 * A request the controller refuses; carries the HTTP status, the message returned as {"error": ...},
 * the reason it is counted under in perfaas_refused_total, and for 429 the Retry-After seconds.
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final Refusal reason;
    private final long retryAfterSeconds;

    private ApiException(int status, Refusal reason, String message, long retryAfterSeconds) {
        super(message);
        this.status = status;
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiException badRequest(String message) {
        return badRequest(Refusal.BAD_REQUEST, message);
    }

    public static ApiException badRequest(Refusal reason, String message) {
        return new ApiException(400, reason, message, 0);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, Refusal.NOT_FOUND, message, 0);
    }

    /** 409: the request is fine, but the controller already holds as much as a perfaas.limits.* setting allows. */
    public static ApiException limitReached(Refusal reason, String message) {
        return new ApiException(409, reason, message, 0);
    }

    /** 408: the upload took longer than perfaas.upload-timeout. */
    public static ApiException timeout(String message) {
        return new ApiException(408, Refusal.UPLOAD_TIMEOUT, message, 0);
    }

    public static ApiException tooLarge(String message) {
        return new ApiException(413, Refusal.TOO_LARGE, message, 0);
    }

    public static ApiException unsupportedMediaType(String message) {
        return new ApiException(415, Refusal.UNSUPPORTED_MEDIA_TYPE, message, 0);
    }

    /** 429 with Retry-After: hooks keep what they could not send and try again. */
    public static ApiException tooManyRequests(Refusal reason, String message, long retryAfterSeconds) {
        return new ApiException(429, reason, message, Math.max(1, retryAfterSeconds));
    }

    /** 507: the controller cannot store what was sent now; the same request may succeed later. */
    public static ApiException insufficientStorage(String message) {
        return new ApiException(507, Refusal.INSUFFICIENT_STORAGE, message, 0);
    }

    /** 503 with a Retry-After header: the request is fine, the controller has no room for it now. */
    public static ApiException unavailable(Refusal reason, String message, long retryAfterSeconds) {
        return new ApiException(503, reason, message, Math.max(1, retryAfterSeconds));
    }

    public int status() {
        return status;
    }

    public Refusal reason() {
        return reason;
    }

    /** Seconds for the Retry-After header; 0 when the answer carries none. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
