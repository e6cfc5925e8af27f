// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-vsock device: descriptor chains in, packets out.
 */
#include <endian.h>
#include <errno.h>
#include <linux/virtio_ids.h>

#include "log.h"
#include "vsock_dev.h"

#define HDR_LEN	sizeof(struct virtio_vsock_hdr)

static struct vsock_dev *to_vsock(struct virtio_mmio *vdev)
{
	return vdev->priv;
}

/* One tx chain: a header and p.len bytes, however they are split. */
static void tx_chain(struct vsock_dev *d)
{
	struct virtio_vsock_hdr raw;
	struct vq_cursor c;
	struct vsock_pkt p;

	vq_cursor_out(&c, &d->chain);
	if (vq_read(&c, &raw, HDR_LEN) != HDR_LEN) {
		log_guest("vsock: tx chain shorter than a header, dropped");
		return;
	}
	vsock_hdr_decode(&raw, &p);
	if (p.op != VIRTIO_VSOCK_OP_RW) {
		p.len = 0;
	}
	if (p.len > VSOCK_MAX_PAYLOAD) {
		log_guest("vsock: tx payload of %u bytes, dropped", p.len);
		return;
	}
	if (vq_read(&c, d->payload, p.len) != p.len) {
		log_guest("vsock: tx chain shorter than its len %u, dropped",
			  p.len);
		return;
	}
	vsock_guest_pkt(&d->vs, &p, d->payload);
}

static void process_tx(struct vsock_dev *d)
{
	struct virtqueue *vq = &d->vdev.vq[VSOCK_VQ_TX];
	bool used = false;
	int ret;

	while ((ret = vq_pop(vq, &d->chain))) {
		used = true;
		if (ret < 0) {
			continue;
		}
		tx_chain(d);
		vq_push(vq, d->chain.head, 0);
	}
	if (used) {
		virtio_mmio_used(&d->vdev, VSOCK_VQ_TX);
	}
}

/*
 * Fill the rx chain just popped with the next packet. Returns -ENOENT,
 * leaving the chain untouched, if there is nothing to send.
 */
static int rx_chain(struct vsock_dev *d)
{
	struct virtqueue *vq = &d->vdev.vq[VSOCK_VQ_RX];
	struct virtio_vsock_hdr raw;
	struct vq_cursor c;
	struct vsock_pkt p;
	int n;

	vq_cursor_in(&c, &d->chain);
	if (d->chain.nr_out || vq_left(&c) < HDR_LEN) {
		log_guest("vsock: rx buffer without room for a header");
		vq_push(vq, d->chain.head, 0);
		return 0;
	}
	n = vsock_next_pkt(&d->vs, &p, d->payload,
			   min_u64(vq_left(&c) - HDR_LEN, VSOCK_MAX_PAYLOAD));
	if (n < 0) {
		return -ENOENT;
	}
	vsock_hdr_encode(&p, &raw);
	vq_write(&c, &raw, HDR_LEN);
	vq_write(&c, d->payload, n);
	vq_push(vq, d->chain.head, HDR_LEN + n);
	return 0;
}

/* Move packets to the guest while it has rx buffers. Device lock held. */
void vsock_dev_pump(struct vsock_dev *d)
{
	struct virtqueue *vq = &d->vdev.vq[VSOCK_VQ_RX];
	bool used = false;
	int ret;

	if (!virtio_mmio_running(&d->vdev)) {
		return;
	}
	while ((ret = vq_pop(vq, &d->chain))) {
		if (ret > 0 && rx_chain(d)) {
			vq_unpop(vq);
			break;
		}
		used = true;
	}
	if (used) {
		virtio_mmio_used(&d->vdev, VSOCK_VQ_RX);
	}
}

static void vsock_notify(struct virtio_mmio *vdev, unsigned int q)
{
	struct vsock_dev *d = to_vsock(vdev);

	if (q == VSOCK_VQ_TX) {
		process_tx(d);
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
