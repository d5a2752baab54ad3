package dev.avps.devices.net;

import static dev.avps.devices.net.Frames.A;
import static dev.avps.devices.net.Frames.B;
import static dev.avps.devices.net.Frames.C;
import static dev.avps.devices.net.Frames.HOST;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.avps.generated.net.NetFeatures;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The learning switch and its host end, with hand-built frames. */
class SwitchTest {

    final Switch sw = new Switch("test");
    final Frames.Recorder p1 = new Frames.Recorder("p1");
    final Frames.Recorder p2 = new Frames.Recorder("p2");
    final Frames.Recorder p3 = new Frames.Recorder("p3");

    SwitchTest() {
        sw.attach(p1);
        sw.attach(p2);
        sw.attach(p3);
    }

    @Test
    void unknownAndBroadcastFloodKnownUnicastGoesToOnePort() {
        sw.forward(p1, Frames.filler(B, A, 60));
        assertEquals(List.of(0, 1, 1), sizes(), "B unknown: flooded to every other port");
        assertSame(p1, sw.portOf(A), "A learned on p1");
        sw.forward(p2, Frames.filler(A, B, 60));
        assertEquals(List.of(1, 1, 1), sizes(), "A known: to p1 only");
        sw.forward(p1, Frames.filler(B, A, 60));
        assertEquals(List.of(1, 2, 1), sizes(), "B learned from its reply: to p2 only");
        sw.forward(p3, Frames.filler(Packet.BROADCAST, C, 60));
        assertEquals(List.of(2, 3, 1), sizes(), "broadcast floods");
        sw.forward(p3, Frames.filler(Frames.MULTICAST, C, 60));
        assertEquals(List.of(3, 4, 1), sizes(), "multicast floods");
        sw.forward(p2, Frames.filler(B, C, 60));
        assertEquals(List.of(3, 4, 1), sizes(), "a frame for B arriving from B's own port goes nowhere");
        assertEquals(1, sw.hairpin.sum());
        // C moves to p1: the table follows the newest source.
        sw.forward(p1, Frames.filler(Packet.BROADCAST, C, 60));
        sw.forward(p2, Frames.filler(C, B, 60));
        assertSame(p1, sw.portOf(C));
        assertEquals(List.of(4, 5, 2), sizes());
        assertEquals(3, sw.learnedCount());
    }

    @Test
    void groupSourcesAreNotLearnedAndTheTableIsBounded() {
        sw.forward(p1, Frames.filler(B, Frames.MULTICAST, 60));
        assertEquals(0, sw.learnedCount(), "a group address is never a source");
        for (int i = 0; i < Switch.MAX_ADDRESSES + 10; i++) {
            sw.forward(p1, Frames.filler(Packet.BROADCAST, 0x02_00_00_00_00_00L + i, 14));
        }
        assertEquals(Switch.MAX_ADDRESSES, sw.learnedCount());
        sw.forward(p2, Frames.filler(0x02_00_00_00_00_00L + Switch.MAX_ADDRESSES + 5, B, 60));
        assertEquals(1 + Switch.MAX_ADDRESSES + 10 + 1, p3.got.size(), "an address not learned is flooded");
    }

    List<Integer> sizes() {
        return List.of(p1.got.size(), p2.got.size(), p3.got.size());
    }

    static final int HOST_IP = 0x0a000202;
    static final int GUEST_IP = 0x0a00020f;

    @Test
    void theHostEndAnswersArpPingAndUdpEcho() {
        HostEnd host = new HostEnd(sw, HOST, HOST_IP, 7);
        sw.forward(p1, Frames.arpRequest(A, GUEST_IP, HOST_IP));
        assertEquals(1, host.arpReplies.sum());
        byte[] arp = p1.got.get(0);
        assertEquals(A, Packet.dst(arp));
        assertEquals(HOST, Packet.src(arp));
        int a = Packet.HDR + Packet.ETH_HLEN;
        assertEquals(Packet.ETHERTYPE_ARP, Packet.outerType(arp));
        assertEquals(2, Packet.u16(arp, a + 6), "a reply");
        assertEquals(HOST, Packet.mac(arp, a + 8), "our MAC for the asked address");
        assertEquals(HOST_IP, HostEnd.int32(arp, a + 14));
        assertEquals(A, Packet.mac(arp, a + 18));
        assertEquals(GUEST_IP, HostEnd.int32(arp, a + 24));
        assertEquals(1, p2.got.size(), "the request was flooded, the reply went to the asker's port only");
        assertEquals(1, Packet.u16(p2.got.get(0), a + 6));

        sw.forward(p1, Frames.arpRequest(A, GUEST_IP, HOST_IP + 1));
        assertEquals(1, host.arpReplies.sum(), "someone else's address is not answered");

        byte[] data = "ping payload 0123456789".getBytes(StandardCharsets.US_ASCII);
        sw.forward(p1, Frames.echoRequest(HOST, A, GUEST_IP, HOST_IP, 77, 3, data));
        assertEquals(1, host.echoReplies.sum());
        byte[] pong = p1.got.get(1);
        int ip = Packet.HDR + Packet.ETH_HLEN;
        assertEquals(0, InternetChecksum.of(pong, ip, 20), "a valid IP header checksum");
        assertEquals(HOST_IP, HostEnd.int32(pong, ip + 12));
        assertEquals(GUEST_IP, HostEnd.int32(pong, ip + 16));
        int icmp = ip + 20;
        assertEquals(0, pong[icmp], "echo reply");
        assertEquals(77, Packet.u16(pong, icmp + 4));
        assertEquals(3, Packet.u16(pong, icmp + 6));
        assertArrayEquals(data, Arrays.copyOfRange(pong, icmp + 8, pong.length));
        assertEquals(0, InternetChecksum.of(pong, icmp, pong.length - icmp), "a valid ICMP checksum");

        sw.forward(p1, Frames.udp(HOST, A, GUEST_IP, HOST_IP, 40000, 7, data));
        assertEquals(1, host.udpEchoes.sum());
        byte[] echo = p1.got.get(2);
        int udp = ip + 20;
        assertEquals(7, Packet.u16(echo, udp));
        assertEquals(40000, Packet.u16(echo, udp + 2));
        assertArrayEquals(data, Arrays.copyOfRange(echo, udp + 8, echo.length));
        long pseudo = InternetChecksum.add(0, echo, ip + 12, 8) + 17 + (8 + data.length);
        assertEquals(0, InternetChecksum.finish(InternetChecksum.add(pseudo, echo, udp, 8 + data.length)),
                "a valid UDP checksum");
        sw.forward(p1, Frames.udp(HOST, A, GUEST_IP, HOST_IP, 40000, 9, data));
        assertEquals(1, host.udpEchoes.sum(), "only the echo port answers");
        assertEquals(3, p1.got.size());
    }

