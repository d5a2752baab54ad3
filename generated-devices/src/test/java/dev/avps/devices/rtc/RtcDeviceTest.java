package dev.avps.devices.rtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.devices.LoopbackDriver;
import dev.avps.generated.rtc.RtcDeviceBase;
import dev.avps.generated.rtc.VirtioRtcClockType;
import dev.avps.generated.rtc.VirtioRtcCounter;
import dev.avps.generated.rtc.VirtioRtcMsgType;
import dev.avps.runtime.DriverQueue;
import dev.avps.runtime.memory.GuestMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The rtc backend's answers over real descriptor chains, with clocks the test sets. */
class RtcDeviceTest {

    static final int CFG = VirtioRtcMsgType.VIRTIO_RTC_REQ_CFG;
    static final int CLOCK_CAP = VirtioRtcMsgType.VIRTIO_RTC_REQ_CLOCK_CAP;
    static final int CROSS_CAP = VirtioRtcMsgType.VIRTIO_RTC_REQ_CROSS_CAP;
    static final int READ = VirtioRtcMsgType.VIRTIO_RTC_REQ_READ;
    static final int READ_CROSS = VirtioRtcMsgType.VIRTIO_RTC_REQ_READ_CROSS;
    static final int TSC = VirtioRtcCounter.VIRTIO_RTC_COUNTER_X86_TSC;

    final LoopbackDriver loop = new LoopbackDriver();
    final GuestMemory mem = loop.memory();
    final DriverQueue drv = loop.driver();
    final long req = loop.data();
    final long resp = req + 256;

