package dev.avps.conform.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.avps.model.DeviceModel;
import org.junit.jupiter.api.Test;

/** Queue numbering follows the negotiated features: an absent conditional queue takes no index. */
class QueueIndexTest {

    private static long bit(DeviceModel d, String feature) {
        return 1L << d.feature(feature).orElseThrow().bit();
    }

    @Test
    void fsRequestQueuesMoveUpWithoutTheNotificationQueue() throws Exception {
        DeviceModel fs = Catalog.load("fs").device();
        assertEquals(0, Layouts.queueIndex(fs, "hiprio", 0));
        assertEquals(1, Layouts.queueIndex(fs, "request", 0));
        assertEquals(2, Layouts.queueIndex(fs, "request", bit(fs, "NOTIFICATION")));
        assertEquals(1, Layouts.queueIndex(fs, "notification", bit(fs, "NOTIFICATION")));
    }

    @Test
    void aTrailingConditionalQueueKeepsItsIndex() throws Exception {
        DeviceModel gpio = Catalog.load("gpio").device();
        assertEquals(0, Layouts.queueIndex(gpio, "requestq", 0));
        assertEquals(1, Layouts.queueIndex(gpio, "eventq", bit(gpio, "IRQ")));
    }
}
