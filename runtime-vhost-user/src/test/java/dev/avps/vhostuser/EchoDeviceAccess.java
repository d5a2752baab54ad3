package dev.avps.vhostuser;

import dev.avps.runtime.device.VirtioDevice;

/** Lets tests in other packages (the driver-side front end's) use the package-private echo device. */
public final class EchoDeviceAccess {
    private final EchoDevice device = new EchoDevice();

    public VirtioDevice device() {
        return device;
    }

    public void offer(long features) {
        device.offered = features;
    }

    /** The device will refuse FEATURES_OK unless the driver accepts all of {@code features}. */
    public void require(long features) {
        device.needed = features;
    }

    public long negotiated() {
        return device.negotiated;
    }

    public int handled() {
        return device.handled.get();
    }

    public int resets() {
        return device.resets.get();
    }
}
