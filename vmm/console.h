/* SPDX-License-Identifier: GPL-2.0 */
/*
 * virtio-console with a single port (hvc0): guest output goes to a file
 * descriptor (stdout) and, while one is attached, is copied to a socket
 * (the tee: "pvmm console"); input comes from console_dev_input().
 */
#ifndef PVMM_VIRTIO_CONSOLE_H
#define PVMM_VIRTIO_CONSOLE_H

#include <linux/virtio_console.h>

#include "virtio_mmio.h"

#define CONSOLE_IN_BUF	4096

enum {
	CONSOLE_VQ_RX,
	CONSOLE_VQ_TX,
	CONSOLE_VQ_NR,
};

struct console_dev {
	struct virtio_mmio vdev;
	struct virtio_console_config cfg;
	int out_fd;
	int tee_fd;			/* a socket that gets a copy, or -1 */
	u32 in_len;
	u8 in_buf[CONSOLE_IN_BUF];
};

void console_dev_init(struct console_dev *d, u64 features,
		      const struct gmem *mem, int out_fd);
void console_dev_input(struct console_dev *d, const void *data, size_t len);
void console_dev_set_tee(struct console_dev *d, int fd);

#endif /* PVMM_VIRTIO_CONSOLE_H */
