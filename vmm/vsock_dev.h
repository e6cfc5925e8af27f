/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtio-vsock device: moves packets between the guest's rx/tx queues
 * and the vsock state machine. The event queue is kept but never used.
 */
#ifndef PVMM_VSOCK_DEV_H
#define PVMM_VSOCK_DEV_H

#include <linux/virtio_vsock.h>

#include "virtio_mmio.h"
#include "vsock.h"

enum {
	VSOCK_VQ_RX,
	VSOCK_VQ_TX,
	VSOCK_VQ_EVENT,
	VSOCK_VQ_NR,
};

/* Pieces of a tx payload forwarded in place (Linux: at most 18). */
#define VSOCK_TX_PIECES	32

struct vsock_dev {
	struct virtio_mmio vdev;
	struct vsock vs;
	struct virtio_vsock_config cfg;
	u8 payload[VSOCK_MAX_PAYLOAD];
};

void vsock_dev_init(struct vsock_dev *d, u64 guest_cid, u64 features,
		    const struct gmem *mem,
		    const struct vsock_backend_ops *ops, void *opaque);
void vsock_dev_pump(struct vsock_dev *d);

static inline void vsock_dev_lock(struct vsock_dev *d)
{
	pthread_mutex_lock(&d->vdev.lock);
}

static inline void vsock_dev_unlock(struct vsock_dev *d)
{
	pthread_mutex_unlock(&d->vdev.lock);
}

#endif /* PVMM_VSOCK_DEV_H */
