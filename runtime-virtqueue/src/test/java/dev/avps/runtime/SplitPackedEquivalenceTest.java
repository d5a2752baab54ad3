package dev.avps.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.runtime.memory.GuestMemory;
import dev.avps.runtime.transport.LoopbackTransport;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random sequences of driver and device operations run against a split ring, a packed ring and a
 * plain reference model. Both rings must match the model (which chains are accepted, what the
 * device sees, what the driver gets back, data contents) and make identical notification
 * decisions.
 */
class SplitPackedEquivalenceTest {
    private static final int SIZE = 8;
    private static final int SLOT = 1024;

    enum Kind { ADD, POP, COMPLETE, FLUSH, RECLAIM, KICK, DEVICE_NOTIFY_OFF, DEVICE_NOTIFY_ON, CALLBACKS_OFF, CALLBACKS_ON }

    static final class Op {
        final Kind kind;
        final int a;
        final int[] outs;
        final int[] ins;

        Op(Kind kind, int a, int[] outs, int[] ins) {
            this.kind = kind;
            this.a = a;
            this.outs = outs;
            this.ins = ins;
        }

        @Override
        public String toString() {
            return kind + "(" + a + (kind == Kind.ADD ? "," + outs.length + "o," + ins.length + "i" : "") + ")";
        }
    }

    /** A submitted chain as the model remembers it. */
    static final class Req {
        final long cookie;
        final int slot;
        final long[] addr;
        final int[] len;
        final int outs;
        final long inBytes;

