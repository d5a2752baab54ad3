package dev.avps.conform.checks;

import dev.avps.conform.Check;
import dev.avps.conform.CheckContext;
import dev.avps.conform.CheckFailure;
import dev.avps.conform.CheckFamily;
import dev.avps.conform.Inapplicable;
import dev.avps.model.DeviceModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * virtio-net control queue (VIRTIO 1.4 5.1.9.5), written by hand. The chapter defines the ack
 * byte as the device's account of the command: VIRTIO_NET_OK says it took effect. A command the
 * device cannot carry out (an unknown class or command, 0 queue pairs, a MAC table announcing
 * more addresses than it carries) cannot have taken effect, so these checks expect
 * VIRTIO_NET_ERR for it; commands the chapter says a device MUST support expect VIRTIO_NET_OK.
 * MQ is left out of the negotiation (so the control queue follows the first pair) except where the
 * check is about MQ.
 */
public final class NetCtrlChecks implements CheckFamily {

    @Override
    public boolean appliesTo(DeviceModel device) {
        return device.name().equals("net");
    }

    @Override
    public List<Check> checks(DeviceModel device) {
        return List.of(
                new Check("net_ctrl_unknown_err", "With CTRL_VQ, a command of an undefined class, and an undefined"
                        + " command of the RX class, get VIRTIO_NET_ERR; a command after them is still answered.",
                        NetCtrlChecks::unknownErr),
                new Check("net_ctrl_rx_mode", "With CTRL_RX, PROMISC and ALLMULTI (and with CTRL_RX_EXTRA ALLUNI,"
                        + " NOMULTI, NOUNI, NOBCAST) each get VIRTIO_NET_OK switched on and off.", NetCtrlChecks::rxMode),
                new Check("net_ctrl_mac_table", "With CTRL_RX, MAC_TABLE_SET of one unicast and one multicast"
                        + " address gets OK and leaves mac as it was; a table announcing 5 addresses and carrying 1"
                        + " gets ERR; an empty table then gets OK.", NetCtrlChecks::macTable),
                new Check("net_ctrl_mac_addr_set", "With CTRL_MAC_ADDR, MAC_ADDR_SET gets OK and (with MAC) mac"
                        + " reads the new address; setting the old one back gets OK.", NetCtrlChecks::macAddrSet),
                new Check("net_ctrl_vlan", "With CTRL_VLAN, VLAN_ADD and VLAN_DEL of ID 100 each get OK.",
                        NetCtrlChecks::vlan),
                new Check("net_ctrl_mq_pairs", "With MQ, every queue pair started, VQ_PAIRS_SET 1 to"
                        + " max_virtqueue_pairs gets OK, 0 and max_virtqueue_pairs + 1 get ERR.", NetCtrlChecks::mqPairs),
                new Check("net_ctrl_announce_ack", "With GUEST_ANNOUNCE, ANNOUNCE_ACK gets OK and (with STATUS) the"
                        + " ANNOUNCE bit of status reads clear afterwards.", NetCtrlChecks::announceAck),
                new Check("net_rx_filter_promisc", "With CTRL_RX and promiscuous mode off, the answer to a probe sent"
                        + " from a foreign unicast address is not delivered (an answer to one from mac is); with it on,"
                        + " it is.", NetCtrlChecks::rxFilterPromisc));
    }

    private static NetLink link(CheckContext ctx, String feature) throws Exception {
        if (!ctx.offers(feature)) {
            throw Inapplicable.skip(feature + " is not offered");
        }
        return new NetLink(ctx, NetLink.without(ctx, "MQ"));
    }

    private static byte[] one(boolean on) {
        return new byte[] {(byte) (on ? 1 : 0)};
    }

    private static int cmd(NetLink l, String enumName, String literal) {
        return (int) l.wire.literal(enumName, literal);
    }

    private static void unknownErr(CheckContext ctx) throws Exception {
        NetLink l = link(ctx, "CTRL_VQ");
        int cls = l.wire.unknownValue("virtio_net_ctrl_class");
        l.expect("ERR", "class " + cls + " (undefined)", cls, 0, new byte[] {1});
        int rx = l.ctrlClass("RX");
        int unknownCmd = l.wire.unknownValue("virtio_net_ctrl_rx_cmd");
        l.expect("ERR", "RX command " + unknownCmd + " (undefined)", rx, unknownCmd, one(true));
        if (l.has("CTRL_RX")) {
            l.expect("OK", "PROMISC on after the undefined commands", rx,
                    cmd(l, "virtio_net_ctrl_rx_cmd", "VIRTIO_NET_CTRL_RX_PROMISC"), one(true));
        } else {
            l.expect("ERR", "class " + cls + " again", cls, 0, new byte[] {1});
        }
    }

