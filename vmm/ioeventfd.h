/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KVM ioeventfds: a guest write of one value to one MMIO register signals
 * an eventfd inside KVM instead of exiting to pvmm. vhost-vsock takes the
 * QueueNotify writes for its queues this way, and so does the I/O thread for
 * pvmm's own vsock and disks (virtio_eventfd.h).
 *
 * The ioctls go through struct sys_ops, so that the unit tests can record
 * them.
 */
#ifndef PVMM_IOEVENTFD_H
#define PVMM_IOEVENTFD_H

#include "sys_ops.h"

struct ioeventfd {
	u64 addr;			/* guest physical, of the register */
	u32 len;			/* width of the write: 1, 2, 4 or 8 */
	u64 datamatch;			/* the value written */
	int fd;				/* the eventfd that KVM signals */
};

struct ioeventfd ioeventfd_queue_notify(u64 notify_addr, unsigned int q,
					int fd);
int ioeventfd_add(const struct sys_ops *sys, int vm_fd,
		  const struct ioeventfd *ev);
int ioeventfd_del(const struct sys_ops *sys, int vm_fd,
		  const struct ioeventfd *ev);

#endif /* PVMM_IOEVENTFD_H */
