/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A user-space virtio-mmio device's queues served on the I/O thread, and its
 * interrupt signalled through KVM, without a vCPU exit to pvmm for either.
 *
 * Kicks: one eventfd per queue, in the I/O thread's event loop from the
 * start. Once the driver sets DRIVER_OK, a KVM ioeventfd makes each guest
 * write of q to QueueNotify signal queue q's eventfd inside KVM; the vCPU
 * goes straight back to the guest, and the I/O thread serves the queue with
 * virtio_mmio_notify(), under the device lock, as a register write would.
 * A reset deassigns them. Where KVM refuses an ioeventfd, or none was set
 * up, the write exits to pvmm and is served on the vCPU thread, as before:
 * the QueueNotify register works either way.
 *
 * Interrupt: one eventfd that a KVM irqfd connects to the device's SPI. An
 * irqfd can only pulse an interrupt, never hold it, so the SPI must be edge
 * triggered (see vsock_vhost.h), and the device's set_irq() pulses it when
 * the level would rise: virtio-mmio sets the InterruptStatus bit first, so
 * a driver that reads it on the interrupt sees it, and one that acknowledges
 * only some bits gets another pulse for the rest. Lowering is a no-op.
 *
 * All system calls go through struct sys_ops, so that the unit tests can
 * record them.
 */
#ifndef PVMM_VIRTIO_EVENTFD_H
#define PVMM_VIRTIO_EVENTFD_H

#include "eventloop.h"
#include "sys_ops.h"
#include "virtio_mmio.h"

struct virtio_eventfd {
	struct virtio_mmio *vdev;
	const struct sys_ops *sys;
	struct eventloop *el;
	int vm_fd;
	u64 notify_addr;		/* guest physical QueueNotify */
	u32 gsi;			/* SPI number, KVM's irqfd GSI */
	int kick_fd[VIRTIO_MAX_QUEUES];	/* -1 until virtio_eventfd_kicks() */
	bool assigned[VIRTIO_MAX_QUEUES];	/* KVM signals kick_fd[q] */
	bool refused;			/* KVM refused an ioeventfd: said once */
	int call_fd;			/* the irqfd, or -1 */
};

void virtio_eventfd_init(struct virtio_eventfd *e, struct virtio_mmio *vdev,
			 const struct sys_ops *sys, int vm_fd);
int virtio_eventfd_kicks(struct virtio_eventfd *e, struct eventloop *el,
			 u64 mmio_base);
int virtio_eventfd_irqfd(struct virtio_eventfd *e, u32 gsi);
void virtio_eventfd_close(struct virtio_eventfd *e);

#endif /* PVMM_VIRTIO_EVENTFD_H */