    private static void rxMode(CheckContext ctx) throws Exception {
        NetLink l = link(ctx, "CTRL_RX");
        List<String> modes = l.has("CTRL_RX_EXTRA")
                ? List.of("PROMISC", "ALLMULTI", "ALLUNI", "NOMULTI", "NOUNI", "NOBCAST") : List.of("PROMISC", "ALLMULTI");
        int rx = l.ctrlClass("RX");
        for (String m : modes) {
            int c = cmd(l, "virtio_net_ctrl_rx_cmd", "VIRTIO_NET_CTRL_RX_" + m);
            l.expect("OK", m + " on", rx, c, one(true));
            l.expect("OK", m + " off", rx, c, one(false));
        }
        // Leave the device receiving everything, as after a reset of most devices.
        l.command(rx, cmd(l, "virtio_net_ctrl_rx_cmd", "VIRTIO_NET_CTRL_RX_PROMISC"), one(true));
        ctx.note(modes.size() + " modes switched: " + modes);
    }

    /** A MAC_TABLE_SET body: {@code announced} unicast entries with {@code unicast} carried, then the multicast table. */
    private static byte[] tables(int announced, long[] unicast, long[] multicast) {
        ByteBuffer b = ByteBuffer.allocate(8 + 6 * (unicast.length + multicast.length)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(announced);
        for (long m : unicast) {
            byte[] a = new byte[6];
            NetWire.putMac(a, 0, m);
            b.put(a);
        }
        b.putInt(multicast.length);
        for (long m : multicast) {
            byte[] a = new byte[6];
            NetWire.putMac(a, 0, m);
            b.put(a);
        }
        return b.array();
    }

    private static void macTable(CheckContext ctx) throws Exception {
        NetLink l = link(ctx, "CTRL_RX");
        int cls = l.ctrlClass("MAC");
        int set = cmd(l, "virtio_net_ctrl_mac_cmd", "VIRTIO_NET_CTRL_MAC_TABLE_SET");
        boolean readable = l.session.hasConfig() && l.has("MAC");
        byte[] before = readable ? l.config() : null;
        l.expect("OK", "a table of 1 unicast and 1 multicast address", cls, set,
                tables(1, new long[] {0x02_a5_c0_00_00_aaL}, new long[] {0x01_00_5e_00_00_01L}));
        if (readable) {
            long mac = NetWire.mac(l.config(), l.field("mac").offset());
            long was = NetWire.mac(before, l.field("mac").offset());
            CheckFailure.require(mac == was, "mac changed from " + NetWire.macString(was) + " to " + NetWire.macString(mac)
                    + " by MAC_TABLE_SET");
        } else {
            ctx.note("mac not compared: " + (l.has("MAC") ? "no CONFIG protocol feature" : "MAC not offered"));
        }
        int got = l.command(cls, set, tables(5, new long[] {0x02_a5_c0_00_00_abL}, new long[0]));
        CheckFailure.require(got == l.ack("ERR"), "a unicast table announcing 5 addresses with 1 carried: "
                + l.ackName(got) + ", expected VIRTIO_NET_ERR");
        l.expect("OK", "an empty table after the malformed one", cls, set, tables(0, new long[0], new long[0]));
    }

    private static void macAddrSet(CheckContext ctx) throws Exception {
        NetLink l = link(ctx, "CTRL_MAC_ADDR");
        int cls = l.ctrlClass("MAC");
        int set = cmd(l, "virtio_net_ctrl_mac_cmd", "VIRTIO_NET_CTRL_MAC_ADDR_SET");
        long fresh = 0x02_a5_c0_00_00_5aL;
        byte[] a = new byte[6];
        NetWire.putMac(a, 0, fresh);
        l.expect("OK", "MAC_ADDR_SET " + NetWire.macString(fresh), cls, set, a);
        if (l.session.hasConfig() && l.has("MAC")) {
            long mac = NetWire.mac(l.config(), l.field("mac").offset());
            CheckFailure.require(mac == fresh, "mac reads " + NetWire.macString(mac) + " after MAC_ADDR_SET "
                    + NetWire.macString(fresh));
        } else {
            ctx.note("mac not read back: " + (l.has("MAC") ? "no CONFIG protocol feature" : "MAC not offered"));
        }
        byte[] old = new byte[6];
        NetWire.putMac(old, 0, l.guestMac);
        l.expect("OK", "MAC_ADDR_SET back to " + NetWire.macString(l.guestMac), cls, set, old);
    }

    private static void vlan(CheckContext ctx) throws Exception {
        NetLink l = link(ctx, "CTRL_VLAN");
        int cls = l.ctrlClass("VLAN");
        byte[] id = {100, 0};
        l.expect("OK", "VLAN_ADD 100", cls, cmd(l, "virtio_net_ctrl_vlan_cmd", "VIRTIO_NET_CTRL_VLAN_ADD"), id);
        l.expect("OK", "VLAN_DEL 100", cls, cmd(l, "virtio_net_ctrl_vlan_cmd", "VIRTIO_NET_CTRL_VLAN_DEL"), id);
    }

    private static byte[] le16(int v) {
        return new byte[] {(byte) v, (byte) (v >>> 8)};
    }

    private static void mqPairs(CheckContext ctx) throws Exception {
        if (!ctx.offers("MQ")) {
            throw Inapplicable.skip("MQ is not offered");
        }
        NetLink l = new NetLink(ctx, ctx.defaultFeatures());
        if (!l.session.hasConfig()) {
            throw Inapplicable.notCheckable("no CONFIG protocol feature: max_virtqueue_pairs cannot be read");
        }
        int max = (int) l.configValue("max_virtqueue_pairs");
        CheckFailure.require(max >= 1, "max_virtqueue_pairs reads " + max);
        if (2 * max >= 16) {
            throw Inapplicable.notCheckable(max + " queue pairs and the control queue need more than the 16 queues this"
                    + " front end sets up");
        }
        for (int q = 0; q < 2 * max; q++) {
            l.session.ring(q); // the driver sets up the queues before enabling them
        }
        int cls = l.ctrlClass("MQ");
        int set = cmd(l, "virtio_net_ctrl_mq_cmd", "VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET");
        for (int n = 1; n <= max; n++) {
            l.expect("OK", "VQ_PAIRS_SET " + n + " (max_virtqueue_pairs " + max + ")", cls, set, le16(n));
        }
        l.expect("ERR", "VQ_PAIRS_SET 0", cls, set, le16(0));
        l.expect("ERR", "VQ_PAIRS_SET " + (max + 1) + " (max_virtqueue_pairs " + max + ")", cls, set, le16(max + 1));
        l.expect("OK", "VQ_PAIRS_SET 1 after the refused ones", cls, set, le16(1));
    }

    private static void announceAck(CheckContext ctx) throws Exception {
        NetLink l = link(ctx, "GUEST_ANNOUNCE");
        l.expect("OK", "ANNOUNCE_ACK", l.ctrlClass("ANNOUNCE"), (int) l.wire.constant("VIRTIO_NET_CTRL_ANNOUNCE_ACK"),
                new byte[0]);
        if (l.has("STATUS") && l.session.hasConfig()) {
            long st = l.configValue("status");
            long announce = l.wire.literal("virtio_net_status", "VIRTIO_NET_S_ANNOUNCE");
            CheckFailure.require((st & announce) == 0, "status 0x" + Long.toHexString(st) + " still has ANNOUNCE after"
                    + " ANNOUNCE_ACK was used");
        } else {
            ctx.note("status not read: " + (l.has("STATUS") ? "no CONFIG protocol feature" : "STATUS not offered"));
        }
    }

    private static void rxFilterPromisc(CheckContext ctx) throws Exception {
        if (!ctx.offers("CTRL_RX")) {
            throw Inapplicable.skip("CTRL_RX is not offered");
        }
        NetLink l = new NetLink(ctx, NetLink.without(ctx, NetLink.GUEST_OFFLOADS));
        l.requirePeer();
        l.post(16, NetLink.RX_BUFFER);
        int rx = l.ctrlClass("RX");
        int promisc = cmd(l, "virtio_net_ctrl_rx_cmd", "VIRTIO_NET_CTRL_RX_PROMISC");
        long foreign = 0x02_a5_c0_00_77_01L;
        l.expect("OK", "PROMISC off", rx, promisc, one(false));
        NetLink.Probe stray = l.sendProbe(foreign, 0, 64);
        NetLink.Probe own = l.sendProbe(l.guestMac, 0, 64);
        // The stray answer was sent first; once the own one is in (or a while after), it would have come.
        long deadline = System.nanoTime() + l.session.requestMillis() * 1_000_000L;
        boolean ownSeen = false;
        long settle = Long.MAX_VALUE;
        while (System.nanoTime() < Math.min(deadline, settle)) {
            NetLink.Rx r = l.receive(Math.max(1, (Math.min(deadline, settle) - System.nanoTime()) / 1_000_000));
            if (r == null) {
                break;
            }
            byte[] f = r.frame(l.wire.hdrSize);
            CheckFailure.require(!NetWire.answers(f, stray.id(), stray.seq()), "with promiscuous mode off, a frame"
                    + " to " + NetWire.macString(NetWire.dst(f)) + " (neither mac nor in a table) was delivered");
            if (NetWire.answers(f, own.id(), own.seq()) && !ownSeen) {
                ownSeen = true;
                settle = System.nanoTime() + 200_000_000L;
            }
        }
        if (!ownSeen) {
            throw Inapplicable.notCheckable("the peer (" + ctx.target().netPeer() + ") returned no answer to a probe"
                    + " from mac within " + l.session.requestMillis() + " ms");
        }
        l.expect("OK", "PROMISC on", rx, promisc, one(true));
        NetLink.Probe again = l.sendProbe(foreign, 0, 64);
        CheckFailure.require(l.await(again, l.session.requestMillis()) != null, "with promiscuous mode on, the answer"
                + " to a probe from " + NetWire.macString(foreign) + " was not delivered within "
                + l.session.requestMillis() + " ms");
    }
}
