package dev.avps.vhostuser.driver;

import dev.avps.runtime.QueueConfig;
import dev.avps.runtime.RingLayout;

/** Plays a broken device: writes a split used element and index straight into the shared memory. */
final class UsedRingForger {
    private UsedRingForger() {
    }

    static void splitUsed(GuestRam ram, QueueConfig config, int slot, int id, int len, int newIdx) {
        long used = config.deviceArea();
        long e = used + RingLayout.usedElement(slot);
        ram.memory().writeInt(e + RingLayout.USED_ELEMENT_ID, id);
        ram.memory().writeInt(e + RingLayout.USED_ELEMENT_LEN, len);
        java.lang.invoke.VarHandle.fullFence();
        ram.memory().writeShort(used + RingLayout.RING_IDX, (short) newIdx);
    }
}
