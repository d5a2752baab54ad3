<#-- Text of virtio_ring.h that is code rather than facts of the model: the aligned typedefs, the
     legacy struct vring bundle and the event-index helpers. The arithmetic follows the spec's
     split-ring layout (VIRTIO 1.4, "Virtqueue Notification Suppression" and "Legacy Interfaces:
     A Note on Virtqueue Layout"). -->

#include <stdint.h>

/* The ring parts with the alignment the spec requires of them in guest memory. */
typedef struct vring_desc __attribute__((aligned(VRING_DESC_ALIGN_SIZE))) vring_desc_t;
typedef struct vring_avail __attribute__((aligned(VRING_AVAIL_ALIGN_SIZE))) vring_avail_t;
typedef struct vring_used_elem __attribute__((aligned(VRING_USED_ALIGN_SIZE))) vring_used_elem_t;
typedef struct vring_used __attribute__((aligned(VRING_USED_ALIGN_SIZE))) vring_used_t;

/* The three parts of one split virtqueue of num entries, as a driver locates them. */
struct vring {
	unsigned int num;
	vring_desc_t *desc;
	vring_avail_t *avail;
	vring_used_t *used;
};

#ifndef VIRTIO_RING_NO_LEGACY
/*
 * With VIRTIO_RING_F_EVENT_IDX, used_event sits right after the available ring's num entries
 * and avail_event right after the used ring's: neither is a struct member.
 */
#define vring_used_event(vr) ((vr)->avail->ring[(vr)->num])
#define vring_avail_event(vr) (*(__virtio16 *)&(vr)->used->ring[(vr)->num])

/*
 * Legacy contiguous layout: the descriptor table, then the available ring (with used_event),
 * then, rounded up to align, the used ring (with avail_event).
 */
static __inline__ void vring_init(struct vring *vr, unsigned int num, void *p, unsigned long align)
{
	uintptr_t avail_end;

	vr->num = num;
	vr->desc = p;
	vr->avail = (vring_avail_t *)((char *)p + num * sizeof(struct vring_desc));
	avail_end = (uintptr_t)&vr->avail->ring[num] + sizeof(__virtio16);
	vr->used = (vring_used_t *)((avail_end + align - 1) & ~(align - 1));
}

/* Bytes of the legacy contiguous layout of vring_init(). */
static __inline__ unsigned vring_size(unsigned int num, unsigned long align)
{
	unsigned long driver_part = sizeof(struct vring_desc) * num + sizeof(__virtio16) * (3 + num);
	unsigned long device_part = sizeof(__virtio16) * 3 + sizeof(struct vring_used_elem) * num;

	return ((driver_part + align - 1) & ~(align - 1)) + device_part;
}
#endif /* VIRTIO_RING_NO_LEGACY */

/*
 * Whether moving the index from old to new_idx passes event_idx, the index the other side asked
 * to be notified at: true when event_idx lies in [old, new_idx), computed modulo 2^16.
 */
static __inline__ int vring_need_event(__u16 event_idx, __u16 new_idx, __u16 old)
{
	return (__u16)(new_idx - event_idx - 1) < (__u16)(new_idx - old);
}
