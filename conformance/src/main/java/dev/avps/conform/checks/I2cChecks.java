package dev.avps.conform.checks;

import dev.avps.conform.Check;
import dev.avps.conform.CheckContext;
import dev.avps.conform.CheckFailure;
import dev.avps.conform.CheckFamily;
import dev.avps.conform.Exchange;
import dev.avps.conform.Inapplicable;
import dev.avps.conform.Session;
import dev.avps.model.DeviceModel;
import dev.avps.vhostuser.ProtocolFeature;
import dev.avps.vhostuser.driver.FrontEndException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * virtio-i2c behaviour (VIRTIO 1.4 5.16), written by hand. The front end does not know which
 * targets sit on the bus: it probes the 7-bit addresses with one-byte reads and uses the first
 * that answers OK ("present") and the first that answers ERR ("absent"). Writes to the present
 * target are one byte long (a register or address-pointer select); longer writes go only to the
 * absent address. Flags and status values are the catalog's enum literals.
 */
public final class I2cChecks implements CheckFamily {
    /** The 7-bit addresses a probe tries: the ones I2C does not reserve. */
    static final int FIRST_ADDRESS = 0x08;
    static final int LAST_ADDRESS = 0x77;

    @Override
    public boolean appliesTo(DeviceModel device) {
        return device.name().equals("i2c");
    }

    /** 5.16.6.4: a driver must accept ZERO_LENGTH_REQUEST, and the device refuses one that does not. */
    @Override
    public long insistedFeatures(CheckContext ctx) {
        return ctx.bit("ZERO_LENGTH_REQUEST");
    }

    @Override
    public List<Check> checks(DeviceModel device) {
        return List.of(
                new Check("i2c_features_offer_zero_length", "ZERO_LENGTH_REQUEST is offered.", I2cChecks::offersZeroLength),
                new Check("i2c_features_ok_needs_zero_length", "A driver that declines ZERO_LENGTH_REQUEST is refused: FEATURES_OK"
                        + " read back clear (or SET_FEATURES NACKed).", I2cChecks::needsZeroLength),
                new Check("i2c_header_untouched", "Reads, writes and zero-length requests to a present and an absent target leave"
                        + " the out_hdr (addr, flags) as the driver wrote it, with a status of OK or ERR.", I2cChecks::headerUntouched),
                new Check("i2c_write_buffer_untouched", "The data buffer of a write (1 byte to the present target; 1 and 16 bytes"
                        + " to an absent one) is left as the driver wrote it.", I2cChecks::writeBufferUntouched),
                new Check("i2c_read_fills_buffer", "Reads of 1, 8 and 16 bytes from the present target answer OK and write every"
                        + " byte of the buffer (two runs with different fills; a byte equal to its fill in both was not written).",
                        I2cChecks::readFills),
                new Check("i2c_requests_in_order", "Five requests to present and absent targets submitted together come back in the"
                        + " order queued, each with its own outcome.", I2cChecks::inOrder),
                new Check("i2c_group_first_failure_err", "In a FAIL_NEXT group (present, absent, present) the read of the absent"
                        + " target (the first failure) gets ERR, the last may get ERR, and the next group is not poisoned.",
                        I2cChecks::groupFailure));
    }

    /** A session on the bus with the catalog's flags and statuses, and the probed addresses. */
    private static final class Bus {
        final CheckContext ctx;
        final Session s;
        final long failNext;
        final long read;
        final byte ok;
        final byte err;
        private int present = -1;
        private int absent = -1;

        Bus(CheckContext ctx) throws Exception {
            this.ctx = ctx;
            this.s = ctx.open();
            DeviceModel d = ctx.device();
            failNext = Literals.value(d, "virtio_i2c_flags", "VIRTIO_I2C_FLAGS_FAIL_NEXT");
            read = Literals.value(d, "virtio_i2c_flags", "VIRTIO_I2C_FLAGS_M_RD");
            ok = (byte) Literals.value(d, "virtio_i2c_msg_status", "VIRTIO_I2C_MSG_OK");
            err = (byte) Literals.value(d, "virtio_i2c_msg_status", "VIRTIO_I2C_MSG_ERR");
        }

        /** out_hdr: the 7-bit address in bits 1..7 of addr (5.16.6.1), padding 0, flags. */
        static byte[] header(int addr7, long flags) {
            return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putShort((short) (addr7 << 1)).putShort((short) 0)
                    .putInt((int) flags).array();
        }

