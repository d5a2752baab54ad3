/* ${marker} */
#ifndef _LINUX_VIRTIO_TYPES_H
#define _LINUX_VIRTIO_TYPES_H
/*
 * Scalars in the device's byte order: little-endian for a VIRTIO 1.0 (VERSION_1) device, the
 * guest's own order for a legacy one. The __bitwise annotation lets sparse catch a virtio value
 * used without conversion.
 */
#include <linux/types.h>

typedef __u16 __bitwise __virtio16;
typedef __u32 __bitwise __virtio32;
typedef __u64 __bitwise __virtio64;

#endif /* _LINUX_VIRTIO_TYPES_H */
