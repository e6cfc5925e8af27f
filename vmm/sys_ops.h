/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The system calls that wire devices to KVM and vhost (ioctls, eventfds),
 * behind a table of function pointers: the unit tests pass one that
 * records the calls or makes them fail. sys_ops_default makes the real
 * calls.
 */
#ifndef PVMM_SYS_OPS_H
#define PVMM_SYS_OPS_H

#include "base.h"

struct sys_ops {
	/* Returns 0 or -errno. */
	int (*ioctl)(void *ctx, int fd, unsigned long req, void *arg);
	/* A non-blocking eventfd at 0: returns the fd or -errno. */
	int (*eventfd)(void *ctx);
	/* Adds 1 to eventfd @fd: returns 0 or -errno. */
	int (*eventfd_signal)(void *ctx, int fd);
	void (*close)(void *ctx, int fd);
	void *ctx;
};

extern const struct sys_ops sys_ops_default;

#endif /* PVMM_SYS_OPS_H */