        Exchange read(int addr7, long flags, int len, byte fill) throws FrontEndException {
            Exchange ex = s.exchange(0).out(header(addr7, flags | read));
            if (len > 0) {
                ex.in(len, fill);
            }
            return ex.in(1);
        }

        Exchange read(int addr7, long flags, int len) throws FrontEndException {
            return read(addr7, flags, len, Exchange.FILL);
        }

        Exchange write(int addr7, long flags, byte[] data) throws FrontEndException {
            Exchange ex = s.exchange(0).out(header(addr7, flags));
            if (data.length > 0) {
                ex.out(data);
            }
            return ex.in(1);
        }

        /** The status byte, which must be one of the two the chapter defines. */
        byte status(Exchange.Result r, String what) throws CheckFailure {
            byte st = r.last();
            CheckFailure.require(st == ok || st == err, what + ": status " + (st & 0xff) + " is neither VIRTIO_I2C_MSG_OK ("
                    + ok + ") nor VIRTIO_I2C_MSG_ERR (" + err + ")");
            return st;
        }

        String name(byte st) {
            return st == ok ? "OK" : st == err ? "ERR" : "status " + (st & 0xff);
        }

        private void probe() throws Exception {
            if (present >= 0 && absent >= 0) {
                return;
            }
            for (int a = FIRST_ADDRESS; a <= LAST_ADDRESS && (present < 0 || absent < 0); a++) {
                byte st = status(read(a, 0, 1).run(), String.format("a one-byte read probing 0x%02x", a));
                if (st == ok && present < 0) {
                    present = a;
                } else if (st == err && absent < 0) {
                    absent = a;
                }
            }
        }

        int present() throws Exception {
            probe();
            if (present < 0) {
                throw Inapplicable.notCheckable("no 7-bit address answered a one-byte read with OK: no target to talk to");
            }
            return present;
        }

        int absent() throws Exception {
            probe();
            if (absent < 0) {
                throw Inapplicable.notCheckable("every 7-bit address answered a one-byte read with OK: no absent target");
            }
            return absent;
        }
    }

    private static void offersZeroLength(CheckContext ctx) throws CheckFailure {
        CheckFailure.require((ctx.offered() & ctx.bit("ZERO_LENGTH_REQUEST")) != 0,
                "ZERO_LENGTH_REQUEST is not offered: features 0x" + Long.toHexString(ctx.offered()));
    }

    private static void needsZeroLength(CheckContext ctx) throws Exception {
        if ((ctx.offered() & ctx.bit("ZERO_LENGTH_REQUEST")) == 0) {
            throw Inapplicable.skip("ZERO_LENGTH_REQUEST is not offered, so no driver can accept it");
        }
        try (Session s = ctx.open(Session.VERSION_1)) {
            if (!s.hasStatus()) {
                throw Inapplicable.notCheckable("SET_FEATURES was acknowledged and, without the STATUS protocol feature,"
                        + " FEATURES_OK cannot be read back");
            }
            throw new CheckFailure("features {VERSION_1 only} were accepted: FEATURES_OK read back set"
                    + (s.frontEnd().hasProtocolFeature(ProtocolFeature.REPLY_ACK) ? " and SET_FEATURES acknowledged" : ""));
        } catch (FrontEndException e) {
            if (e.reason() != FrontEndException.Reason.NACK) {
                throw e;
            }
            ctx.note("refused: " + e.getMessage());
        }
        ctx.requireAlive("refusing a driver without ZERO_LENGTH_REQUEST");
    }

    /** A request and what it is, for the failure message. */
    private record Shape(String what, Exchange exchange) {
    }

    private static void headerUntouched(CheckContext ctx) throws Exception {
        Bus b = new Bus(ctx);
        int p = b.present();
        int a = b.absent();
        List<Shape> shapes = List.of(
                new Shape("zero-length write to the present target", b.write(p, 0, new byte[0])),
                new Shape("zero-length read from the present target", b.read(p, 0, 0)),
                new Shape("one-byte read from the present target", b.read(p, 0, 1)),
                new Shape("one-byte write to the present target", b.write(p, 0, new byte[] {0})),
                new Shape("four-byte read from the absent target", b.read(a, 0, 4)),
                new Shape("two-byte write to the absent target", b.write(a, 0, new byte[] {0x5a, (byte) 0xa5})));
        for (Shape sh : shapes) {
            Exchange.Result r = sh.exchange().run();
            b.status(r, sh.what());
            for (String d : r.damage()) {
                CheckFailure.require(!d.contains("into readable buffer 0 "), sh.what() + ": the out_hdr was changed (" + d + ")");
            }
        }
        ctx.note(String.format("present 0x%02x, absent 0x%02x", p, a));
    }

