package dev.avps.conform.checks;

import dev.avps.conform.Check;
import dev.avps.conform.CheckContext;
import dev.avps.conform.CheckFailure;
import dev.avps.conform.CheckFamily;
import dev.avps.conform.Exchange;
import dev.avps.conform.Inapplicable;
import dev.avps.conform.model.Layouts;
import dev.avps.model.DeviceModel;
import dev.avps.model.FieldLayout;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * virtio-net config space and data path (VIRTIO 1.4 5.1.4.1, 5.1.9.2.2, 5.1.9.3.2, 5.1.9.4.1), written
 * by hand. The receive checks need a frame back: the peer behind the device (see {@link NetLink})
 * answers ICMP echo probes the front end sends.
 */
public final class NetRxChecks implements CheckFamily {
    /** Receive buffers posted at the start of a traffic check. */
    private static final int POSTED = 16;

    @Override
    public boolean appliesTo(DeviceModel device) {
        return device.name().equals("net");
    }

    @Override
    public List<Check> checks(DeviceModel device) {
        return List.of(
                new Check("net_config_stable", "Every config field but status (mac, mtu, max_virtqueue_pairs, speed,"
                        + " duplex, the RSS limits) reads the same after FEATURES_OK, after DRIVER_OK, after traffic and"
                        + " after a reset.", NetRxChecks::configStable),
                new Check("net_status_defined", "With STATUS, status carries only the bits virtio_net_status defines,"
                        + " before and after DRIVER_OK.", NetRxChecks::statusDefined),
                new Check("net_rx_header_fields", "Without MRG_RXBUF and without receive offloads, every received"
                        + " header has num_buffers 1, flags 0 and gso_type VIRTIO_NET_HDR_GSO_NONE (also for a frame"
                        + " sent with flag bits set).", NetRxChecks::headerFields),
                new Check("net_rx_mrg_num_buffers", "With MRG_RXBUF, a frame larger than one 256-byte buffer spans"
                        + " num_buffers buffers, all but the last used to the full, and comes back whole.",
                        NetRxChecks::mrgNumBuffers),
                new Check("net_rx_within_buffer", "Receive buffers sized exactly for header and frame (and, with"
                        + " MRG_RXBUF, 64-byte ones): nothing written around them; the used length is header plus frame.",
                        NetRxChecks::withinBuffer),
                new Check("net_tx_unknown_flags_ignored", "A frame sent with a flag bit virtio_net_hdr_flags does not"
                        + " define still reaches the peer (its answer comes back).", NetRxChecks::unknownFlagsIgnored),
                new Check("net_tx_buffers_returned", "Every transmit chain comes back used with length 0: a whole"
                        + " frame, one split over two descriptors, a header alone, and 6 bytes (shorter than the header).",
                        NetRxChecks::txReturned));
    }

    private static void configStable(CheckContext ctx) throws Exception {
        NetLink link = new NetLink(ctx, ctx.defaultFeatures(), false);
        if (!link.session.hasConfig()) {
            throw Inapplicable.notCheckable("no CONFIG protocol feature: the config space cannot be read");
        }
        byte[] first = stableBytes(link);
        link.start();
        compare(link, first, "after DRIVER_OK");
        link.send(link.wire.header(0), NetWire.arpRequest(link.guestMac, NetLink.GUEST_IP, NetLink.ECHO_IP));
        compare(link, first, "after a frame was sent");
        if (link.session.canReset()) {
            link.session.reset();
            link.session.renegotiate();
            compare(link, first, "after a reset");
        } else {
            ctx.note("no RESET_DEVICE or STATUS protocol feature: not compared across a reset");
        }
    }

    /** The config as read now, with status (which follows the link) zeroed. */
    private static byte[] stableBytes(NetLink link) throws Exception {
        byte[] c = link.config();
        FieldLayout status = link.field("status");
        if (Layouts.present(status, link.session.negotiated()) && status.offset() + status.size() <= c.length) {
            Arrays.fill(c, status.offset(), status.offset() + status.size(), (byte) 0);
        }
        return c;
    }

    private static void compare(NetLink link, byte[] first, String when) throws Exception {
        byte[] now = stableBytes(link);
        List<String> changed = new ArrayList<>();
        for (FieldLayout f : Layouts.presentFields(link.ctx.device().config(), link.session.negotiated())) {
            int end = Math.min(f.offset() + f.size(), Math.min(first.length, now.length));
            if (!Arrays.equals(first, f.offset(), end, now, f.offset(), end)) {
                changed.add(f.name());
            }
        }
        CheckFailure.require(changed.isEmpty(), changed + " changed " + when);
    }

