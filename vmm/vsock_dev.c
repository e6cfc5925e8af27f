// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-vsock device: descriptor chains in, packets out.
 */
#include <endian.h>
#include <linux/virtio_ids.h>

#include "log.h"
#include "vsock_dev.h"

#define HDR_LEN	sizeof(struct virtio_vsock_hdr)

static struct vsock_dev *to_vsock(struct virtio_mmio *vdev)
{
	return vdev->priv;
}

/*
 * The @len payload bytes at @c, as pieces of guest memory in @iov: vsock.c
 * forwards them to the host without a copy here, whatever the guest does
 * to them meanwhile. Linux splits a payload larger than 32 KiB into pages
 * (up to MAX_SKB_FRAGS of them); a payload in more than VSOCK_TX_PIECES
 * pieces, which no Linux guest makes, is gathered into d->payload first.
 * The caller has checked that the chain has @len bytes left.
 */
static unsigned int tx_payload(struct vsock_dev *d, struct vq_cursor *c,
			       u32 len, struct iovec *iov)
{
	struct vq_cursor start = *c;
	unsigned int nr;

	nr = vq_iov(c, len, iov, VSOCK_TX_PIECES);
	if (vq_left(c) + len == vq_left(&start)) {
		return nr;
	}
	vq_read(&start, d->payload, len);
	iov[0].iov_base = d->payload;
	iov[0].iov_len = len;
	return 1;
}

/* One tx chain: a header and p.len bytes, however they are split. */
static s64 tx_chain(struct vq_chain *chain, void *ctx)
{
	struct iovec iov[VSOCK_TX_PIECES];
	struct vsock_dev *d = ctx;
	struct virtio_vsock_hdr raw;
	struct vq_cursor c;
	struct vsock_pkt p;

	vq_cursor_out(&c, chain);
	if (vq_read(&c, &raw, HDR_LEN) != HDR_LEN) {
		log_guest("vsock: tx chain shorter than a header, dropped");
		return 0;
	}
	vsock_hdr_decode(&raw, &p);
	if (p.op != VIRTIO_VSOCK_OP_RW) {
		p.len = 0;
	}
	if (p.len > VSOCK_MAX_PAYLOAD) {
		log_guest("vsock: tx payload of %u bytes, dropped", p.len);
		return 0;
	}
	if (vq_left(&c) < p.len) {
		log_guest("vsock: tx chain shorter than its len %u, dropped",
			  p.len);
		return 0;
	}
	vsock_guest_pkt(&d->vs, &p, iov, tx_payload(d, &c, p.len, iov));
	return 0;
}

/*
 * Where an rx packet's payload goes: straight after the header in the
 * chain's first buffer if that one buffer has room for all @room bytes
 * (Linux posts one buffer per chain), else d->payload, to be copied.
 */
static u8 *rx_payload(struct vsock_dev *d, const struct vq_chain *chain,
		      u64 room)
{
	const struct vq_buf *b = &chain->buf[0];

	if (b->len >= HDR_LEN + room) {
		return b->addr + HDR_LEN;
	}
	return d->payload;
}

/*
 * Fill one rx chain with the next packet. Returns VQ_KEEP, leaving the
 * chain untouched, if there is nothing to send.
 */
static s64 rx_chain(struct vq_chain *chain, void *ctx)
{
	struct vsock_dev *d = ctx;
	struct virtio_vsock_hdr raw;
	struct vq_cursor c;
	struct vsock_pkt p;
	u8 *payload;
	u64 room;
	int n;

	vq_cursor_in(&c, chain);
	if (chain->nr_out || vq_left(&c) < HDR_LEN) {
		log_guest("vsock: rx buffer without room for a header");
		return 0;
	}
	room = min_u64(vq_left(&c) - HDR_LEN, VSOCK_MAX_PAYLOAD);
	payload = rx_payload(d, chain, room);
	n = vsock_next_pkt(&d->vs, &p, payload, room);
	if (n < 0) {
		return VQ_KEEP;
	}
	vsock_hdr_encode(&p, &raw);
	vq_write(&c, &raw, HDR_LEN);
	if (payload == d->payload) {
		vq_write(&c, d->payload, n);
	}
	return HDR_LEN + n;
}

/* Move packets to the guest while it has rx buffers. Device lock held. */
void vsock_dev_pump(struct vsock_dev *d)
{
	if (virtio_mmio_running(&d->vdev)) {
		virtio_mmio_drain(&d->vdev, VSOCK_VQ_RX, rx_chain, d);
	}
}

static void vsock_notify(struct virtio_mmio *vdev, unsigned int q)
{
	struct vsock_dev *d = to_vsock(vdev);

	if (q == VSOCK_VQ_TX) {
		virtio_mmio_drain(vdev, q, tx_chain, d);
	}
	if (q == VSOCK_VQ_TX || q == VSOCK_VQ_RX) {
		vsock_dev_pump(d);
	}
}

static void vsock_dev_reset(struct virtio_mmio *vdev)
{
	vsock_reset(&to_vsock(vdev)->vs);
}

static const struct virtio_dev_ops vsock_dev_ops = {
	.notify = vsock_notify,
	.reset = vsock_dev_reset,
};

static const char *const vsock_qnames[VSOCK_VQ_NR] = {
	"vsock-rx", "vsock-tx", "vsock-event",
};

void vsock_dev_init(struct vsock_dev *d, u64 guest_cid, u64 features,
		    const struct gmem *mem,
		    const struct vsock_backend_ops *ops, void *opaque)
{
	virtio_mmio_init(&d->vdev, VIRTIO_ID_VSOCK, features, mem,
			 VSOCK_VQ_NR, vsock_qnames);
	d->vdev.ops = &vsock_dev_ops;
	d->vdev.priv = d;
	d->cfg.guest_cid = htole64(guest_cid);
	d->vdev.config = &d->cfg;
	d->vdev.config_len = sizeof(d->cfg);
	vsock_init(&d->vs, guest_cid, ops, opaque);
}