    private static void writeBufferUntouched(CheckContext ctx) throws Exception {
        Bus b = new Bus(ctx);
        int p = b.present();
        int a = b.absent();
        byte[] sixteen = new byte[16];
        for (int i = 0; i < sixteen.length; i++) {
            sixteen[i] = (byte) (0x30 + i * 7);
        }
        List<Shape> shapes = List.of(
                new Shape("one-byte write to the present target", b.write(p, 0, new byte[] {0})),
                new Shape("one-byte write to the absent target", b.write(a, 0, new byte[] {0x7e})),
                new Shape("16-byte write to the absent target", b.write(a, 0, sixteen)));
        for (Shape sh : shapes) {
            Exchange.Result r = sh.exchange().run();
            b.status(r, sh.what());
            for (String d : r.damage()) {
                CheckFailure.require(!d.contains("into readable buffer 1 "), sh.what() + ": the data buffer was changed ("
                        + d + ")");
            }
        }
    }

    private static void readFills(CheckContext ctx) throws Exception {
        Bus b = new Bus(ctx);
        int p = b.present();
        byte[] fills = {Exchange.FILL, (byte) 0x11};
        for (int len : new int[] {1, 8, 16}) {
            boolean[] untouched = new boolean[len];
            Arrays.fill(untouched, true);
            for (byte fill : fills) {
                Exchange.Result r = b.read(p, 0, len, fill).run();
                byte st = b.status(r, len + "-byte read");
                CheckFailure.require(st == b.ok, String.format("%d-byte read from 0x%02x: %s", len, p, b.name(st)));
                for (int i = 0; i < len; i++) {
                    untouched[i] &= r.written()[i] == fill;
                }
            }
            List<Integer> left = new ArrayList<>();
            for (int i = 0; i < len; i++) {
                if (untouched[i]) {
                    left.add(i);
                }
            }
            CheckFailure.require(left.isEmpty(), len + "-byte read answered OK but left byte(s) " + left + " unwritten");
        }
        ctx.note(String.format("reads from 0x%02x", p));
    }

    private static void inOrder(CheckContext ctx) throws Exception {
        Bus b = new Bus(ctx);
        int p = b.present();
        int a = b.absent();
        List<Exchange> batch = List.of(b.read(p, 0, 1), b.read(a, 0, 1), b.write(p, 0, new byte[0]), b.read(a, 0, 2),
                b.read(p, 0, 2));
        boolean[] expectOk = {true, false, true, false, true};
        Exchange.Batch got = Exchange.together(batch);
        CheckFailure.require(got.order().equals(List.of(0, 1, 2, 3, 4)), "requests queued as 0..4 came back in the order "
                + got.order());
        for (int i = 0; i < expectOk.length; i++) {
            byte st = b.status(got.results().get(i), "request " + i);
            CheckFailure.require((st == b.ok) == expectOk[i], "request " + i + " (to the " + (expectOk[i] ? "present" : "absent")
                    + " target) got " + b.name(st) + " when submitted with others, unlike its probe alone");
        }
    }

    private static void groupFailure(CheckContext ctx) throws Exception {
        Bus b = new Bus(ctx);
        int p = b.present();
        int a = b.absent();
        Exchange.Batch got = Exchange.together(List.of(b.write(p, b.failNext, new byte[0]), b.read(a, b.failNext, 1),
                b.read(p, 0, 1)));
        byte first = b.status(got.results().get(0), "the group's zero-length write to the present target");
        byte failing = b.status(got.results().get(1), "the group's read from the absent target");
        byte last = b.status(got.results().get(2), "the group's last read");
        CheckFailure.require(first == b.err || failing == b.err, "the read from the absent target, the group's first"
                + " failure, got " + b.name(failing));
        Exchange.Result next = b.read(p, 0, 1).run();
        byte after = b.status(next, "the next group's read");
        CheckFailure.require(after == b.ok, "a read from the present target after the failed group ended got "
                + b.name(after) + ": the failure reached past its group");
        ctx.note("group statuses " + b.name(first) + ", " + b.name(failing) + ", " + b.name(last));
    }
}
