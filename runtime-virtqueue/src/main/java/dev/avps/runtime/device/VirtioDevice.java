package dev.avps.runtime.device;

import dev.avps.runtime.DescriptorChain;
import dev.avps.runtime.VirtqueueException;

/**
 * A device backend as every transport sees it: feature bits, queue count, configuration bytes,
 * and one request at a time. Transports (vhost-user, the in-process loopback used by tests) own
 * memory, rings and notifications, so a generated {@code *DeviceBase} plugs into any of them.
 */
public interface VirtioDevice {

    /**
     * Returned by {@link #handle} when the device has nothing to put into this buffer yet (a
     * receive queue with no data pending). The transport keeps the buffer and offers it again
     * after the device calls the wake-up it got in {@link #queueStarted}.
     */
    int DEFER = -1;

    /**
     * Virtio feature bits 0..63 offered to the driver (VERSION_1 and the device's own): the low
     * word of {@link #offeredFeatures()}, for transports whose feature word has 64 bits.
     */
    long features();

    /**
     * Every feature bit offered, 0..127. Devices with bits past 63 override this (and
     * {@link #features()} returns its low word); a transport that cannot carry the high word
     * must refuse such a device rather than drop its bits silently.
     */
    default FeatureSet offeredFeatures() {
        return FeatureSet.ofLow(features());
    }

    /** Number of virtqueues the device can use. */
    int queueCount();

    /** Size of the configuration space in bytes (0 when the device has none). */
    int configSize();

    /** Copies configuration bytes starting at {@code offset} into {@code dst}. */
    void readConfig(int offset, byte[] dst);

    /** The driver wrote configuration bytes; devices ignore writes to read-only fields. */
    default void writeConfig(int offset, byte[] src) {
    }

    /** The driver accepted these features, bits 0..63 (called before any queue starts). */
    default void featuresNegotiated(long features) {
    }

    /**
     * The driver accepted these features, bits 0..127 (called before any queue starts). The
     * default hands the low word to {@link #featuresNegotiated(long)}; devices with bits past 63
     * override this one, and transports with a 128-bit feature word call it.
     */
    default void featuresNegotiated(FeatureSet features) {
        featuresNegotiated(features.low());
    }

    /**
     * Whether the device can work with the features the driver accepted (bits 0..63), asked when
     * the driver sets FEATURES_OK; a device that answers false has FEATURES_OK left clear (VIRTIO
     * 1.x 2.2.2, 3.1.1). A chapter may oblige the driver to accept a feature (virtio-i2c's
     * ZERO_LENGTH_REQUEST), or let the device refuse a set (a host-managed zoned disk whose driver
     * declined ZONED).
     */
    default boolean acceptsFeatures(long features) {
        return true;
    }

    /**
     * The transport's way to tell the driver the config space changed (the configuration change
     * notification): after changing a field on its own, the device runs {@code notifier}, from any
     * thread. A transport registers it when a front end connects; the default keeps none, for a
     * device whose config never changes by itself.
     */
    default void onConfigChange(Runnable notifier) {
    }

    /**
     * Queue {@code queue} is running. {@code wakeup} makes its worker offer buffers to
     * {@link #handle} again; call it from any thread once data for a deferred buffer arrives.
     */
    default void queueStarted(int queue, Runnable wakeup) {
    }

    /**
     * Queue {@code queue}'s worker found its ring empty and published every buffer it used, and
     * holds none ({@link #DEFER}): every buffer the driver made available is back with it. Called
     * on that queue's worker thread before it sleeps; a device that must not answer on one queue
     * while buffers of another are outstanding (virtio-snd's RELEASE) waits for this.
     */
    default void queueIdle(int queue) {
    }

    /**
     * The transport is about to publish, on queue {@code queue}, the used entries of the chains
     * {@link #handle} completed since the last call: the ring looked empty, a buffer was parked, a
     * batch of them built up while the ring stayed busy, or the queue is stopping. Until then the driver sees none of them, so a device that spreads one
     * message over several chains (virtio-net's merged receive buffers) may still patch an earlier
     * chain's header; after this call it must treat the message as closed. Called on that queue's
     * worker thread.
     */
    default void usedPublishing(int queue) {
    }

    /**
     * Whether queue {@code queue} is in the middle of a message spread over several chains (the
     * next chain continues what the completed ones began). While it is, the transport does not
     * publish early, in the middle of a busy ring; it still publishes when the ring runs dry or a
     * buffer is parked, and {@link #usedPublishing} then closes the message. Called on that
     * queue's worker thread.
     */
    default boolean midMessage(int queue) {
        return false;
    }

    /** Queue {@code queue} stopped (the front end stopped it, reset, or went away). */
    default void queueStopped(int queue) {
    }

    /**
     * Handles one request popped from queue {@code queue} and returns the number of bytes written
     * into its writable part (the used length), or {@link #DEFER} to keep the buffer for later.
     * Called from that queue's worker thread only.
     */
    int handle(int queue, DescriptorChain request) throws VirtqueueException;

    /** The front end reset the device or went away: forget per-driver state. */
    default void reset() {
    }
}