    private static void statusDefined(CheckContext ctx) throws Exception {
        if (!ctx.offers("STATUS")) {
            throw Inapplicable.skip("STATUS is not offered");
        }
        NetLink link = new NetLink(ctx, ctx.defaultFeatures(), false);
        if (!link.session.hasConfig()) {
            throw Inapplicable.notCheckable("no CONFIG protocol feature: status cannot be read");
        }
        long defined = link.wire.definedBits("virtio_net_status");
        for (int i = 0; i < 2; i++) {
            long st = link.configValue("status");
            CheckFailure.require((st & ~defined) == 0, "status 0x" + Long.toHexString(st) + " has bits outside 0x"
                    + Long.toHexString(defined));
            if (i == 0) {
                link.start();
                link.send(link.wire.header(0), NetWire.arpRequest(link.guestMac, NetLink.GUEST_IP, NetLink.ECHO_IP));
            }
        }
    }

    private static void headerFields(CheckContext ctx) throws Exception {
        List<String> off = new ArrayList<>(List.of(NetLink.GUEST_OFFLOADS));
        off.add("MRG_RXBUF");
        NetLink link = new NetLink(ctx, NetLink.without(ctx, off.toArray(String[]::new)));
        link.requirePeer();
        link.post(POSTED, NetLink.RX_BUFFER);
        long gsoNone = link.wire.literal("virtio_net_hdr_gso", "VIRTIO_NET_HDR_GSO_NONE");
        // The second probe is sent with DATA_VALID and an undefined flag bit set: a device that hands
        // the sender's header on to the receiver (as a switch between guests may) shows it here.
        int[] txFlags = {0, (int) link.wire.literal("virtio_net_hdr_flags", "VIRTIO_NET_HDR_F_DATA_VALID") | 0x80};
        for (int flags : txFlags) {
            NetLink.Probe p = link.sendProbe(link.guestMac, flags, 64);
            NetLink.Rx rx = flags == 0 ? link.answer(p) : link.await(p, link.session.requestMillis());
            if (rx == null) {
                ctx.note("no answer to the probe sent with flags 0x" + Integer.toHexString(flags)
                        + " (net_tx_unknown_flags_ignored judges that)");
                continue;
            }
            String what = "the answer to a probe sent with flags 0x" + Integer.toHexString(flags);
            CheckFailure.require(rx.used() >= link.wire.hdrSize, what + ": used length " + rx.used());
            CheckFailure.require(link.wire.numBuffers(rx.bytes()) == 1, what + ": num_buffers "
                    + link.wire.numBuffers(rx.bytes()) + " without MRG_RXBUF");
            CheckFailure.require(link.wire.flags(rx.bytes()) == 0, what + ": flags 0x"
                    + Integer.toHexString(link.wire.flags(rx.bytes())) + " without GUEST_CSUM (must be 0)");
            CheckFailure.require(link.wire.gsoType(rx.bytes()) == gsoNone, what + ": gso_type "
                    + link.wire.gsoType(rx.bytes()) + " with no receive offload negotiated");
        }
    }

    private static void mrgNumBuffers(CheckContext ctx) throws Exception {
        if (!ctx.offers("MRG_RXBUF")) {
            throw Inapplicable.skip("MRG_RXBUF is not offered");
        }
        NetLink link = new NetLink(ctx, NetLink.without(ctx, NetLink.GUEST_OFFLOADS) | ctx.bit("MRG_RXBUF"));
        link.requirePeer();
        int size = 256;
        link.post(POSTED, size);
        NetLink.Probe p = link.sendProbe(link.guestMac, 0, 1000);
        NetLink.Rx first = link.answer(p);
        int total = link.wire.hdrSize + p.frame().length;
        int expected = (total + size - 1) / size;
        int n = link.wire.numBuffers(first.bytes());
        CheckFailure.require(n == expected, "a " + p.frame().length + "-byte frame in " + size + "-byte buffers: num_buffers "
                + n + ", expected " + expected);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(first.frame(link.wire.hdrSize));
        List<Integer> used = new ArrayList<>(List.of(first.used()));
        for (int i = 1; i < n; i++) {
            NetLink.Rx rx = link.receive(link.session.requestMillis());
            CheckFailure.require(rx != null, "buffer " + (i + 1) + " of " + n + " never came back used");
            used.add(rx.used());
            frame.write(rx.bytes());
        }
        for (int i = 0; i < n - 1; i++) {
            CheckFailure.require(used.get(i) == size, "buffer " + (i + 1) + " of " + n + " used " + used.get(i)
                    + " of " + size + " bytes (all but the last must be full): " + used);
        }
        byte[] got = frame.toByteArray();
        CheckFailure.require(got.length == p.frame().length, "the frame came back with " + got.length + " bytes, sent "
                + p.frame().length + " (buffers used " + used + ")");
        ctx.note("a " + got.length + "-byte frame in " + n + " buffers " + used);
    }

