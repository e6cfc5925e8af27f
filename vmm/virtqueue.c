// SPDX-License-Identifier: GPL-2.0
/*
 * Device side of a split virtqueue, with every guest value checked.
 */
#include <endian.h>
#include <errno.h>
#include <string.h>

#include "log.h"
#include "virtqueue.h"

/* Sizes of the three parts of a split ring, including the event fields. */
static u64 desc_bytes(u16 size)
{
	return (u64)size * sizeof(struct vring_desc);
}

static u64 avail_bytes(u16 size)
{
	return sizeof(struct vring_avail) + (u64)size * sizeof(__virtio16) + 2;
}

static u64 used_bytes(u16 size)
{
	return sizeof(struct vring_used) +
	       (u64)size * sizeof(struct vring_used_elem) + 2;
}

void vq_init(struct virtqueue *vq, const struct gmem *mem, const char *name)
{
	memset(vq, 0, sizeof(*vq));
	vq->mem = mem;
	vq->name = name;
	vq->size = VQ_MAX_SIZE;
}

void vq_reset(struct virtqueue *vq)
{
	vq_init(vq, vq->mem, vq->name);
}

/*
 * Called when the driver writes QueueReady: check size, alignment and that
 * all three rings lie inside the window, then map them.
 */
int vq_enable(struct virtqueue *vq)
{
	u16 n = vq->size;

	if (!n || n > VQ_MAX_SIZE || (n & (n - 1))) {
		log_guest("%s: bad queue size %u", vq->name, n);
		return -EINVAL;
	}
	if (!is_aligned(vq->desc_gpa, 16) || !is_aligned(vq->avail_gpa, 2) ||
	    !is_aligned(vq->used_gpa, 4)) {
		log_guest("%s: misaligned ring", vq->name);
		return -EINVAL;
	}
	vq->desc = gmem_ptr(vq->mem, vq->desc_gpa, desc_bytes(n));
	vq->avail = gmem_ptr(vq->mem, vq->avail_gpa, avail_bytes(n));
	vq->used = gmem_ptr(vq->mem, vq->used_gpa, used_bytes(n));
	if (!vq->desc || !vq->avail || !vq->used) {
		log_guest("%s: ring outside guest memory", vq->name);
		vq->desc = NULL;
		vq->avail = NULL;
		vq->used = NULL;
		return -EINVAL;
	}
	vq->last_avail = 0;
	vq->used_idx = 0;
	vq->broken = false;
	vq->ready = true;
	return 0;
}

/* Read a descriptor exactly once: the guest may change it under us. */
static void read_desc(const struct virtqueue *vq, u16 i, struct vring_desc *d)
{
	const struct vring_desc *src = &vq->desc[i];

	d->addr = le64toh(__atomic_load_n(&src->addr, __ATOMIC_RELAXED));
	d->len = le32toh(__atomic_load_n(&src->len, __ATOMIC_RELAXED));
	d->flags = le16toh(__atomic_load_n(&src->flags, __ATOMIC_RELAXED));
	d->next = le16toh(__atomic_load_n(&src->next, __ATOMIC_RELAXED));
}

static int add_buf(struct virtqueue *vq, struct vq_chain *c,
		   const struct vring_desc *d)
{
	bool writable = d->flags & VRING_DESC_F_WRITE;
	struct vq_buf *b;
	u8 *p;

	if (d->flags & VRING_DESC_F_INDIRECT) {
		log_guest("%s: indirect descriptor not negotiated", vq->name);
		return -EINVAL;
	}
	if (!writable && c->nr_in) {
		log_guest("%s: readable descriptor after writable one",
			  vq->name);
		return -EINVAL;
	}
	if (!d->len) {
		return 0;
	}
	p = gmem_ptr(vq->mem, d->addr, d->len);
	if (!p) {
		log_guest("%s: buffer 0x%llx+0x%x outside guest memory",
			  vq->name, d->addr, d->len);
		return -EINVAL;
	}
	b = &c->buf[c->nr_out + c->nr_in];
	b->addr = p;
	b->len = d->len;
	if (writable) {
		c->nr_in++;
		c->in_len += d->len;
	} else {
		c->nr_out++;
		c->out_len += d->len;
	}
	return 0;
}

