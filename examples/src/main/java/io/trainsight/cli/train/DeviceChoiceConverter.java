package io.trainsight.cli.train;

import io.trainsight.trainer.engine.DeviceChoice;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code --device cpu|gpu|auto}, in any case. */
final class DeviceChoiceConverter implements ITypeConverter<DeviceChoice> {

    @Override
    public DeviceChoice convert(String value) {
        for (DeviceChoice choice : DeviceChoice.values()) {
            if (choice.name().equalsIgnoreCase(value.trim())) {
                return choice;
            }
        }
        throw new TypeConversionException(
                "'"
                        + value
                        + "' is not a device; valid: "
                        + Arrays.stream(DeviceChoice.values())
                                .map(c -> c.name().toLowerCase(Locale.ROOT))
                                .collect(Collectors.joining(", ")));
    }
}
