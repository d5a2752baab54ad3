package dev.avps.specmodels;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a catalog device stands in generated-devices, read from that module's sources so the
 * coverage table never claims more than exists: every device gets a generated base (the build
 * generates all of them); hand-written logic lives in {@code dev/avps/devices/<name>/} and may
 * extend that base; a guest end-to-end test is {@code <Name>GuestTest}.
 */
final class BackendStatus {

    static final Path DEVICES = Path.of("../generated-devices/src/main/java/dev/avps/devices");
    static final Path E2E = Path.of("../generated-devices/src/test/java/dev/avps/e2e");

    private BackendStatus() {
    }

    static String of(String device) {
        String cap = Character.toUpperCase(device.charAt(0)) + device.substring(1);
        Path source = DEVICES.resolve(device).resolve(cap + "Device.java");
        boolean logic = Files.isDirectory(DEVICES.resolve(device));
        boolean onBase = false;
        try {
            onBase = Files.isRegularFile(source) && Files.readString(source).contains("extends " + cap + "DeviceBase");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        boolean guest = Files.isRegularFile(E2E.resolve(cap + "GuestTest.java"));
        String base = onBase ? "generated base + logic" : logic ? "logic" : "generated base only";
        return guest ? base + ", Linux guest test" : logic ? base + ", unit-tested" : base;
    }
}
