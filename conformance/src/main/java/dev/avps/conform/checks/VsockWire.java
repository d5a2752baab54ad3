package dev.avps.conform.checks;

import dev.avps.conform.CheckFailure;
import dev.avps.conform.model.Layouts;
import dev.avps.model.DeviceModel;
import dev.avps.model.EnumModel;
import dev.avps.model.FieldLayout;
import dev.avps.model.StructLayout;
import java.util.Arrays;

/**
 * The vsock packet header as the catalog lays it out ({@code virtio_vsock_hdr}): fields placed by
 * name, operation and type values looked up by their literal names, so the checks retype no
 * offset or wire value.
 */
final class VsockWire {

    /** A packet: the header's fields (unsigned) and the payload bytes that follow it. */
    record Packet(long srcCid, long dstCid, long srcPort, long dstPort, long len, long type, long op, long flags,
            long bufAlloc, long fwdCnt, byte[] payload) {

        /** Whether this packet belongs to the flow between guest port {@code guest} and host port {@code host}. */
        boolean flow(long host, long guest) {
            return srcPort == host && dstPort == guest;
        }

        @Override
        public String toString() {
            return "[op " + op + " type " + type + " " + srcCid + ":" + srcPort + " -> " + dstCid + ":" + dstPort
                    + " len " + len + " flags " + flags + " buf_alloc " + bufAlloc + " fwd_cnt " + fwdCnt + "]";
        }
    }

    private final DeviceModel device;
    private final StructLayout hdr;
    final int headerSize;

    VsockWire(DeviceModel device) {
        this.device = device;
        this.hdr = device.structs().stream().filter(s -> s.name().equals("virtio_vsock_hdr")).findFirst()
                .orElseThrow(() -> new IllegalStateException("the catalog's vsock has no virtio_vsock_hdr"));
        this.headerSize = hdr.size();
    }

    /** The value of operation {@code name} (REQUEST, RST, ...: the literal without its prefix). */
    long op(String name) {
        return literal("virtio_vsock_op", "VIRTIO_VSOCK_OP_" + name);
    }

    /** The value of socket type {@code name} (STREAM, SEQPACKET). */
    long type(String name) {
        return literal("virtio_vsock_type", "VIRTIO_VSOCK_TYPE_" + name);
    }

    /** A type value the catalog does not define, for the unknown-type rule. */
    long unknownType() {
        EnumModel e = enumNamed("virtio_vsock_type");
        long v = (1L << (8 * e.type().size())) - 1;
        while (defined(e, v)) {
            v--;
        }
        return v;
    }

    /** The name of an operation value, for messages. */
    String opName(long v) {
        return enumNamed("virtio_vsock_op").literals().stream().filter(l -> l.value().longValue() == v)
                .map(l -> l.name().replace("VIRTIO_VSOCK_OP_", "")).findFirst().orElse("op " + v);
    }

    private static boolean defined(EnumModel e, long v) {
        return e.literals().stream().anyMatch(l -> l.value().longValue() == v);
    }

    private EnumModel enumNamed(String name) {
        return device.enums().stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the catalog's vsock has no enum " + name));
    }

    private long literal(String enumName, String name) {
        return enumNamed(enumName).literals().stream().filter(l -> l.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException(enumName + " has no " + name)).value().longValue();
    }

    /** The header of {@code p} (its len field as given, whatever the payload). */
    byte[] header(Packet p) {
        byte[] b = new byte[headerSize];
        put(b, "src_cid", p.srcCid());
        put(b, "dst_cid", p.dstCid());
        put(b, "src_port", p.srcPort());
        put(b, "dst_port", p.dstPort());
        put(b, "len", p.len());
        put(b, "type", p.type());
        put(b, "op", p.op());
        put(b, "flags", p.flags());
        put(b, "buf_alloc", p.bufAlloc());
        put(b, "fwd_cnt", p.fwdCnt());
        return b;
    }

    /** A packet the device wrote into an rx buffer ({@code used} bytes of it). */
    Packet parse(byte[] used) throws CheckFailure {
        CheckFailure.require(used.length >= headerSize, "an rx buffer came back with " + used.length
                + " bytes, less than a " + headerSize + "-byte header");
        long len = get(used, "len");
        CheckFailure.require(len <= used.length - headerSize, "an rx packet says len " + len + " but the device wrote "
                + (used.length - headerSize) + " payload bytes");
        return new Packet(get(used, "src_cid"), get(used, "dst_cid"), get(used, "src_port"), get(used, "dst_port"), len,
                get(used, "type"), get(used, "op"), get(used, "flags"), get(used, "buf_alloc"), get(used, "fwd_cnt"),
                Arrays.copyOfRange(used, headerSize, headerSize + (int) len));
    }

    private FieldLayout field(String name) {
        return hdr.field(name).orElseThrow(() -> new IllegalStateException("virtio_vsock_hdr has no " + name));
    }

    private void put(byte[] b, String name, long value) {
        FieldLayout f = field(name);
        Layouts.write(b, f.offset(), f.scalar(), value);
    }

    private long get(byte[] b, String name) {
        FieldLayout f = field(name);
        return Layouts.read(b, f.offset(), f.scalar());
    }
}
