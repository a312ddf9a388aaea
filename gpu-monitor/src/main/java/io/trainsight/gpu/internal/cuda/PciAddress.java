package io.trainsight.gpu.internal.cuda;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PCI address read from the forms NVML ({@code 00000000:3B:00.0}) and CUDA ({@code 0000:3b:00.0})
 * write, compared by its numbers.
 *
 * @param domain the PCI domain
 * @param bus the bus
 * @param device the device on the bus
 */
record PciAddress(long domain, int bus, int device) {

    private static final Pattern FORM =
            Pattern.compile(
                    "\\s*([0-9a-fA-F]{1,8}):([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})(\\.\\d)?\\s*");

    /**
     * Reads an address.
     *
     * @param text such as {@code 0000:3b:00.0}
     * @return the address, or empty for text of another form
     */
    static Optional<PciAddress> parse(String text) {
        Matcher m = text == null ? null : FORM.matcher(text);
        if (m == null || !m.matches()) {
            return Optional.empty();
        }
        return Optional.of(
                new PciAddress(
                        Long.parseLong(m.group(1), 16),
                        Integer.parseInt(m.group(2), 16),
                        Integer.parseInt(m.group(3), 16)));
    }
}