/* Walk the chain starting at @head; at most vq->size descriptors. */
static int walk_chain(struct virtqueue *vq, struct vq_chain *c)
{
	struct vring_desc d;
	unsigned int count;
	u16 i = c->head;
	int ret;

	for (count = 0; count < vq->size; count++) {
		read_desc(vq, i, &d);
		ret = add_buf(vq, c, &d);
		if (ret) {
			return ret;
		}
		if (!(d.flags & VRING_DESC_F_NEXT)) {
			return 0;
		}
		if (d.next >= vq->size) {
			log_guest("%s: next index %u out of range", vq->name,
				  d.next);
			return -EINVAL;
		}
		i = d.next;
	}
	log_guest("%s: descriptor chain too long or looped", vq->name);
	return -EINVAL;
}

/*
 * Take the next available chain. Returns 1 and fills @c, 0 if the queue is
 * empty, or -EINVAL if the chain was malformed; such a chain has already
 * been given back to the guest with length 0, so the caller just goes on.
 */
int vq_pop(struct virtqueue *vq, struct vq_chain *c)
{
	u16 avail_idx, head;
	int ret;

	if (!vq->ready || vq->broken) {
		return 0;
	}
	avail_idx = le16toh(__atomic_load_n(&vq->avail->idx,
					    __ATOMIC_ACQUIRE));
	if (avail_idx == vq->last_avail) {
		return 0;
	}
	if ((u16)(avail_idx - vq->last_avail) > vq->size) {
		log_guest("%s: avail index jumped by %u, queue stopped",
			  vq->name, (u16)(avail_idx - vq->last_avail));
		vq->broken = true;
		return 0;
	}
	head = le16toh(__atomic_load_n(&vq->avail->ring[vq->last_avail &
							(vq->size - 1)],
				       __ATOMIC_RELAXED));
	vq->last_avail++;
	if (head >= vq->size) {
		log_guest("%s: head index %u out of range, dropped", vq->name,
			  head);
		return -EINVAL;
	}
	c->head = head;
	c->nr_out = 0;
	c->nr_in = 0;
	c->out_len = 0;
	c->in_len = 0;
	ret = walk_chain(vq, c);
	if (ret) {
		vq_push(vq, head, 0);
		return ret;
	}
	return 1;
}

/* Put back the chain that vq_pop() just returned, untouched. */
void vq_unpop(struct virtqueue *vq)
{
	vq->last_avail--;
}

void vq_push(struct virtqueue *vq, u16 head, u32 len)
{
	struct vring_used_elem *e;

	if (!vq->ready) {
		return;
	}
	e = &vq->used->ring[vq->used_idx & (vq->size - 1)];
	__atomic_store_n(&e->id, htole32(head), __ATOMIC_RELAXED);
	__atomic_store_n(&e->len, htole32(len), __ATOMIC_RELAXED);
	vq->used_idx++;
	__atomic_store_n(&vq->used->idx, htole16(vq->used_idx),
			 __ATOMIC_RELEASE);
}

/* Whether the driver wants an interrupt for the used buffers just pushed. */
bool vq_want_interrupt(const struct virtqueue *vq)
{
	u16 flags;

	if (!vq->ready) {
		return false;
	}
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	flags = le16toh(__atomic_load_n(&vq->avail->flags, __ATOMIC_RELAXED));
	return !(flags & VRING_AVAIL_F_NO_INTERRUPT);
}

/*
 * Pop each available chain, serve it with @fn and push it with the length
 * @fn returns, until the queue is empty, @max chains went to the used ring,
 * or @fn says VQ_KEEP: that chain goes back to the avail ring as it was, and
 * the rest wait with it. Malformed chains were already given back by
 * vq_pop() and never reach @fn. Returns how many chains went to the used
 * ring, so that the caller interrupts the driver once for all of them.
 */
static unsigned int drain_once(struct virtqueue *vq, vq_handler_t fn,
			       void *ctx, unsigned int max, bool *kept)
{
	unsigned int used = 0;
	s64 len;
	int ret;

	while (used < max && (ret = vq_pop(vq, &vq->chain))) {
		len = ret > 0 ? fn(&vq->chain, ctx) : 0;
		if (len < 0) {
			vq_unpop(vq);
			*kept = true;
			break;
		}
		if (ret > 0) {
			vq_push(vq, vq->chain.head, len);
		}
		used++;
	}
	return used;
}

