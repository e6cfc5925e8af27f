/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A pretend guest for the unit tests: some "guest RAM" in a host buffer,
 * split rings laid out in it, and a driver that brings up a virtio-mmio
 * device through its registers, as a Linux guest would.
 */
#ifndef PVMM_TESTS_FAKE_GUEST_H
#define PVMM_TESTS_FAKE_GUEST_H

#include <endian.h>
#include <stdlib.h>
#include <string.h>
#include <linux/virtio_config.h>
#include <linux/virtio_mmio.h>
#include <linux/virtio_ring.h>

#include "gmem.h"
#include "virtio_mmio.h"
#include "virtqueue.h"

#define FG_RAM_BASE	0x80000000ULL
#define FG_RAM_SIZE	(4 * SZ_1M)

struct fake_guest {
	u8 *ram;
	struct gmem mem;
	u64 next;			/* bump allocator for guest memory */
};

struct fake_ring {
	u16 size;
	u64 desc;
	u64 avail;
	u64 used;
	u16 next_desc;
	u16 avail_idx;
	u16 used_seen;
};

struct fg_buf {
	u64 addr;
	u32 len;
	bool write;
};

static inline void fg_init(struct fake_guest *g)
{
	g->ram = aligned_alloc(4096, FG_RAM_SIZE);
	memset(g->ram, 0, FG_RAM_SIZE);
	g->mem.gpa = FG_RAM_BASE;
	g->mem.size = FG_RAM_SIZE;
	g->mem.hva = g->ram;
	g->next = FG_RAM_BASE;
}

static inline void fg_free(struct fake_guest *g)
{
	free(g->ram);
}

static inline void *fg_hva(struct fake_guest *g, u64 gpa)
{
	return g->ram + (gpa - FG_RAM_BASE);
}

static inline u64 fg_alloc(struct fake_guest *g, u64 size)
{
	u64 p = align_up(g->next, 64);

	g->next = p + size;
	return p;
}

/* Put data in fresh guest memory and return its address. */
static inline u64 fg_put(struct fake_guest *g, const void *data, u32 len)
{
	u64 p = fg_alloc(g, len);

	memcpy(fg_hva(g, p), data, len);
	return p;
}

static inline void fg_ring_init(struct fake_guest *g, struct fake_ring *r,
				u16 size)
{
	memset(r, 0, sizeof(*r));
	r->size = size;
	r->desc = fg_alloc(g, 16ULL * size);
	r->avail = fg_alloc(g, 6 + 2ULL * size);
	r->used = fg_alloc(g, 6 + 8ULL * size);
}

static inline void fg_set_desc(struct fake_guest *g, struct fake_ring *r,
			       u16 i, u64 addr, u32 len, u16 flags, u16 next)
{
	struct vring_desc *d = fg_hva(g, r->desc);

	d[i].addr = htole64(addr);
	d[i].len = htole32(len);
	d[i].flags = htole16(flags);
	d[i].next = htole16(next);
}

static inline void fg_publish(struct fake_guest *g, struct fake_ring *r,
			      u16 head)
{
	struct vring_avail *a = fg_hva(g, r->avail);

	a->ring[r->avail_idx % r->size] = htole16(head);
	r->avail_idx++;
	__atomic_store_n(&a->idx, htole16(r->avail_idx), __ATOMIC_RELEASE);
}

/* Link @n buffers into a chain, make it available, return its head. */
static inline u16 fg_add_chain(struct fake_guest *g, struct fake_ring *r,
			       const struct fg_buf *b, unsigned int n)
{
	u16 head = r->next_desc % r->size;
	u16 i, cur, nxt;

	for (i = 0; i < n; i++) {
		cur = (head + i) % r->size;
		nxt = (head + i + 1) % r->size;
		fg_set_desc(g, r, cur, b[i].addr, b[i].len,
			    (b[i].write ? VRING_DESC_F_WRITE : 0) |
			    (i + 1U < n ? VRING_DESC_F_NEXT : 0), nxt);
	}
	r->next_desc += n;
	fg_publish(g, r, head);
	return head;
}

/* Next used element, if any. */
static inline bool fg_get_used(struct fake_guest *g, struct fake_ring *r,
			       u32 *id, u32 *len)
{
	struct vring_used *u = fg_hva(g, r->used);
	struct vring_used_elem *e;

	if (le16toh(__atomic_load_n(&u->idx, __ATOMIC_ACQUIRE)) ==
	    r->used_seen) {
		return false;
	}
	e = &u->ring[r->used_seen % r->size];
	*id = le32toh(e->id);
	*len = le32toh(e->len);
	r->used_seen++;
	return true;
}

static inline void fg_vq_attach(struct virtqueue *vq, const struct gmem *mem,
				const struct fake_ring *r)
{
	vq_init(vq, mem, "test");
	vq->size = r->size;
	vq->desc_gpa = r->desc;
	vq->avail_gpa = r->avail;
	vq->used_gpa = r->used;
}

static inline void fg_wr(struct virtio_mmio *d, u64 off, u32 val)
{
	u32 v = htole32(val);

	virtio_mmio_access(d, off, (u8 *)&v, 4, true);
}

static inline u32 fg_rd(struct virtio_mmio *d, u64 off)
{
	u32 v;

	virtio_mmio_access(d, off, (u8 *)&v, 4, false);
	return le32toh(v);
}

static inline void fg_setup_queue(struct virtio_mmio *d, unsigned int q,
				  const struct fake_ring *r)
{
	fg_wr(d, VIRTIO_MMIO_QUEUE_SEL, q);
	fg_wr(d, VIRTIO_MMIO_QUEUE_NUM, r->size);
	fg_wr(d, VIRTIO_MMIO_QUEUE_DESC_LOW, (u32)r->desc);
	fg_wr(d, VIRTIO_MMIO_QUEUE_DESC_HIGH, (u32)(r->desc >> 32));
	fg_wr(d, VIRTIO_MMIO_QUEUE_AVAIL_LOW, (u32)r->avail);
	fg_wr(d, VIRTIO_MMIO_QUEUE_AVAIL_HIGH, (u32)(r->avail >> 32));
	fg_wr(d, VIRTIO_MMIO_QUEUE_USED_LOW, (u32)r->used);
	fg_wr(d, VIRTIO_MMIO_QUEUE_USED_HIGH, (u32)(r->used >> 32));
	fg_wr(d, VIRTIO_MMIO_QUEUE_READY, 1);
}

/* The driver side of device initialisation. Returns the final status. */
static inline u32 fg_driver_init(struct virtio_mmio *d, u64 features,
				 struct fake_ring *rings, unsigned int nr)
{
	unsigned int i;

	fg_wr(d, VIRTIO_MMIO_STATUS, 0);
	fg_wr(d, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE);
	fg_wr(d, VIRTIO_MMIO_STATUS,
	      VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
	fg_wr(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	fg_wr(d, VIRTIO_MMIO_DRIVER_FEATURES, (u32)features);
	fg_wr(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	fg_wr(d, VIRTIO_MMIO_DRIVER_FEATURES, (u32)(features >> 32));
	fg_wr(d, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE |
	      VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK);
	if (!(fg_rd(d, VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_FEATURES_OK)) {
		return fg_rd(d, VIRTIO_MMIO_STATUS);
	}
	for (i = 0; i < nr; i++) {
		fg_setup_queue(d, i, &rings[i]);
	}
	fg_wr(d, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE |
	      VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK |
	      VIRTIO_CONFIG_S_DRIVER_OK);
	return fg_rd(d, VIRTIO_MMIO_STATUS);
}

#endif /* PVMM_TESTS_FAKE_GUEST_H */
