package dev.inkwell.cli;

import dev.inkwell.scheduler.SchedulerConfig.PredictionType;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** diffusers' {@code prediction_type} names, and "v" for short. */
final class PredictionTypeConverter implements ITypeConverter<PredictionType> {
    @Override
    public PredictionType convert(String value) {
        String name = value.equals("v") ? PredictionType.V_PREDICTION.jsonName() : value;
        return Stream.of(PredictionType.values()).filter(t -> t.jsonName().equals(name)).findFirst()
                .orElseThrow(() -> new TypeConversionException("unknown prediction type '" + value + "'; use "
                        + Stream.of(PredictionType.values()).map(PredictionType::jsonName).collect(Collectors.joining(", "))
                        + " or v"));
    }
}
