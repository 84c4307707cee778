package dev.kinema.serve;

/** A request's expected failure: the HTTP status and the one-line reason the client reads. */
final class HttpError extends RuntimeException {
    private final int status;

    HttpError(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