    @Test
    void theHostEndIgnoresMalformedPacketsAndKeepsAnswering() {
        HostEnd host = new HostEnd(sw, HOST, HOST_IP, 7);
        byte[] ping = Frames.echoRequest(HOST, A, GUEST_IP, HOST_IP, 1, 1, new byte[8]);
        byte[] lying = ping.clone();
        Packet.putU16(lying, Packet.HDR + Packet.ETH_HLEN + 2, 5000); // total length past the frame
        sw.forward(p1, lying);
        sw.forward(p1, Arrays.copyOf(ping, Packet.HDR + Packet.ETH_HLEN + 10)); // cut inside the IP header
        byte[] arp = Frames.arpRequest(A, GUEST_IP, HOST_IP);
        sw.forward(p1, Arrays.copyOf(arp, arp.length - 3));
        assertEquals(0, host.echoReplies.sum() + host.arpReplies.sum());
        sw.forward(p1, ping);
        assertEquals(1, host.echoReplies.sum());
    }

    @Test
    void twoNetDevicesExchangeFramesWithTheirHeadersUntouched() throws Exception {
        NetDevice a = new NetDevice(sw, A, 1);
        NetDevice b = new NetDevice(sw, B, 1);
        long all = (1L << 32) | NetDevice.OFFERED;
        a.featuresNegotiated(all);
        b.featuresNegotiated(all);
        b.queueStarted(0, () -> { });
        // A TSO super-frame with a partial checksum: the receiver took GUEST_TSO4 and GUEST_CSUM.
        byte[] tso = Frames.udp(B, A, GUEST_IP, HOST_IP, 1, 2, new byte[4000]);
        tso[0] = 1;
        tso[1] = 1;
        tso[2] = 54;
        tso[4] = (byte) 0xa8;
        tso[5] = 5;
        tso[6] = 34;
        tso[8] = 16;
        new NetRing(1).request(a, tso, 0);
        assertEquals(1, a.counters().txGso.sum());
        List<NetRing.Used> used = new NetRing(0).receive(b, 2048, 2048, 2048);
        assertEquals(2, used.size(), "12 + 4042 bytes in two 2 KiB buffers");
        byte[] got = NetDeviceTest.concat(used.get(0).bytes(), used.get(1).bytes());
        assertArrayEquals(Arrays.copyOf(tso, 10), Arrays.copyOf(got, 10), "flags, gso, hdr_len, gso_size, csum as sent");
        assertArrayEquals(Arrays.copyOfRange(tso, 12, tso.length), Arrays.copyOfRange(got, 12, got.length));
        assertEquals(0, b.counters().rxOffloadRefused.sum());
        assertEquals(NetFeatures.GUEST_TSO4, all & NetFeatures.GUEST_TSO4);
    }

    @Test
    void theEchoPortSendsUnicastBackWithAddressesSwappedAndDropsGroupFrames() {
        Switch loop = new Switch("loop");
        Frames.Recorder guest = new Frames.Recorder("guest");
        loop.attach(guest);
        EchoPort echo = new EchoPort(loop);
        byte[] sent = Frames.filler(B, A, 100);
        loop.forward(guest, sent.clone());
        assertEquals(1, guest.got.size(), "B is unknown: flooded to the echo port, which sends it back to A");
        byte[] back = guest.got.get(0);
        assertEquals(A, Packet.dst(back));
        assertEquals(B, Packet.src(back));
        assertArrayEquals(Arrays.copyOf(sent, Packet.HDR), Arrays.copyOf(back, Packet.HDR), "header untouched");
        assertArrayEquals(Arrays.copyOfRange(sent, Packet.HDR + 12, sent.length),
                Arrays.copyOfRange(back, Packet.HDR + 12, back.length), "EtherType and payload untouched");
        assertSame(echo, loop.portOf(B), "the echoed source is learned on the echo port");
        loop.forward(guest, Frames.filler(B, A, 60));
        assertEquals(2, guest.got.size(), "B now known: unicast to the echo port and back");
        loop.forward(guest, Frames.filler(Packet.BROADCAST, A, 60));
        loop.forward(guest, Frames.filler(Frames.MULTICAST, A, 60));
        assertEquals(2, guest.got.size(), "group frames are not echoed");
        assertEquals(2, echo.echoed());
        assertEquals(2, echo.groupDropped.sum());
    }
}
