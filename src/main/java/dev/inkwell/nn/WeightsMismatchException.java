package dev.inkwell.nn;

/** A checkpoint does not fit the model its config describes: a missing key or a wrong shape. */
public final class WeightsMismatchException extends RuntimeException {
    public WeightsMismatchException(String message) {
        super(message);
    }
}
