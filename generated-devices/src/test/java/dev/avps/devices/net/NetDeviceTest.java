package dev.avps.devices.net;

import static dev.avps.devices.net.Frames.A;
import static dev.avps.devices.net.Frames.B;
import static dev.avps.devices.net.Frames.C;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.generated.net.NetFeatures;
import dev.avps.generated.net.VirtioNetCtrlAck;
import dev.avps.generated.net.VirtioNetStatus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The net backend's transmit, control and receive paths over loopback rings, hostile input included. */
class NetDeviceTest {

    static final long V1 = 1L << 32;
    static final int OK = VirtioNetCtrlAck.VIRTIO_NET_OK;
    static final int ERR = VirtioNetCtrlAck.VIRTIO_NET_ERR;

    final Switch sw = new Switch("test");
    final Frames.Recorder peer = new Frames.Recorder("peer");

    NetDeviceTest() {
        sw.attach(peer);
    }

    NetDevice device(int pairs, long features) {
        NetDevice d = new NetDevice(sw, A, pairs);
        d.featuresNegotiated(V1 | features);
        return d;
    }

    NetDevice device() {
        return device(1, NetDevice.OFFERED);
    }

    /** Sends a control command; returns the ack byte (or -1 when nothing was written). */
    static int ctrl(NetDevice d, NetRing ring, int cls, int cmd, byte[] body) throws Exception {
        byte[] out = new byte[2 + body.length];
        out[0] = (byte) cls;
        out[1] = (byte) cmd;
        System.arraycopy(body, 0, out, 2, body.length);
        NetRing.Used u = ring.request(d, out, 1);
        return u.bytes().length == 1 ? u.bytes()[0] & 0xff : -1;
    }

    static NetRing ctrlRing(NetDevice d) throws Exception {
        return new NetRing(d.queueIndex(NetDevice.Q_CONTROLQ, 0));
    }

