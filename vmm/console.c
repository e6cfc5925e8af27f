// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-console, single port, no optional features.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/virtio_ids.h>

#include "log.h"
#include "console.h"

static struct console_dev *to_console(struct virtio_mmio *vdev)
{
	return vdev->priv;
}

/* Write all of @buf; output is never dropped just because fd is busy. */
static void write_all(int fd, const u8 *buf, size_t len)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	ssize_t n;

	while (len) {
		n = write(fd, buf, len);
		if (n < 0 && errno == EAGAIN) {
			poll(&pfd, 1, -1);
			continue;
		}
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			return;
		}
		buf += n;
		len -= n;
	}
}

/*
 * Copy guest output to the attached client without ever waiting for it: a
 * client that cannot take all of it at once is cut off, with a shutdown
 * that its owner (control.c) sees as a hangup. Device lock held.
 */
static void tee_write(struct console_dev *d, const u8 *buf, size_t len)
{
	ssize_t n;

	if (d->tee_fd < 0) {
		return;
	}
	n = send(d->tee_fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n < 0 || (size_t)n != len) {
		shutdown(d->tee_fd, SHUT_RDWR);
		d->tee_fd = -1;
	}
}

/* One tx chain: all of it to the output and to the tee. */
static s64 tx_chain(struct vq_chain *chain, void *ctx)
{
	struct console_dev *d = ctx;
	struct vq_cursor c;
	u8 buf[1024];
	size_t n;

	vq_cursor_out(&c, chain);
	while ((n = vq_read(&c, buf, sizeof(buf)))) {
		write_all(d->out_fd, buf, n);
		tee_write(d, buf, n);
	}
	return 0;
}

/* One rx chain: as much buffered input as fits; kept while there is none. */
static s64 rx_chain(struct vq_chain *chain, void *ctx)
{
	struct console_dev *d = ctx;
	struct vq_cursor c;
	size_t n;

	if (!d->in_len) {
		return VQ_KEEP;
	}
	vq_cursor_in(&c, chain);
	n = vq_write(&c, d->in_buf, d->in_len);
	memmove(d->in_buf, d->in_buf + n, d->in_len - n);
	d->in_len -= n;
	return n;
}

/* Hand buffered input to the guest. Device lock held. */
static void process_rx(struct console_dev *d)
{
	if (virtio_mmio_running(&d->vdev)) {
		virtio_mmio_drain(&d->vdev, CONSOLE_VQ_RX, rx_chain, d);
	}
}

/* Input from the host. What does not fit in the buffer is dropped. */
void console_dev_input(struct console_dev *d, const void *data, size_t len)
{
	size_t n;

	pthread_mutex_lock(&d->vdev.lock);
	n = min_u64(len, CONSOLE_IN_BUF - d->in_len);
	memcpy(d->in_buf + d->in_len, data, n);
	d->in_len += n;
	process_rx(d);
	pthread_mutex_unlock(&d->vdev.lock);
}

/*
 * Attach @fd (a socket) to get a copy of guest output from now on, or
 * detach with -1. Once this returns, the old fd is no longer used.
 */
void console_dev_set_tee(struct console_dev *d, int fd)
{
	pthread_mutex_lock(&d->vdev.lock);
	d->tee_fd = fd;
	pthread_mutex_unlock(&d->vdev.lock);
}

static void console_notify(struct virtio_mmio *vdev, unsigned int q)
{
	struct console_dev *d = to_console(vdev);

	if (q == CONSOLE_VQ_TX) {
		virtio_mmio_drain(vdev, q, tx_chain, d);
	} else {
		process_rx(d);
	}
}

static const struct virtio_dev_ops console_ops = {
	.notify = console_notify,
};

static const char *const console_qnames[CONSOLE_VQ_NR] = {
	"console-rx", "console-tx",
};

void console_dev_init(struct console_dev *d, u64 features,
		      const struct gmem *mem, int out_fd)
{
	virtio_mmio_init(&d->vdev, VIRTIO_ID_CONSOLE, features, mem,
			 CONSOLE_VQ_NR, console_qnames);
	d->vdev.ops = &console_ops;
	d->vdev.priv = d;
	d->vdev.config = &d->cfg;
	d->vdev.config_len = sizeof(d->cfg);
	d->out_fd = out_fd;
	d->tee_fd = -1;
	d->in_len = 0;
}
