/* SPDX-License-Identifier: GPL-2.0 */
/*
 * virtio-blk over a raw image file: read, write, flush and get-id, one
 * request queue. Requests are served synchronously on the thread that
 * notifies: the I/O thread through an ioeventfd, else the vCPU's.
 *
 * Every request is checked before it touches the file: the header must be
 * whole, the data a multiple of 512 bytes and inside the image, and there
 * must be a device-writable status byte at the end. A request that fails a
 * check gets VIRTIO_BLK_S_IOERR, an unknown type VIRTIO_BLK_S_UNSUPP; a
 * chain that cannot be walked at all is returned unused by vq_pop().
 */
#ifndef PVMM_BLK_DEV_H
#define PVMM_BLK_DEV_H

#include <linux/virtio_blk.h>

#include "virtio_mmio.h"

#define BLK_SECTOR_SIZE		512
#define BLK_ID_MAX		VIRTIO_BLK_ID_BYTES

enum {
	BLK_VQ_REQUEST,
	BLK_VQ_NR,
};

struct blk_dev {
	struct virtio_mmio vdev;
	struct virtio_blk_config cfg;
	int fd;
	bool read_only;
	u64 size;			/* bytes, a multiple of 512 */
	char id[BLK_ID_MAX];		/* NUL-padded, not terminated */
};

int blk_dev_init(struct blk_dev *d, int fd, bool read_only, const char *id,
		 u64 features, const struct gmem *mem);

#endif /* PVMM_BLK_DEV_H */
