package dev.avps.specmodels;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a catalog device stands in generated-devices, read from that module's sources so the
 * coverage table never claims more than exists: device logic in
 * {@code dev/avps/devices/<name>/}, and a guest end-to-end test {@code <Name>GuestTest}.
 */
final class BackendStatus {

    static final Path DEVICES = Path.of("../generated-devices/src/main/java/dev/avps/devices");
    static final Path E2E = Path.of("../generated-devices/src/test/java/dev/avps/e2e");

    private BackendStatus() {
    }

    static String of(String device) {
        boolean logic = Files.isDirectory(DEVICES.resolve(device));
        String test = Character.toUpperCase(device.charAt(0)) + device.substring(1) + "GuestTest.java";
        boolean guest = Files.isRegularFile(E2E.resolve(test));
        if (logic && guest) {
            return "logic + Linux guest test";
        }
        return logic ? "logic, unit-tested" : "—";
    }
}
