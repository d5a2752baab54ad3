package dev.avps.devices.input;

/**
 * The Linux evdev numbers a virtio-input device speaks (linux/input-event-codes.h). They are not
 * part of the VIRTIO catalog: the spec only says events are evdev events, so the few this backend
 * needs are named here.
 */
public final class EvdevCodes {

    public static final int EV_SYN = 0x00;
    public static final int EV_KEY = 0x01;
    public static final int EV_REL = 0x02;
    public static final int EV_ABS = 0x03;
    public static final int EV_LED = 0x11;

    public static final int SYN_REPORT = 0;

    public static final int KEY_ESC = 1;
    public static final int KEY_A = 30;
    public static final int KEY_B = 48;
    /** The highest keyboard key code a standard keyboard reports. */
    public static final int KEY_MICMUTE = 248;
    public static final int BTN_LEFT = 0x110;
    public static final int BTN_TOUCH = 0x14a;

    public static final int REL_X = 0;
    public static final int REL_Y = 1;
    public static final int REL_WHEEL = 8;

    public static final int ABS_X = 0;
    public static final int ABS_Y = 1;

    public static final int LED_NUML = 0;
    public static final int LED_CAPSL = 1;
    public static final int LED_SCROLLL = 2;

    /** A virtual bus: the device is not behind USB or PS/2. */
    public static final int BUS_VIRTUAL = 0x06;

    private EvdevCodes() {
    }
}
