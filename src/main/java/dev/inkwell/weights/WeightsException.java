package dev.inkwell.weights;

/**
 * A weight file could not be read or written. Unchecked because callers can rarely recover from a
 * corrupt or refused checkpoint; the message always names the file (and the tensor, where one is
 * involved) so the user can act on it.
 */
public final class WeightsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public WeightsException(String message) {
        super(message);
    }

    public WeightsException(String message, Throwable cause) {
        super(message, cause);
    }
}
