package dev.inkwell.cli;

import dev.inkwell.scheduler.SchedulerKind;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

final class SchedulerConverter implements ITypeConverter<SchedulerKind> {
    @Override
    public SchedulerKind convert(String value) {
        try {
            return SchedulerKind.fromName(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
