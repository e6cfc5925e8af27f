/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Split virtqueues, seen from the device side.
 *
 * vq_pop() walks one descriptor chain and checks it completely before the
 * device sees any of it: every buffer lies inside the queue's memory window,
 * the chain is at most as long as the ring (so loops end), device-readable
 * buffers come before device-writable ones, and indirect descriptors (not
 * offered) are refused. A chain that fails is returned to the guest unused
 * and logged.
 *
 * A chain is then read and written as a byte stream through a vq_cursor,
 * whatever the guest's split of it into descriptors.
 *
 * Devices serve a queue with vq_drain(): pop each chain, hand it to the
 * device's handler, push it with the length the handler returns, and
 * interrupt the driver once at the end (virtio_mmio_drain()). A drain
 * serves at most VQ_DRAIN_BUDGET chains and then says whether it left some.
 */
#ifndef PVMM_VIRTQUEUE_H
#define PVMM_VIRTQUEUE_H

#include <sys/uio.h>
#include <linux/virtio_ring.h>

#include "gmem.h"
#include "base.h"

#define VQ_MAX_SIZE	256

/* A vq_drain() handler's answer: leave this chain available and stop. */
#define VQ_KEEP		(-1)

/*
 * The most chains one vq_drain() serves. A guest that makes chains available
 * as fast as they are served would otherwise keep the thread that drains
 * from everything else it serves (vhost bounds its workers the same way).
 */
#define VQ_DRAIN_BUDGET	256

struct vq_buf {
	u8 *addr;
	u32 len;
};

struct vq_chain {
	u16 head;
	unsigned int nr_out;		/* device-readable buffers, first */
	unsigned int nr_in;		/* device-writable buffers, after */
	u64 out_len;
	u64 in_len;
	struct vq_buf buf[VQ_MAX_SIZE];
};

struct virtqueue {
	const struct gmem *mem;		/* where rings and buffers may live */
	const char *name;		/* for log lines */
	u16 size;			/* QueueNum, a power of two */
	bool ready;
	bool broken;			/* the guest corrupted the ring */
	bool more;			/* vq_drain() left chains to its caller */
	u64 desc_gpa;
	u64 avail_gpa;
	u64 used_gpa;
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	u16 last_avail;			/* next avail entry to consume */
	u16 used_idx;			/* next used entry to fill */
	struct vq_chain chain;		/* the one vq_drain() is serving */
};

/*
 * Serve one chain for vq_drain(). Returns the bytes written into its
 * device-writable buffers, for the used ring, or VQ_KEEP to leave it
 * available, untouched, for a later vq_drain() (an rx queue with nothing
 * to send yet).
 */
typedef s64 (*vq_handler_t)(struct vq_chain *chain, void *ctx);

struct vq_cursor {
	const struct vq_buf *buf;
	unsigned int nr;
	unsigned int idx;
	u32 off;
	u64 left;
};

void vq_init(struct virtqueue *vq, const struct gmem *mem, const char *name);
void vq_reset(struct virtqueue *vq);
int vq_enable(struct virtqueue *vq);
int vq_pop(struct virtqueue *vq, struct vq_chain *chain);
void vq_unpop(struct virtqueue *vq);
void vq_push(struct virtqueue *vq, u16 head, u32 len);
bool vq_want_interrupt(const struct virtqueue *vq);
unsigned int vq_drain(struct virtqueue *vq, vq_handler_t fn, void *ctx);

void vq_cursor_out(struct vq_cursor *c, const struct vq_chain *chain);
void vq_cursor_in(struct vq_cursor *c, const struct vq_chain *chain);
size_t vq_read(struct vq_cursor *c, void *dst, size_t len);
size_t vq_write(struct vq_cursor *c, const void *src, size_t len);
size_t vq_skip(struct vq_cursor *c, size_t len);
unsigned int vq_iov(struct vq_cursor *c, size_t len, struct iovec *iov,
		    unsigned int max);

static inline u64 vq_left(const struct vq_cursor *c)
{
	return c->left;
}

#endif /* PVMM_VIRTQUEUE_H */
