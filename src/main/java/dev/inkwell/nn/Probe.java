package dev.inkwell.nn;

import org.bytedeco.pytorch.Tensor;

/**
 * Receives a model's intermediate activations under their checkpoint module names
 * ({@code down_blocks.0}, {@code mid_block}), for tests against reference activations and for
 * debugging.
 */
@FunctionalInterface
public interface Probe {
    Probe NONE = (name, value) -> { };

    void accept(String module, Tensor value);
}