        Req(long cookie, int slot, long[] addr, int[] len, int outs, long inBytes) {
            this.cookie = cookie;
            this.slot = slot;
            this.addr = addr;
            this.len = len;
            this.outs = outs;
            this.inBytes = inBytes;
        }
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<int[]> lens = Arbitraries.integers().between(1, 100).array(int[].class).ofMaxSize(4);
        Arbitrary<Op> add = Combinators.combine(lens, lens).as((o, i) -> {
            if (o.length + i.length == 0) {
                o = new int[] {1};
            }
            return new Op(Kind.ADD, 0, o, i);
        });
        Arbitrary<Op> other = Combinators.combine(Arbitraries.of(Kind.values()), Arbitraries.integers().between(0, 1000))
                .as((k, a) -> new Op(k, a, new int[0], new int[0]))
                .filter(op -> op.kind != Kind.ADD);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, add), net.jqwik.api.Tuple.of(6, other)).list().ofMinSize(1).ofMaxSize(120);
    }

    @Provide
    Arbitrary<Long> features() {
        return Arbitraries.of(0L, VirtioFeatures.EVENT_IDX, VirtioFeatures.INDIRECT_DESC, VirtioFeatures.IN_ORDER)
                .list().ofMaxSize(3).map(l -> l.stream().reduce(VirtioFeatures.VERSION_1, (x, y) -> x | y));
    }

    @Property(tries = 1000)
    void splitAndPackedBehaveLikeTheModel(@ForAll("features") long features, @ForAll("ops") List<Op> ops)
            throws Exception {
        List<String> split = run(features, ops);
        List<String> packed = run(features | VirtioFeatures.RING_PACKED, ops);
        assertEquals(split, packed);
    }

    private static List<String> run(long features, List<Op> ops) throws Exception {
        LoopbackTransport t = LoopbackTransport.create(features, SIZE, 8, SIZE * SLOT, false);
        GuestMemory mem = t.memory();
        DriverQueue drv = t.driver();
        DeviceQueue dev = t.device();
        boolean indirect = VirtioFeatures.has(features, VirtioFeatures.INDIRECT_DESC);
        boolean inOrder = VirtioFeatures.has(features, VirtioFeatures.IN_ORDER);
        boolean eventIdx = VirtioFeatures.has(features, VirtioFeatures.EVENT_IDX);
        List<String> log = new ArrayList<>();
        ArrayDeque<Integer> freeSlots = new ArrayDeque<>();
        for (int i = 0; i < SIZE; i++) {
            freeSlots.add(i);
        }
        int freeDescriptors = SIZE;
        int slotsSinceKick = 0;
        long nextCookie = 0;
        ArrayDeque<Req> available = new ArrayDeque<>();
        List<Req> inFlight = new ArrayList<>();
        List<DescriptorChain> chains = new ArrayList<>();
        ArrayDeque<long[]> staged = new ArrayDeque<>();
        ArrayDeque<long[]> published = new ArrayDeque<>();
        java.util.Map<Long, Req> byCookie = new java.util.HashMap<>();
        for (Op op : ops) {
            switch (op.kind) {
                case ADD: {
                    int n = op.outs.length + op.ins.length;
                    int need = indirect && n > 1 ? 1 : n;
                    long cookie = nextCookie++;
                    boolean fits = freeDescriptors >= need;
                    int slot = fits ? freeSlots.poll() : -1;
                    long[] addr = new long[n];
                    int[] len = new int[n];
                    long at = t.dataBase() + (long) Math.max(slot, 0) * SLOT;
                    long inBytes = 0;
                    for (int i = 0; i < n; i++) {
                        len[i] = i < op.outs.length ? op.outs[i] : op.ins[i - op.outs.length];
                        addr[i] = at;
                        at += len[i] + 3;
                        if (i < op.outs.length) {
                            if (fits) {
                                for (int k = 0; k < len[i]; k++) {
                                    mem.writeByte(addr[i] + k, (byte) (cookie + i + k));
                                }
                            }
                            drv.addOut(addr[i], len[i]);
                        } else {
                            inBytes += len[i];
                            drv.addIn(addr[i], len[i]);
                        }
                    }
                    int id = drv.submit(cookie);
                    assertEquals(fits, id >= 0, "ring full prediction for " + op);
                    if (fits) {
                        freeDescriptors -= need;
                        slotsSinceKick += need;
                        Req r = new Req(cookie, slot, addr, len, op.outs.length, inBytes);
                        available.add(r);
                        byCookie.put(cookie, r);
                    } else {
                        drv.clearStaged();
                    }
                    log.add("add " + cookie + " " + fits);
                    break;
                }
                case POP: {
                    int k = 1 + op.a % 4;
                    for (int i = 0; i < k; i++) {
                        DescriptorChain c = new DescriptorChain(2);
                        boolean got = dev.pop(c);
                        assertEquals(!available.isEmpty(), got);
                        if (!got) {
                            break;
                        }
                        Req r = available.poll();
                        assertEquals(r.outs, c.readableCount());
                        assertEquals(r.addr.length - r.outs, c.writableCount());
                        assertEquals(r.inBytes, c.writableBytes());
                        for (int s = 0; s < r.outs; s++) {
                            assertEquals(r.addr[s], c.readableAddress(s));
                            assertEquals(r.len[s], c.readableLength(s));
                        }
                        for (int s = r.outs; s < r.addr.length; s++) {
                            assertEquals(r.addr[s], c.writableAddress(s - r.outs));
                        }
                        long off = 0;
                        for (int s = 0; s < r.outs; s++) {
                            for (int b = 0; b < r.len[s]; b++) {
                                assertEquals((byte) (r.cookie + s + b), c.readByte(off++));
                            }
                        }
                        inFlight.add(r);
                        chains.add(c);
                        log.add("pop " + r.cookie);
                    }
                    break;
                }
                case COMPLETE: {
                    if (inFlight.isEmpty()) {
                        break;
                    }
                    int pick = inOrder ? 0 : op.a % inFlight.size();
                    Req r = inFlight.remove(pick);
                    DescriptorChain c = chains.remove(pick);
                    int written = (int) (op.a % (r.inBytes + 1));
                    for (int b = 0; b < written; b++) {
                        c.writeByte(b, (byte) (r.cookie * 3 + b));
                    }
                    dev.addUsed(c, written);
                    staged.add(new long[] {r.cookie, written});
                    log.add("complete " + r.cookie + " " + written);
                    break;
                }
                case FLUSH:
                    dev.flushUsed();
                    published.addAll(staged);
                    staged.clear();
                    log.add("irq " + dev.needsNotification());
                    break;
                case RECLAIM: {
                    Completion done = new Completion();
                    int k = 1 + op.a % 4;
                    for (int i = 0; i < k; i++) {
                        boolean got = drv.pollUsed(done);
                        assertEquals(!published.isEmpty(), got);
                        if (!got) {
                            break;
                        }
                        long[] expect = published.poll();
                        assertEquals(expect[0], done.cookie());
                        assertEquals(expect[1], done.length());
                        Req r = byCookie.remove(done.cookie());
                        long off = 0;
                        for (int s = r.outs; s < r.addr.length && off < done.length(); s++) {
                            for (int b = 0; b < r.len[s] && off < done.length(); b++, off++) {
                                assertEquals((byte) (r.cookie * 3 + off), mem.readByte(r.addr[s] + b));
                            }
                        }
                        int n = r.addr.length;
                        freeDescriptors += indirect && n > 1 ? 1 : n;
                        freeSlots.add(r.slot);
                        log.add("reclaim " + done.cookie());
                    }
                    break;
                }
                case KICK: {
                    boolean kick = drv.kickNeeded();
                    // With EVENT_IDX, two laps or more since the last decision leave a packed ring
                    // unable to place the device's event position, so it kicks to be safe; a split
                    // ring (16-bit indexes) can still decide exactly. Only that case may differ.
                    boolean ambiguous = eventIdx && slotsSinceKick >= 2 * SIZE;
                    log.add("kick " + (ambiguous ? "?" : kick));
                    slotsSinceKick = 0;
                    break;
                }
                case DEVICE_NOTIFY_OFF:
                    dev.disableNotifications();
                    break;
                case DEVICE_NOTIFY_ON:
                    assertEquals(!available.isEmpty(), dev.enableNotifications());
                    break;
                case CALLBACKS_OFF:
                    drv.disableCallbacks();
                    break;
                case CALLBACKS_ON:
                    assertEquals(!published.isEmpty(), drv.enableCallbacks());
                    break;
                default:
                    throw new AssertionError(op);
            }
        }
        assertEquals(QueueState.READY, dev.state());
        assertEquals(QueueState.READY, drv.state());
        assertTrue(drv.outstanding() == available.size() + inFlight.size() + staged.size() + published.size());
        return log;
    }
}
