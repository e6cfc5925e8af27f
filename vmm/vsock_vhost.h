/* SPDX-License-Identifier: GPL-2.0 */
/*
 * virtio-vsock backed by the kernel's vhost-vsock, for non-protected VMs.
 *
 * pvmm keeps the virtio-mmio register file (feature negotiation, queue
 * setup, reset, the config space) and the event queue, which vhost does not
 * use. The rx and tx queues belong to vhost once the driver sets DRIVER_OK:
 * guest writes of 0 or 1 to QueueNotify reach vhost through KVM ioeventfds,
 * and vhost's used-buffer notifications reach the guest through one KVM
 * irqfd on the device's SPI, without passing through pvmm.
 *
 * An irqfd can only pulse an interrupt, so the device's SPI is edge
 * triggered (a level interrupt would stay asserted, as the irqfd fast path
 * never lowers it), and InterruptStatus reads "used buffer" whenever the
 * driver runs: pvmm never learns when vhost signalled. Linux's vm_interrupt()
 * then checks every queue, which is what it does for that bit anyway.
 *
 * All system calls go through struct sys_ops so that the unit tests can
 * record them.
 */
#ifndef PVMM_VSOCK_VHOST_H
#define PVMM_VSOCK_VHOST_H

#include <linux/virtio_vsock.h>

#include "sys_ops.h"
#include "virtio_mmio.h"

#define VHOST_VSOCK_DEV		"/dev/vhost-vsock"
#define VSOCK_VHOST_NR_VQ	2	/* rx and tx; the event queue is ours */

struct vsock_vhost {
	struct virtio_mmio vdev;
	struct virtio_vsock_config cfg;
	const struct sys_ops *sys;
	u64 guest_cid;
	int vhost_fd;
	int vm_fd;
	u64 notify_addr;		/* guest physical QueueNotify */
	u32 gsi;			/* SPI number, KVM's irqfd GSI */
	int kick_fd[VSOCK_VHOST_NR_VQ];
	int call_fd;
	bool ioeventfd[VSOCK_VHOST_NR_VQ];
	bool irqfd;
	bool running;
};

void vsock_vhost_init(struct vsock_vhost *v, u64 guest_cid,
		      const struct gmem *mem, const struct sys_ops *sys);
int vsock_vhost_open(struct vsock_vhost *v, int vhost_fd, int vm_fd,
		     u64 mmio_base, u32 gsi);
void vsock_vhost_close(struct vsock_vhost *v);

#endif /* PVMM_VSOCK_VHOST_H */
