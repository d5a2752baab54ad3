package dev.avps.runtime;

/**
 * Leading padding for the queue ends. The driver and device ends are written by different
 * threads and are often allocated back to back (with the driver's staging arrays in between), so
 * 128 bytes of unused fields keep each end's hot indexes off the cache line pair of whatever was
 * allocated just before it. HotSpot lays superclass fields out first, which makes this reliable
 * where padding fields inside one class would be reordered.
 */
abstract class CacheLinePad {
    @SuppressWarnings("unused")
    private long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}
