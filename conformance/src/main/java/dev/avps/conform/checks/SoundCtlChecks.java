package dev.avps.conform.checks;

import dev.avps.conform.Check;
import dev.avps.conform.CheckContext;
import dev.avps.conform.CheckFailure;
import dev.avps.conform.CheckFamily;
import dev.avps.conform.Inapplicable;
import dev.avps.model.DeviceModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * virtio-snd control elements (VIRTIO 1.4 5.14.6.10), with VIRTIO_SND_F_CTLS. The catalog leaves
 * virtio_snd_ctl_info's value union unplaced (see sound.avps); the fixed fields before it (role,
 * type, access, count, index, name) have one layout, and the checks read only those. Items are
 * asked for at Linux's size of the struct ({@link #CTL_INFO_SIZE}), as its driver does.
 */
public final class SoundCtlChecks implements CheckFamily {
    /** sizeof(struct virtio_snd_ctl_info) with C alignment: 68 fixed bytes, 4 of padding, a 24-byte union. */
    static final int CTL_INFO_SIZE = 96;
    /** Offsets of the fixed fields after the 4-byte virtio_snd_info header. */
    static final int ROLE = 4;
    static final int TYPE = 8;
    static final int ACCESS = 12;
    static final int COUNT = 16;
    static final int INDEX = 20;
    static final int NAME = 24;
    static final int NAME_SIZE = 44;
    /** The TLV buffer asked for first, to learn the whole metadata. */
    static final int TLV_ROOM = 4096;

    @Override
    public boolean appliesTo(DeviceModel device) {
        return device.name().equals("sound");
    }

    @Override
    public List<Check> checks(DeviceModel device) {
        return List.of(
                new Check("snd_ctl_info_defined", "With CTLS, CTL_INFO for every element: OK; defined role, type and access"
                        + " bits; count from 1 to what the type's value holds; a non-empty zero-terminated ASCII name; each"
                        + " (name, index) once.", SoundCtlChecks::ctlInfo),
                new Check("snd_ctl_tlv_short_buffer", "With CTLS, an element with TLV_READ read whole, then with 4 bytes too"
                        + " few: still OK, with as much of the metadata as fits.", SoundCtlChecks::tlvShort));
    }

    /** The elements' info entries; skips without CTLS or elements. */
    private static ByteBuffer infos(SoundCard c) throws Exception {
        if (c.controls < 0) {
            throw Inapplicable.skip("CTLS is not offered: no control elements");
        }
        if (c.controls == 0) {
            throw Inapplicable.skip("the device has no control elements (config controls = 0)");
        }
        SoundCard.Reply r = c.queryInfo("CTL_INFO", 0, c.controls, CTL_INFO_SIZE);
        c.ok(r.code(), "CTL_INFO for elements 0.." + (c.controls - 1));
        return r.le();
    }

    /** The most values an element of {@code type} has: what virtio_snd_ctl_value's 512 bytes hold. */
    private static long maxCount(SoundCard c, long type) {
        String name = c.enumNamed("virtio_snd_ctl_type").literals().stream().filter(l -> l.value().longValue() == type)
                .map(l -> l.name()).findFirst().orElse("");
        return switch (name.replace("VIRTIO_SND_CTL_TYPE_", "")) {
            case "BOOLEAN", "INTEGER", "ENUMERATED" -> 128;
            case "INTEGER64" -> 64;
            case "BYTES" -> 512;
            case "IEC958" -> 1;
            default -> 0;
        };
    }

