package dev.avps.runtime;

import static dev.avps.runtime.VirtioFeatures.EVENT_IDX;
import static dev.avps.runtime.VirtioFeatures.RING_PACKED;
import static dev.avps.runtime.VirtioFeatures.VERSION_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.runtime.transport.LoopbackTransport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NotificationTest {
    private static LoopbackTransport loop(boolean packed, boolean eventIdx) throws VirtqueueException {
        return LoopbackTransport.create(VERSION_1 | (packed ? RING_PACKED : 0) | (eventIdx ? EVENT_IDX : 0), 16, 0,
                4096, false);
    }

    private static void add(LoopbackTransport t, int n) throws VirtqueueException {
        for (int i = 0; i < n; i++) {
            assertTrue(t.driver().addOut(t.dataBase(), 8).addIn(t.dataBase() + 8, 8).submit(i) >= 0);
        }
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void flagsSuppressKicksAndInterrupts(boolean packed) throws Exception {
        LoopbackTransport t = loop(packed, false);
        add(t, 1);
        assertTrue(t.driver().kickNeeded());
        assertFalse(t.driver().kickNeeded(), "nothing new since the last decision");
        t.device().disableNotifications();
        add(t, 2);
        assertFalse(t.driver().kickNeeded());
        DescriptorChain c = t.device().newChain();
        assertTrue(t.device().enableNotifications(), "buffers arrived while notifications were off");
        int popped = 0;
        while (t.device().pop(c)) {
            t.device().addUsed(c, 4);
            popped++;
        }
        assertEquals(3, popped);
        t.device().flushUsed();
        assertTrue(t.device().needsNotification());
        assertFalse(t.device().enableNotifications());
        t.driver().disableCallbacks();
        add(t, 1);
        assertTrue(t.driver().kickNeeded());
        assertTrue(t.device().pop(c));
        t.device().push(c, 0);
        assertFalse(t.device().needsNotification());
        assertTrue(t.driver().enableCallbacks(), "a completion is pending");
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void eventIndexKicksOncePerDeviceWakeup(boolean packed) throws Exception {
        LoopbackTransport t = loop(packed, true);
        add(t, 1);
        assertTrue(t.driver().kickNeeded(), "the first buffer crosses the initial event index");
        add(t, 1);
        assertFalse(t.driver().kickNeeded(), "device has not consumed the first one yet");
        DescriptorChain c = t.device().newChain();
        assertTrue(t.device().pop(c));
        t.device().push(c, 0);
        assertTrue(t.device().pop(c));
        t.device().push(c, 0);
        assertFalse(t.device().pop(c));
        add(t, 1);
        assertTrue(t.driver().kickNeeded(), "device caught up, so the next buffer must kick");
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void eventIndexInterruptsFollowUsedEvent(boolean packed) throws Exception {
        LoopbackTransport t = loop(packed, true);
        add(t, 4);
        DescriptorChain c = t.device().newChain();
        Completion done = new Completion();
        assertTrue(t.device().pop(c));
        t.device().push(c, 0);
        assertTrue(t.device().needsNotification(), "used_event starts at 0");
        assertTrue(t.device().pop(c));
        t.device().push(c, 0);
        assertFalse(t.device().needsNotification(), "driver has not reclaimed the first one");
        assertTrue(t.driver().pollUsed(done));
        assertTrue(t.driver().pollUsed(done));
        assertTrue(t.device().pop(c));
        t.device().push(c, 0);
        assertTrue(t.device().needsNotification(), "driver caught up");
        t.driver().disableCallbacks();
        assertTrue(t.driver().pollUsed(done));
        assertTrue(t.device().pop(c));
        t.device().push(c, 0);
        assertFalse(t.device().needsNotification(), "callbacks disabled");
        assertTrue(t.driver().enableCallbacks());
    }

    @ParameterizedTest(name = "packed={0} eventIdx={1}")
    @org.junit.jupiter.params.provider.CsvSource({"false,false", "false,true", "true,false", "true,true"})
    void wrapAroundKeepsSuppressionConsistent(boolean packed, boolean eventIdx) throws Exception {
        LoopbackTransport t = loop(packed, eventIdx);
        DescriptorChain c = t.device().newChain();
        Completion done = new Completion();
        int kicks = 0;
        int interrupts = 0;
        for (int round = 0; round < 5000; round++) {
            add(t, 3);
            if (t.kick()) {
                kicks++;
            }
            while (t.device().pop(c)) {
                t.device().addUsed(c, 8);
            }
            t.device().flushUsed();
            if (t.interrupt()) {
                interrupts++;
            }
            int got = 0;
            while (t.driver().pollUsed(done)) {
                got++;
            }
            assertEquals(3, got);
        }
        // Every round leaves both sides caught up, so each batch must be announced exactly once.
        assertEquals(5000, kicks);
        assertEquals(5000, interrupts);
        assertEquals(5000, t.deviceDoorbell().count());
        assertEquals(5000, t.driverDoorbell().count());
    }
}
