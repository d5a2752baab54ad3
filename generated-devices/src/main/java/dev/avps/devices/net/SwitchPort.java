package dev.avps.devices.net;

/** One port of the {@link Switch}: a guest's net device or the switch's own host end. */
interface SwitchPort {

    /**
     * Offers the port a packet (header + frame) the switch forwards to it. The port applies its own
     * receive filter and may keep the array: the switch hands every port its own copy.
     */
    void deliver(byte[] packet);

    /** A name for logs. */
    String name();
}
