package dev.perfaas.controller;

/** A request the controller refuses; carries the HTTP status and the message returned as {"error": ...}. */
public final class ApiException extends RuntimeException {

    private final int status;

    private ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    public static ApiException tooLarge(String message) {
        return new ApiException(413, message);
    }

    public static ApiException unsupportedMediaType(String message) {
        return new ApiException(415, message);
    }

    /** 507: the controller cannot store what was sent now; the same request may succeed later. */
    public static ApiException insufficientStorage(String message) {
        return new ApiException(507, message);
    }

    public int status() {
        return status;
    }
}