    private static void withinBuffer(CheckContext ctx) throws Exception {
        List<String> off = new ArrayList<>(List.of(NetLink.GUEST_OFFLOADS));
        off.add("MRG_RXBUF");
        NetLink link = new NetLink(ctx, NetLink.without(ctx, off.toArray(String[]::new)));
        link.requirePeer();
        int payload = 100;
        int exact = link.wire.hdrSize + NetWire.PROBE_OVERHEAD + payload;
        link.post(POSTED, exact);
        NetLink.Probe p = link.sendProbe(link.guestMac, 0, payload);
        NetLink.Rx rx = link.answer(p);
        CheckFailure.require(rx.damage().isEmpty(), "a buffer of exactly header + frame (" + exact + " bytes): "
                + rx.damage());
        CheckFailure.require(rx.used() == exact, "used length " + rx.used() + " for a " + p.frame().length
                + "-byte frame behind a " + link.wire.hdrSize + "-byte header");
        if (!ctx.offers("MRG_RXBUF")) {
            return;
        }
        link.session.close(); // a backend may serve one front end at a time
        NetLink merged = new NetLink(ctx, NetLink.without(ctx, NetLink.GUEST_OFFLOADS) | ctx.bit("MRG_RXBUF"));
        merged.post(POSTED, 64);
        NetLink.Probe q = merged.sendProbe(merged.guestMac, 0, payload);
        NetLink.Rx head = merged.answer(q);
        int n = merged.wire.numBuffers(head.bytes());
        int sum = head.used();
        List<String> damage = new ArrayList<>(head.damage());
        for (int i = 1; i < n && i < POSTED; i++) {
            NetLink.Rx r = merged.receive(merged.session.requestMillis());
            CheckFailure.require(r != null, "with MRG_RXBUF: buffer " + (i + 1) + " of " + n + " never came back");
            sum += r.used();
            damage.addAll(r.damage());
        }
        CheckFailure.require(damage.isEmpty(), "64-byte buffers with MRG_RXBUF: " + damage);
        CheckFailure.require(sum == exact, "with MRG_RXBUF, " + n + " buffers used " + sum + " bytes for header and a "
                + q.frame().length + "-byte frame");
    }

    private static void unknownFlagsIgnored(CheckContext ctx) throws Exception {
        NetLink link = new NetLink(ctx, NetLink.without(ctx, NetLink.GUEST_OFFLOADS));
        link.requirePeer();
        link.post(POSTED, NetLink.RX_BUFFER);
        link.answer(link.sendProbe(link.guestMac, 0, 64)); // the peer answers at all
        long defined = link.wire.definedBits("virtio_net_hdr_flags");
        int unknown = Integer.lowestOneBit((int) ~defined & 0xff);
        CheckFailure.require(unknown != 0, "virtio_net_hdr_flags defines every bit");
        NetLink.Probe p = link.sendProbe(link.guestMac, unknown, 64);
        CheckFailure.require(link.await(p, link.session.requestMillis()) != null, "a probe sent with flag 0x"
                + Integer.toHexString(unknown) + " got no answer within " + link.session.requestMillis()
                + " ms (the same probe with flags 0 did)");
    }

    private static void txReturned(CheckContext ctx) throws Exception {
        NetLink link = new NetLink(ctx, NetLink.without(ctx, NetLink.GUEST_OFFLOADS));
        byte[] hdr = link.wire.header(0);
        byte[] frame = NetWire.arpRequest(link.guestMac, NetLink.GUEST_IP, NetLink.ECHO_IP);
        byte[] whole = Arrays.copyOf(hdr, hdr.length + frame.length);
        System.arraycopy(frame, 0, whole, hdr.length, frame.length);
        List<Exchange> chains = List.of(
                link.session.exchange(NetLink.TX_QUEUE).out(whole),
                link.session.exchange(NetLink.TX_QUEUE).out(hdr).out(frame),
                link.session.exchange(NetLink.TX_QUEUE).out(hdr),
                link.session.exchange(NetLink.TX_QUEUE).out(Arrays.copyOf(hdr, 6)));
        String[] names = {"a whole frame", "header and frame in two descriptors", "a header alone",
            "6 bytes (shorter than the header)"};
        for (int i = 0; i < chains.size(); i++) {
            Exchange.Result r = chains.get(i).run();
            CheckFailure.require(r.used() == 0, names[i] + ": used length " + Integer.toUnsignedLong(r.used())
                    + " with nothing writable");
            CheckFailure.require(r.damage().isEmpty(), names[i] + ": " + r.damage());
        }
    }
}