/* Whether the driver is to notify us of the chains it makes available. */
static void set_notify(struct virtqueue *vq, bool on)
{
	__atomic_store_n(&vq->used->flags,
			 htole16(on ? 0 : VRING_USED_F_NO_NOTIFY),
			 __ATOMIC_RELAXED);
}

static bool has_avail(const struct virtqueue *vq)
{
	return le16toh(__atomic_load_n(&vq->avail->idx, __ATOMIC_ACQUIRE)) !=
	       vq->last_avail;
}

/*
 * While it drains, the driver need not notify (kick) us: set
 * VRING_USED_F_NO_NOTIFY, as vhost does while its worker runs. A drain
 * that emptied the queue wants notifications again, and looks once more
 * after saying so, for chains made available while they were off. A drain
 * stopped by VQ_KEEP (an rx queue with buffers but nothing for them)
 * leaves them off: more buffers are no news, and the device drains again
 * when it has data. A drain that served VQ_DRAIN_BUDGET chains with more
 * waiting leaves them off too, and sets vq->more: the caller must drain
 * again, as no kick will come for those chains.
 */
unsigned int vq_drain(struct virtqueue *vq, vq_handler_t fn, void *ctx)
{
	unsigned int used = 0;
	bool kept = false;

	vq->more = false;
	if (!vq->ready || vq->broken) {
		return 0;
	}
	do {
		set_notify(vq, false);
		used += drain_once(vq, fn, ctx, VQ_DRAIN_BUDGET - used, &kept);
		if (kept || vq->broken) {
			return used;
		}
		if (used == VQ_DRAIN_BUDGET && has_avail(vq)) {
			vq->more = true;
			return used;
		}
		set_notify(vq, true);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	} while (has_avail(vq));
	return used;
}

void vq_cursor_out(struct vq_cursor *c, const struct vq_chain *chain)
{
	c->buf = chain->buf;
	c->nr = chain->nr_out;
	c->idx = 0;
	c->off = 0;
	c->left = chain->out_len;
}

void vq_cursor_in(struct vq_cursor *c, const struct vq_chain *chain)
{
	c->buf = chain->buf + chain->nr_out;
	c->nr = chain->nr_in;
	c->idx = 0;
	c->off = 0;
	c->left = chain->in_len;
}

/* The next contiguous piece of at most @max bytes; advances the cursor. */
static u8 *cursor_take(struct vq_cursor *c, size_t max, size_t *got)
{
	const struct vq_buf *b;
	u8 *p;

	while (c->idx < c->nr && c->off == c->buf[c->idx].len) {
		c->idx++;
		c->off = 0;
	}
	if (c->idx == c->nr || !max) {
		*got = 0;
		return NULL;
	}
	b = &c->buf[c->idx];
	*got = min_u64(max, b->len - c->off);
	p = b->addr + c->off;
	c->off += *got;
	c->left -= *got;
	return p;
}

size_t vq_read(struct vq_cursor *c, void *dst, size_t len)
{
	size_t done = 0, n;
	u8 *p;

	while (done < len) {
		p = cursor_take(c, len - done, &n);
		if (!p) {
			break;
		}
		memcpy((u8 *)dst + done, p, n);
		done += n;
	}
	return done;
}

size_t vq_write(struct vq_cursor *c, const void *src, size_t len)
{
	size_t done = 0, n;
	u8 *p;

	while (done < len) {
		p = cursor_take(c, len - done, &n);
		if (!p) {
			break;
		}
		memcpy(p, (const u8 *)src + done, n);
		done += n;
	}
	return done;
}

size_t vq_skip(struct vq_cursor *c, size_t len)
{
	size_t done = 0, n;

	while (done < len && cursor_take(c, len - done, &n)) {
		done += n;
	}
	return done;
}

/*
 * Describe the next @len bytes as at most @max iovecs, advancing the cursor
 * past them. Returns the number of iovecs; they cover fewer than @len bytes
 * only if the chain or @max ran out (the caller checks vq_left() first).
 */
unsigned int vq_iov(struct vq_cursor *c, size_t len, struct iovec *iov,
		    unsigned int max)
{
	unsigned int nr = 0;
	size_t n;
	u8 *p;

	while (len && nr < max) {
		p = cursor_take(c, len, &n);
		if (!p) {
			break;
		}
		iov[nr].iov_base = p;
		iov[nr].iov_len = n;
		nr++;
		len -= n;
	}
	return nr;
}