    static byte[] le32(long v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array();
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    static byte[] macs(long... macs) {
        byte[] b = new byte[6 * macs.length];
        for (int i = 0; i < macs.length; i++) {
            Packet.putMac(b, 6 * i, macs[i]);
        }
        return b;
    }

    /** The device transmits {@code p} on tx queue 0; returns the used length. */
    static int transmit(NetDevice d, NetRing tx, byte[] p) throws Exception {
        return tx.request(d, p, 0).bytes().length;
    }

    /** Checks the switch still forwards a frame from {@code d} to the peer after some hostile input. */
    void stillSwitches(NetDevice d, NetRing tx) throws Exception {
        int before = peer.got.size();
        byte[] p = Frames.filler(B, A, 60);
        transmit(d, tx, p);
        assertEquals(before + 1, peer.got.size(), "the switch still forwards");
        assertArrayEquals(p, peer.got.get(before));
    }

    @Test
    void configCarriesMacLinkAndPairs() {
        NetDevice d = new NetDevice(sw, A, 2);
        byte[] cfg = new byte[10];
        d.readConfig(0, cfg);
        assertArrayEquals(macs(A), Arrays.copyOf(cfg, 6));
        assertEquals(VirtioNetStatus.VIRTIO_NET_S_LINK_UP, cfg[6] | cfg[7] << 8);
        assertEquals(2, cfg[8] | cfg[9] << 8);
        long f = d.features();
        for (long bit : new long[] {NetFeatures.MAC, NetFeatures.STATUS, NetFeatures.MRG_RXBUF, NetFeatures.CSUM,
            NetFeatures.GUEST_CSUM, NetFeatures.HOST_TSO4, NetFeatures.GUEST_TSO4, NetFeatures.CTRL_VQ,
            NetFeatures.CTRL_RX, NetFeatures.CTRL_VLAN, NetFeatures.CTRL_MAC_ADDR, NetFeatures.MQ}) {
            assertEquals(bit, f & bit, "offered: bit " + Long.numberOfTrailingZeros(bit));
        }
        assertEquals(0, new NetDevice(sw, A, 1).features() & NetFeatures.MQ, "one pair offers no MQ");
    }

    @Test
    void linkChangesUpdateStatusAndRaiseTheConfigInterrupt() {
        NetDevice d = device();
        AtomicInteger interrupts = new AtomicInteger();
        d.onConfigChange(interrupts::incrementAndGet);
        d.linkUp(false);
        byte[] st = new byte[2];
        d.readConfig(6, st);
        assertEquals(0, st[0] & VirtioNetStatus.VIRTIO_NET_S_LINK_UP);
        assertEquals(1, interrupts.get());
        d.queueStarted(0, () -> { });
        d.deliver(Frames.filler(A, B, 60));
        assertEquals(1, d.counters().rxNoRoom.sum(), "a link that is down receives nothing");
        d.linkUp(true);
        d.readConfig(6, st);
        assertEquals(VirtioNetStatus.VIRTIO_NET_S_LINK_UP, st[0] & VirtioNetStatus.VIRTIO_NET_S_LINK_UP);
        assertEquals(2, interrupts.get());
    }

    @Test
    void unknownClassesAndCommandsGetErr() throws Exception {
        NetDevice d = device(2, NetDevice.OFFERED | NetFeatures.MQ);
        NetRing c = ctrlRing(d);
        assertEquals(4, d.queueIndex(NetDevice.Q_CONTROLQ, 0), "control queue after two pairs");
        assertEquals(ERR, ctrl(d, c, 9, 0, new byte[1]), "class 9 does not exist");
        assertEquals(ERR, ctrl(d, c, 0xff, 0, new byte[1]));
        assertEquals(ERR, ctrl(d, c, 7, 0, new byte[4]), "HASH_TUNNEL is not offered");
        assertEquals(ERR, ctrl(d, c, 0, 2, new byte[] {1}), "ALLUNI needs CTRL_RX_EXTRA");
        assertEquals(ERR, ctrl(d, c, 0, 77, new byte[] {1}));
        assertEquals(ERR, ctrl(d, c, 1, 9, macs(B)));
        assertEquals(ERR, ctrl(d, c, 2, 3, new byte[2]));
        assertEquals(ERR, ctrl(d, c, 4, 1, new byte[40]), "RSS_CONFIG without RSS");
        assertEquals(ERR, ctrl(d, c, 3, 0, new byte[0]), "ANNOUNCE is not offered");
        assertEquals(ERR, ctrl(d, c, 5, 0, new byte[8]));
        assertEquals(ERR, ctrl(d, c, 6, 0, new byte[8]));
        assertEquals(ERR, ctrl(d, c, 8, 0, new byte[0]));
        assertEquals(12, d.counters().ctrlErrors.sum());
        assertEquals(OK, ctrl(d, c, 0, 0, new byte[] {0}), "a good command still works afterwards");
    }

    @Test
    void shortControlBuffersGetErrOrAreRefusedWithAReason() throws Exception {
        NetDevice d = device();
        NetRing c = ctrlRing(d);
        assertEquals(ERR, c.request(d, new byte[] {0}, 1).bytes()[0], "class byte only");
        assertEquals(ERR, ctrl(d, c, 0, 0, new byte[0]), "PROMISC without its on byte");
        assertEquals(ERR, ctrl(d, c, 0, 0, new byte[2]), "PROMISC with two bytes");
        assertEquals(ERR, ctrl(d, c, 2, 0, new byte[1]), "VLAN_ADD with one byte of its ID");
        assertEquals(ERR, ctrl(d, c, 1, 1, new byte[5]), "ADDR_SET with five bytes");
        assertEquals(ERR, ctrl(d, c, 1, 0, new byte[3]), "a table without a whole count");
        assertEquals(ERR, c.request(d, new byte[0], 1).bytes()[0], "no readable byte at all");
        // No room for the ack: nothing can be written, the chain is completed empty and counted.
        assertEquals(0, c.request(d, new byte[] {0, 0, 0}, 0).bytes().length);
        assertEquals(1, d.counters().ctrlUnanswerable.sum());
        assertTrue(d.filter().promiscuous(), "the unanswerable command was not applied");
        assertEquals(7, d.counters().ctrlErrors.sum());
    }

    @Test
    void macTablesThatOverrunTheirBufferGetErr() throws Exception {
        NetDevice d = device();
        NetRing c = ctrlRing(d);
        NetRing tx = new NetRing(1);
        assertEquals(ERR, ctrl(d, c, 1, 0, concat(le32(5), macs(B, C), le32(0))), "5 announced, 2 sent");
        assertEquals(ERR, ctrl(d, c, 1, 0, concat(le32(0), le32(3), macs(Frames.MULTICAST))), "3 announced, 1 sent");
        assertEquals(ERR, ctrl(d, c, 1, 0, concat(le32(0xffffffffL), macs(B))), "a count that overflows 32 bits x 6");
        assertEquals(ERR, ctrl(d, c, 1, 0, concat(le32(1), macs(B))), "the multicast table is missing");
        assertEquals(ERR, ctrl(d, c, 1, 0, concat(le32(1), macs(B), le32(0), new byte[1])), "a byte left over");
        stillSwitches(d, tx);
        assertEquals(OK, ctrl(d, c, 1, 0, concat(le32(1), macs(B), le32(1), macs(Frames.MULTICAST))));
    }

    @Test
    void shortAndOversizedFramesAreDroppedCountedAndSwitchingGoesOn() throws Exception {
        NetDevice d = device();
        NetRing tx = new NetRing(1);
        assertEquals(0, transmit(d, tx, new byte[11]), "shorter than the net header");
        assertEquals(1, d.counters().txShort.sum());
        stillSwitches(d, tx);
        assertEquals(0, transmit(d, tx, new byte[Packet.HDR + 13]), "a header and 13 bytes: no Ethernet header");
        assertEquals(2, d.counters().txShort.sum());
        stillSwitches(d, tx);
        byte[] huge = Frames.filler(B, A, Packet.MAX_FRAME - Packet.ETH_HLEN + 1);
        assertEquals(0, transmit(d, tx, huge));
        assertEquals(1, d.counters().txOversize.sum());
        stillSwitches(d, tx);
        byte[] gso = Frames.filler(B, A, 100);
        gso[1] = 3; // GSO_UDP (UFO), never offered
        transmit(d, tx, gso);
        assertEquals(1, d.counters().txMalformed.sum());
        stillSwitches(d, tx);
        assertEquals(4, d.counters().txFrames.sum(), "only the good frames were switched");
        assertEquals(4, peer.got.size());
    }

    @Test
    void mergedBuffersSpreadAFrameAndCountThem() throws Exception {
        NetDevice d = device();
        NetRing rx = new NetRing(0);
        d.queueStarted(0, () -> { });
        assertTrue(rx.receive(d, 1024, 1024, 1024, 1024).isEmpty(), "nothing pending: the buffer is parked");
        byte[] p = Frames.filler(A, B, 2500);
        p[0] = 1; // NEEDS_CSUM passes through untouched to a driver with GUEST_CSUM
        p[6] = 34;
        p[8] = 6;
        d.deliver(p.clone());
        List<NetRing.Used> used = rx.serve(d);
        assertEquals(3, used.size(), "12 + 2514 bytes in 1 KiB buffers");
        assertEquals(List.of(1024, 1024, p.length - 2048), used.stream().map(u -> u.bytes().length).toList());
        byte[] got = concat(used.get(0).bytes(), used.get(1).bytes(), used.get(2).bytes());
        assertEquals(3, got[10] | got[11] << 8, "num_buffers");
        got[10] = 0;
        got[11] = 0;
        assertArrayEquals(p, got, "header fields and frame as sent");
        assertEquals(1, d.counters().rxFrames.sum());
        assertEquals(1, d.counters().rxMerged.sum());
    }

    /** Found by avps conform's net_rx_header_fields: a sender's undefined flag bits reached the receiver. */
    @Test
    void receivedFlagsAreTheDevicesOwn() throws Exception {
        NetDevice plain = device(1, NetDevice.OFFERED & ~NetFeatures.GUEST_CSUM & ~NetFeatures.GUEST_TSO4
                & ~NetFeatures.GUEST_TSO6);
        NetRing rx = new NetRing(0);
        plain.queueStarted(0, () -> { });
        byte[] p = Frames.filler(A, B, 100);
        p[0] = (byte) 0x82; // DATA_VALID and an undefined bit, as a sender set them
        plain.deliver(p);
        List<NetRing.Used> used = rx.receive(plain, 1024);
        assertEquals(1, used.size());
        assertEquals(0, used.get(0).bytes()[0], "without GUEST_CSUM the flags are 0");
        plain.detach();

        NetDevice csum = device();
        NetRing rx2 = new NetRing(0);
        csum.queueStarted(0, () -> { });
        byte[] q = Frames.filler(A, B, 100);
        q[0] = (byte) 0x82;
        csum.deliver(q);
        used = rx2.receive(csum, 1024);
        assertEquals(1, used.size());
        assertEquals(2, used.get(0).bytes()[0], "with GUEST_CSUM only DATA_VALID is kept");
    }

    @Test
    void aFrameWhoseBuffersRunOutEndsConsistentlyNumbered() throws Exception {
        NetDevice d = device();
        NetRing rx = new NetRing(0);
        d.queueStarted(0, () -> { });
        d.deliver(Frames.filler(A, B, 3000));
        List<NetRing.Used> used = rx.receive(d, 1024, 1024);
        assertEquals(2, used.size());
        assertEquals(2, used.get(0).bytes()[10], "num_buffers counts only the buffers that were published");
        assertEquals(1, d.counters().rxTruncated.sum());
        byte[] next = Frames.filler(A, C, 100);
        d.deliver(next);
        used = rx.receive(d, 1024);
        assertEquals(1, used.size(), "the next frame starts in a fresh buffer");
        assertEquals(1, used.get(0).bytes()[10]);
        assertEquals(C, Packet.src(used.get(0).bytes()));
    }

    @Test
    void withoutMergedBuffersAFrameMustFitOneBuffer() throws Exception {
        NetDevice d = device(1, NetDevice.OFFERED & ~NetFeatures.MRG_RXBUF);
        NetRing rx = new NetRing(0);
        d.queueStarted(0, () -> { });
        d.deliver(Frames.filler(A, B, 2000));
        d.deliver(Frames.filler(A, C, 500));
        List<NetRing.Used> used = rx.receive(d, 1024);
        assertEquals(1, used.size());
        assertEquals(C, Packet.src(used.get(0).bytes()), "the frame too big for the buffer was dropped");
        assertEquals(1, used.get(0).bytes()[10], "num_buffers is 1");
        assertEquals(1, d.counters().rxTruncated.sum());
    }

    @Test
    void promiscuousModeAndTheMacTableFilter() throws Exception {
        NetDevice d = device();
        NetRing c = ctrlRing(d);
        d.queueStarted(0, () -> { });
        d.deliver(Frames.filler(C, B, 60));
        assertEquals(0, d.counters().rxFiltered.sum(), "promiscuous until the driver says otherwise");
        assertEquals(OK, ctrl(d, c, 0, 0, new byte[] {0}));
        d.deliver(Frames.filler(C, B, 60));
        d.deliver(Frames.filler(Frames.MULTICAST, B, 60));
        assertEquals(2, d.counters().rxFiltered.sum(), "someone else's unicast and an unjoined group");
        d.deliver(Frames.filler(A, B, 60));
        d.deliver(Frames.filler(Packet.BROADCAST, B, 60));
        assertEquals(2, d.counters().rxFiltered.sum(), "our address and broadcast pass");
        assertEquals(OK, ctrl(d, c, 1, 0, concat(le32(1), macs(C), le32(1), macs(Frames.MULTICAST))));
        d.deliver(Frames.filler(C, B, 60));
        d.deliver(Frames.filler(Frames.MULTICAST, B, 60));
        assertEquals(2, d.counters().rxFiltered.sum(), "both tables pass now");
        assertEquals(OK, ctrl(d, c, 1, 0, concat(le32(0), le32(0))));
        assertEquals(OK, ctrl(d, c, 0, 1, new byte[] {1}));
        d.deliver(Frames.filler(0x01_00_5e_7f_00_01L, B, 60));
        d.deliver(Frames.filler(C, B, 60));
        assertEquals(3, d.counters().rxFiltered.sum(), "all-multicast takes any group, the emptied table no C");
        assertEquals(OK, ctrl(d, c, 1, 1, macs(B)));
        d.deliver(Frames.filler(B, C, 60));
        d.deliver(Frames.filler(A, C, 60));
        assertEquals(4, d.counters().rxFiltered.sum(), "ADDR_SET moved the primary address from A to B");
        byte[] mac = new byte[6];
        d.readConfig(0, mac);
        assertArrayEquals(macs(B), mac, "and the config space shows it");
        assertEquals(ERR, ctrl(d, c, 1, 1, macs(Frames.MULTICAST)), "a group address cannot be ours");
        assertEquals(OK, ctrl(d, c, 0, 0, new byte[] {1}));
        d.deliver(Frames.filler(C, B, 60));
        assertEquals(4, d.counters().rxFiltered.sum(), "promiscuous again");
        assertEquals(8, new NetRing(0).receive(d, new int[] {2048, 2048, 2048, 2048, 2048, 2048, 2048, 2048, 2048,
            2048}).size(), "every frame that passed reached the driver");
    }

    @Test
    void theVlanTableFiltersTaggedFrames() throws Exception {
        NetDevice d = device();
        NetRing c = ctrlRing(d);
        d.queueStarted(0, () -> { });
        assertEquals(OK, ctrl(d, c, 0, 0, new byte[] {0}));
        d.deliver(Frames.tagged(A, B, 5, 60));
        assertEquals(1, d.counters().rxFiltered.sum(), "the table starts empty");
        d.deliver(Frames.filler(A, B, 60));
        assertEquals(1, d.counters().rxFiltered.sum(), "untagged frames are not filtered by VLAN");
        assertEquals(OK, ctrl(d, c, 2, 0, new byte[] {5, 0}));
        d.deliver(Frames.tagged(A, B, 5, 60));
        d.deliver(Frames.tagged(A, B, 6, 60));
        assertEquals(2, d.counters().rxFiltered.sum(), "5 passes, 6 does not");
        assertEquals(OK, ctrl(d, c, 2, 1, new byte[] {5, 0}));
        d.deliver(Frames.tagged(A, B, 5, 60));
        assertEquals(3, d.counters().rxFiltered.sum(), "5 removed");
        assertEquals(ERR, ctrl(d, c, 2, 0, new byte[] {0, 0x10}), "4096 is no VLAN ID");
        NetDevice plain = device(1, NetDevice.OFFERED & ~NetFeatures.CTRL_VLAN);
        NetRing pc = ctrlRing(plain);
        plain.queueStarted(0, () -> { });
        assertEquals(OK, ctrl(plain, pc, 0, 0, new byte[] {0}));
        plain.deliver(Frames.tagged(A, B, 5, 60));
        assertEquals(0, plain.counters().rxFiltered.sum(), "without CTRL_VLAN every VLAN passes");
        assertEquals(ERR, ctrl(plain, pc, 2, 0, new byte[] {5, 0}), "and the VLAN class is refused");
    }

    @Test
    void queuePairsAreSetWithinTheOfferAndSteerReceivedFlows() throws Exception {
        NetDevice d = device(2, NetDevice.OFFERED | NetFeatures.MQ);
        NetRing c = ctrlRing(d);
        assertEquals(ERR, ctrl(d, c, 4, 0, new byte[] {0, 0}), "zero pairs");
        assertEquals(ERR, ctrl(d, c, 4, 0, new byte[] {3, 0}), "more pairs than offered");
        assertEquals(ERR, ctrl(d, c, 4, 0, new byte[] {2}), "a one-byte count");
        assertEquals(1, d.activePairs());
        assertEquals(OK, ctrl(d, c, 4, 0, new byte[] {2, 0}));
        assertEquals(2, d.activePairs());
        d.queueStarted(0, () -> { });
        d.queueStarted(2, () -> { });
        // A flow the driver sent on transmitq2 (queue 3) comes back on receiveq2 (queue 2).
        NetRing tx2 = new NetRing(3);
        byte[] out = Frames.udp(B, A, 0x0a000001, 0x0a000002, 4000, 5000, new byte[10]);
        transmit(d, tx2, out);
        d.deliver(Frames.udp(A, B, 0x0a000002, 0x0a000001, 5000, 4000, new byte[10]));
        assertTrue(new NetRing(0).receive(d, 2048).isEmpty(), "nothing on receiveq1");
        assertEquals(1, new NetRing(2).receive(d, 2048).size(), "the reply on receiveq2");
    }

    @Test
    void partialChecksumsAreCompletedForADriverWithoutGuestCsum() throws Exception {
        NetDevice d = device(1, NetDevice.OFFERED & ~(NetFeatures.GUEST_CSUM | NetFeatures.GUEST_TSO4
                | NetFeatures.GUEST_TSO6));
        NetRing rx = new NetRing(0);
        d.queueStarted(0, () -> { });
        byte[] p = Frames.udp(A, B, 0x0a000002, 0x0a000001, 1000, 2000, new byte[] {1, 2, 3, 4, 5});
        byte[] expected = p.clone();
        int l4 = Packet.HDR + Packet.ETH_HLEN + 20;
        long pseudo = InternetChecksum.add(0, p, Packet.HDR + Packet.ETH_HLEN + 12, 8) + 17 + 13;
        Packet.putU16(expected, l4 + 6, InternetChecksum.finish(InternetChecksum.add(pseudo, p, l4, 13)));
        // The sender leaves the folded pseudo-header sum in the field and asks for the rest.
        int seed = ~InternetChecksum.finish(pseudo) & 0xffff;
        Packet.putU16(p, l4 + 6, seed);
        p[0] = 1;
        p[6] = 34;
        p[8] = 6;
        d.deliver(p);
        byte[] got = rx.receive(d, 2048).get(0).bytes();
        assertEquals(0, got[0], "NEEDS_CSUM cleared");
        assertArrayEquals(Arrays.copyOfRange(expected, Packet.HDR, expected.length),
                Arrays.copyOfRange(got, Packet.HDR, got.length), "the UDP checksum completed");
        byte[] tso = Frames.filler(A, B, 100);
        tso[1] = 1;
        d.deliver(tso);
        assertEquals(1, d.counters().rxOffloadRefused.sum(), "TSO to a driver without GUEST_TSO4 is refused");
    }

    @Test
    void aResetForgetsTheFilterTheAddressAndTheBacklog() throws Exception {
        NetDevice d = device();
        NetRing c = ctrlRing(d);
        d.queueStarted(0, () -> { });
        assertEquals(OK, ctrl(d, c, 0, 0, new byte[] {0}));
        assertEquals(OK, ctrl(d, c, 1, 1, macs(C)));
        d.deliver(Frames.filler(C, B, 60));
        d.reset();
        assertTrue(d.filter().promiscuous());
        byte[] mac = new byte[6];
        d.readConfig(0, mac);
        assertArrayEquals(macs(A), mac, "the address offered at start is back");
        assertEquals(A, d.filter().address());
        d.featuresNegotiated(V1 | NetDevice.OFFERED);
        assertTrue(new NetRing(0).receive(d, 2048).isEmpty(), "the frame queued before the reset is gone");
    }
}