    /** The name at {@code at}, or a description of what is wrong with it. */
    private static String name(ByteBuffer b, int at, int size, List<String> bad, String what) {
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < size; k++) {
            int ch = b.get(at + k) & 0xff;
            if (ch == 0) {
                if (s.length() == 0) {
                    bad.add(what + ": empty name");
                }
                return s.toString();
            }
            if (ch < 0x20 || ch > 0x7e) {
                bad.add(what + ": name byte " + k + " = 0x" + Integer.toHexString(ch) + ", not printable ASCII");
                return s.toString();
            }
            s.append((char) ch);
        }
        bad.add(what + ": name \"" + s + "\" has no terminating zero within " + size + " bytes");
        return s.toString();
    }

    private static void ctlInfo(CheckContext ctx) throws Exception {
        SoundCard c = new SoundCard(ctx);
        ByteBuffer b = infos(c);
        long access = c.definedBits("virtio_snd_ctl_access");
        List<String> bad = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < c.controls; i++) {
            int at = i * CTL_INFO_SIZE;
            String what = "element " + i;
            long role = b.getInt(at + ROLE) & 0xffffffffL;
            long type = b.getInt(at + TYPE) & 0xffffffffL;
            long acc = b.getInt(at + ACCESS) & 0xffffffffL;
            long count = b.getInt(at + COUNT) & 0xffffffffL;
            long index = b.getInt(at + INDEX) & 0xffffffffL;
            if (!c.definedValue("virtio_snd_ctl_role", role)) {
                bad.add(what + ": undefined role " + role);
            }
            if (!c.definedValue("virtio_snd_ctl_type", type)) {
                bad.add(what + ": undefined type " + type);
            } else if (count < 1 || count > maxCount(c, type)) {
                bad.add(what + ": count " + count + ", outside 1.." + maxCount(c, type) + " for its type");
            }
            if ((acc & ~access) != 0) {
                bad.add(what + ": undefined access bits 0x" + Long.toHexString(acc & ~access));
            }
            String n = name(b, at + NAME, NAME_SIZE, bad, what);
            if (!seen.add(n + "\u0000" + index)) {
                bad.add(what + ": name \"" + n + "\" with index " + index + " again");
            }
        }
        CheckFailure.require(bad.isEmpty(), String.join("; ", bad));
        ctx.note(c.controls + " element(s) with defined values and unique names (item names of ENUMERATED elements are"
                + " not judged: their count sits in the union the catalog leaves unplaced)");
    }

    private static void tlvShort(CheckContext ctx) throws Exception {
        SoundCard c = new SoundCard(ctx);
        ByteBuffer b = infos(c);
        long tlvRead = 1L << Literals.value(c.d, "virtio_snd_ctl_access", "VIRTIO_SND_CTL_ACCESS_TLV_READ");
        int element = -1;
        for (int i = 0; i < c.controls && element < 0; i++) {
            if ((b.getInt(i * CTL_INFO_SIZE + ACCESS) & tlvRead) != 0) {
                element = i;
            }
        }
        if (element < 0) {
            throw Inapplicable.skip("no element allows TLV_READ");
        }
        byte[] req = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt((int) c.code("R_CTL_TLV_READ"))
                .putInt(element).array();
        SoundCard.Reply whole = c.control(req, TLV_ROOM);
        c.ok(whole.code(), "TLV_READ of element " + element + " with " + TLV_ROOM + " bytes of room");
        long length = whole.le().getInt(4) & 0xffffffffL;
        int size = (int) Math.min(TLV_ROOM, 8 + length);
        if (size <= 8) {
            throw Inapplicable.skip("element " + element + "'s metadata is " + size + " bytes: no shorter buffer holds its header");
        }
        int room = size - 4;
        SoundCard.Reply part = c.control(req, room);
        CheckFailure.require(part.code() == c.code("S_OK"), "TLV_READ of element " + element + " with " + room
                + " bytes of room for " + size + " bytes of metadata: " + c.codeName(part.code()) + ", expected S_OK");
        for (int k = 0; k < room; k++) {
            CheckFailure.require(part.body()[k] == whole.body()[k], "TLV_READ with " + room + " bytes of room: byte " + k
                    + " is 0x" + Integer.toHexString(part.body()[k] & 0xff) + ", the whole read had 0x"
                    + Integer.toHexString(whole.body()[k] & 0xff) + " (as much as fits is written)");
        }
        ctx.note("element " + element + ": " + room + " of " + size + " metadata bytes written with OK");
    }
}
