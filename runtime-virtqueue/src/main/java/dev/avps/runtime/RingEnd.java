package dev.avps.runtime;

import dev.avps.runtime.memory.GuestMemory;
import java.lang.foreign.MemorySegment;

/**
 * What the four ring ends have in common: the negotiated features and the flags derived from
 * them, the size, the descriptor area and the sticky failure that moves a queue to
 * {@link QueueState#NEEDS_RESET}. Everything here is final apart from {@link #failure}, which is
 * written once by the owning thread; the hot indexes each end keeps for itself are declared in
 * the subclasses and so laid out after these fields, behind {@link CacheLinePad}'s padding.
 */
abstract class RingEnd extends CacheLinePad {
    final GuestMemory memory;
    final long features;
    final int size;
    final boolean eventIdx;
    final boolean inOrder;
    /** INDIRECT_DESC was negotiated. */
    final boolean indirect;
    /** The descriptor table (split) or ring (packed), checked and sliced once here. */
    final MemorySegment desc;
    VirtqueueException failure;

    RingEnd(GuestMemory memory, QueueConfig config, long features, boolean packed) throws VirtqueueException {
        int n = config.size();
        Rings.checkSize(n, packed);
        this.memory = memory;
        this.features = features;
        this.size = n;
        this.eventIdx = VirtioFeatures.has(features, VirtioFeatures.EVENT_IDX);
        this.inOrder = VirtioFeatures.has(features, VirtioFeatures.IN_ORDER);
        this.indirect = VirtioFeatures.has(features, VirtioFeatures.INDIRECT_DESC);
        this.desc = Rings.map(memory, config.descriptorArea(), RingLayout.descriptorAreaSize(n),
                RingLayout.DESCRIPTOR_ALIGNMENT, packed ? "packed descriptor ring" : "split descriptor table");
    }

    public final int size() {
        return size;
    }

    public final long features() {
        return features;
    }

    public final QueueState state() {
        return failure == null ? QueueState.READY : QueueState.NEEDS_RESET;
    }

    public final VirtqueueException failure() {
        return failure;
    }

    /** Records the first fatal error; every later call on the queue throws it again. */
    final VirtqueueException fail(VirtqueueException e) {
        failure = e;
        return e;
    }
}
