package dev.inkwell.server;

/** A request the server refuses with 4xx and {@code {"error": "..."}} naming the field. */
final class BadRequest extends RuntimeException {
    private final int status;

    BadRequest(String field, String message) {
        this(422, field + ": " + message);
    }

    BadRequest(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