    /** 2026-12-03T17:00:00.123456789Z, moved by the tests. */
    Instant now = Instant.parse("2026-12-03T17:00:00.123456789Z");
    final AtomicLong nanos = new AtomicLong(5_000_000_000L);
    final RtcDevice rtc = new RtcDevice(new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }, nanos::get);

    /** The request's bytes: a message type, then {@code le16 clock_id, u8 hw_counter}, padded to {@code size}. */
    static byte[] request(int type, int clockId, int counter, int size) {
        ByteBuffer b = ByteBuffer.allocate(Math.max(size, 16)).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(0, (short) type).putShort(8, (short) clockId).put(10, (byte) counter);
        byte[] out = new byte[size];
        System.arraycopy(b.array(), 0, out, 0, size);
        return out;
    }

    /** Sends {@code request} with {@code respBytes} device-writable bytes (pre-filled with 0xAA); returns the used length. */
    int send(byte[] request, int respBytes) throws Exception {
        mem.write(req, request, 0, request.length);
        byte[] junk = new byte[64];
        java.util.Arrays.fill(junk, (byte) 0xAA);
        mem.write(resp, junk, 0, junk.length);
        if (request.length > 0) {
            drv.addOut(req, request.length);
        }
        if (respBytes > 0) {
            drv.addIn(resp, respBytes);
        }
        drv.submit(1);
        return loop.serve(rtc, RtcDeviceBase.Q_REQUESTQ);
    }

    int status() {
        return mem.readByte(resp) & 0xff;
    }

    ByteBuffer response(int length) {
        byte[] b = new byte[length];
        mem.read(resp, b, 0, length);
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void cfgCountsThreeClocks() throws Exception {
        assertEquals(16, send(request(CFG, 0, 0, 8), 16));
        ByteBuffer r = response(16);
        assertEquals(RtcDevice.OK, r.get(0));
        assertEquals(3, r.getShort(8));
        for (int i : new int[] {1, 2, 3, 4, 5, 6, 7, 10, 11, 12, 13, 14, 15}) {
            assertEquals(0, r.get(i), "reserved byte " + i + " is zero");
        }
    }

    @Test
    void clockCapsNameUtcTaiAndMonotonicWithoutAlarms() throws Exception {
        int[] types = {VirtioRtcClockType.VIRTIO_RTC_CLOCK_UTC, VirtioRtcClockType.VIRTIO_RTC_CLOCK_TAI,
                VirtioRtcClockType.VIRTIO_RTC_CLOCK_MONOTONIC};
        for (int id = 0; id < 3; id++) {
            assertEquals(16, send(request(CLOCK_CAP, id, 0, 16), 16));
            ByteBuffer r = response(16);
            assertEquals(RtcDevice.OK, r.get(0), "clock " + id);
            assertEquals(types[id], r.get(8), "type of clock " + id);
            assertEquals(0, r.get(9), "not smeared");
            assertEquals(0, r.get(10), "no alarm capability");
            for (int i : new int[] {1, 2, 3, 4, 5, 6, 7, 11, 12, 13, 14, 15}) {
                assertEquals(0, r.get(i), "reserved byte " + i + " of clock " + id + "'s capabilities");
            }
        }
    }

    @Test
    void readsFollowTheHostClocks() throws Exception {
        assertEquals(16, send(request(READ, RtcDevice.UTC, 0, 16), 16));
        assertEquals(RtcDevice.OK, status());
        long utc = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        assertEquals(utc, response(16).getLong(8));
        assertEquals(0, response(16).getLong(0) >>> 8, "the response head's reserved bytes are zero");

        assertEquals(16, send(request(READ, RtcDevice.TAI, 0, 16), 16));
        assertEquals(utc + 37_000_000_000L, response(16).getLong(8), "TAI is UTC + 37 s");

        nanos.addAndGet(1_500);
        assertEquals(16, send(request(READ, RtcDevice.MONOTONIC, 0, 16), 16));
        assertEquals(1_500, response(16).getLong(8), "monotonic counts from the device's creation");

        now = now.plusSeconds(2);
        send(request(READ, RtcDevice.UTC, 0, 16), 16);
        assertEquals(utc + 2_000_000_000L, response(16).getLong(8), "read when asked, not cached");
        assertEquals(2, rtc.reads(RtcDevice.UTC));
        assertEquals(1, rtc.reads(RtcDevice.TAI));
        assertEquals(1, rtc.reads(RtcDevice.MONOTONIC));
        assertEquals(0, rtc.refusals(), rtc.lastRefusal());
    }

    @Test
    void theMonotonicClockNeverGoesBackwards() throws Exception {
        nanos.addAndGet(10_000);
        send(request(READ, RtcDevice.MONOTONIC, 0, 16), 16);
        assertEquals(10_000, response(16).getLong(8));
        nanos.addAndGet(-4_000); // a source that stepped back
        send(request(READ, RtcDevice.MONOTONIC, 0, 16), 16);
        assertEquals(10_000, response(16).getLong(8));
    }

    @Test
    void aClockThatDoesNotExistIsEnodev() throws Exception {
        // READ_CROSS's response is 24 bytes, the others' 16.
        for (int[] t : new int[][] {{READ, 16}, {CLOCK_CAP, 16}, {CROSS_CAP, 16}, {READ_CROSS, 24}}) {
            assertEquals(t[1], send(request(t[0], 3, TSC, 16), t[1]));
            assertEquals(RtcDevice.ENODEV, status(), "message type " + t[0]);
            assertEquals(0, response(16).getLong(8), "the rest of the response is zeroed");
        }
        send(request(READ, 0xffff, 0, 16), 16);
        assertEquals(RtcDevice.ENODEV, status());
        assertEquals(0, rtc.reads(RtcDevice.UTC) + rtc.reads(RtcDevice.TAI) + rtc.reads(RtcDevice.MONOTONIC));
        assertEquals(5, rtc.refusals());
    }

    @Test
    void crossTimestampingIsAbsentAsTheSpecSays() throws Exception {
        assertEquals(16, send(request(CROSS_CAP, RtcDevice.UTC, TSC, 16), 16));
        assertEquals(RtcDevice.OK, status());
        assertEquals(0, response(16).get(8), "CROSS_CAP flag clear");
        assertEquals(24, send(request(READ_CROSS, RtcDevice.UTC, TSC, 16), 24));
        assertEquals(RtcDevice.EOPNOTSUPP, status());
        assertEquals(16, send(request(CROSS_CAP, RtcDevice.UTC, 0x42, 16), 16));
        assertEquals(RtcDevice.EOPNOTSUPP, status(), "a counter the spec does not name");
    }

    @Test
    void alarmRequestsAreNotSupportedWithoutTheFeature() throws Exception {
        assertEquals(0, rtc.features() & 1, "VIRTIO_RTC_F_ALARM is not offered");
        assertEquals(-1, rtc.queueFamily(1), "no alarmq: the second queue slot is for front ends that set one up anyway");
        int[][] alarms = {{VirtioRtcMsgType.VIRTIO_RTC_REQ_READ_ALARM, 16, 24},
                {VirtioRtcMsgType.VIRTIO_RTC_REQ_SET_ALARM, 24, 8},
                {VirtioRtcMsgType.VIRTIO_RTC_REQ_SET_ALARM_ENABLED, 16, 8}};
        for (int[] a : alarms) {
            assertEquals(a[2], send(request(a[0], 0, 0, a[1]), a[2]));
            assertEquals(RtcDevice.EOPNOTSUPP, status(), "message type " + a[0]);
        }
    }

    @Test
    void anUnknownMessageTypeIsEopnotsupp() throws Exception {
        assertEquals(8, send(request(0x0003, 0, 0, 16), 16));
        assertEquals(RtcDevice.EOPNOTSUPP, status());
        assertEquals(8, send(request(VirtioRtcMsgType.VIRTIO_RTC_NOTIF_ALARM, 0, 0, 16), 16), "a notification sent as a request");
        assertEquals(RtcDevice.EOPNOTSUPP, status());
        assertTrue(rtc.lastRefusal().contains("0x2000"), rtc.lastRefusal());
    }

    @Test
    void requestsThatDoNotFitAreEinval() throws Exception {
        // The READ request is 16 bytes; 10 hold the type and the clock id but not the whole request.
        assertEquals(16, send(request(READ, 0, 0, 10), 16));
        assertEquals(RtcDevice.EINVAL, status());
        // One byte cannot even hold the message type.
        assertEquals(8, send(new byte[] {1}, 16));
        assertEquals(RtcDevice.EINVAL, status());
        assertEquals(16, send(request(CFG, 0, 0, 4), 16), "CFG's 8-byte request cut short");
        assertEquals(RtcDevice.EINVAL, status());
        assertEquals(0, rtc.reads(RtcDevice.UTC));
    }

    @Test
    void responsesThatDoNotFitAreEinvalOrNothing() throws Exception {
        // READ's response is 16 bytes; in 4 only the status (and reserved bytes) go.
        assertEquals(4, send(request(READ, 0, 0, 16), 4));
        assertEquals(RtcDevice.EINVAL, status());
        assertEquals(0xAA, mem.readByte(resp + 4) & 0xff, "nothing written past the buffer");
        assertEquals(0, send(request(READ, 0, 0, 16), 0), "no room for a status: nothing written");
        assertEquals(0xAA, status());
        assertEquals(0, rtc.reads(RtcDevice.UTC));
        assertEquals(2, rtc.refusals());
    }

    @Test
    void aBufferOnTheSecondQueueSlotIsCompletedEmpty() throws Exception {
        byte[] junk = new byte[16];
        java.util.Arrays.fill(junk, (byte) 0xAA);
        mem.write(resp, junk, 0, junk.length);
        drv.addIn(resp, 16).submit(1);
        assertEquals(0, loop.serve(rtc, 1));
        assertEquals(0xAA, status(), "nothing written");
        assertEquals(1, rtc.refusals());
    }

    @Test
    void biggerBuffersThanNeededAreFine() throws Exception {
        assertEquals(16, send(request(READ, RtcDevice.TAI, 0, 32), 48));
        assertEquals(RtcDevice.OK, status());
        assertEquals(0xAA, mem.readByte(resp + 16) & 0xff, "the extra space is left alone");
    }
}
