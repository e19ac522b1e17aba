package dev.inkwell.cli;

import dev.inkwell.tensor.Precision;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code --precision}, the same for every command that computes with a model. */
final class PrecisionOption {
    @Option(names = "--precision", defaultValue = "auto", converter = Converter.class,
            description = "Compute precision: auto, float32, float16 or bfloat16 (default: ${DEFAULT-VALUE}: bfloat16 on"
                    + " CPUs that compute it natively (AVX512-BF16, AMX), float32 elsewhere).")
    Precision precision;

    static final class Converter implements ITypeConverter<Precision> {
        @Override
        public Precision convert(String value) {
            try {
                return Precision.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
