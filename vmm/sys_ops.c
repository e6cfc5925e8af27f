// SPDX-License-Identifier: GPL-2.0
/*
 * The real system calls behind struct sys_ops.
 */
#include <errno.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>

#include "sys_ops.h"

static int sys_ioctl(void *ctx, int fd, unsigned long req, void *arg)
{
	(void)ctx;
	return ioctl(fd, req, arg) < 0 ? -errno : 0;
}

static int sys_eventfd(void *ctx)
{
	int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);

	(void)ctx;
	return fd < 0 ? -errno : fd;
}

static int sys_eventfd_signal(void *ctx, int fd)
{
	u64 one = 1;

	(void)ctx;
	return write(fd, &one, sizeof(one)) < 0 ? -errno : 0;
}

static void sys_close(void *ctx, int fd)
{
	(void)ctx;
	close(fd);
}

const struct sys_ops sys_ops_default = {
	.ioctl = sys_ioctl,
	.eventfd = sys_eventfd,
	.eventfd_signal = sys_eventfd_signal,
	.close = sys_close,
};
