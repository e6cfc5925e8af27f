// SPDX-License-Identifier: GPL-2.0
/*
 * Assign and deassign KVM ioeventfds, always with a data match.
 */
#include <linux/kvm.h>

#include "ioeventfd.h"

static int ioeventfd_ioctl(const struct sys_ops *sys, int vm_fd,
			   const struct ioeventfd *ev, u32 flags)
{
	struct kvm_ioeventfd k = {
		.datamatch = ev->datamatch,
		.addr = ev->addr,
		.len = ev->len,
		.fd = ev->fd,
		.flags = KVM_IOEVENTFD_FLAG_DATAMATCH | flags,
	};

	return sys->ioctl(sys->ctx, vm_fd, KVM_IOEVENTFD, &k);
}

/* From now on, writes of @ev->datamatch to @ev->addr signal @ev->fd. */
/* A virtio-mmio QueueNotify write of queue @q at @notify_addr signals @fd. */
struct ioeventfd ioeventfd_queue_notify(u64 notify_addr, unsigned int q,
					int fd)
{
	return (struct ioeventfd){
		.addr = notify_addr,
		.len = 4,
		.datamatch = q,
		.fd = fd,
	};
}

int ioeventfd_add(const struct sys_ops *sys, int vm_fd,
		  const struct ioeventfd *ev)
{
	return ioeventfd_ioctl(sys, vm_fd, ev, 0);
}

/* Undo ioeventfd_add() of the same @ev; such writes exit to pvmm again. */
int ioeventfd_del(const struct sys_ops *sys, int vm_fd,
		  const struct ioeventfd *ev)
{
	return ioeventfd_ioctl(sys, vm_fd, ev, KVM_IOEVENTFD_FLAG_DEASSIGN);
}
