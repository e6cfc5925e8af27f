// SPDX-License-Identifier: GPL-2.0
/*
 * Kicks through KVM ioeventfds to the I/O thread, interrupts through a KVM
 * irqfd, for a user-space virtio-mmio device.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <linux/kvm.h>
#include <linux/virtio_mmio.h>

#include "ioeventfd.h"
#include "log.h"
#include "virtio_eventfd.h"

void virtio_eventfd_init(struct virtio_eventfd *e, struct virtio_mmio *vdev,
			 const struct sys_ops *sys, int vm_fd)
{
	unsigned int q;

	memset(e, 0, sizeof(*e));
	e->vdev = vdev;
	e->sys = sys;
	e->vm_fd = vm_fd;
	e->call_fd = -1;
	for (q = 0; q < VIRTIO_MAX_QUEUES; q++) {
		e->kick_fd[q] = -1;
	}
}

/* QueueNotify writes of @q signal kick_fd[q]. */
static struct ioeventfd kick_ioeventfd(const struct virtio_eventfd *e,
				       unsigned int q)
{
	return ioeventfd_queue_notify(e->notify_addr, q, e->kick_fd[q]);
}

/* Device lock held. A queue KVM refuses keeps exiting to pvmm. */
static void assign(struct virtio_eventfd *e, unsigned int q)
{
	struct ioeventfd ev;
	int ret;

	if (e->assigned[q]) {
		return;
	}
	ev = kick_ioeventfd(e, q);
	ret = ioeventfd_add(e->sys, e->vm_fd, &ev);
	if (!ret) {
		e->assigned[q] = true;
	} else if (!e->refused) {
		e->refused = true;
		pr_warn("%s: KVM_IOEVENTFD: %s; its kicks stay on the vCPU thread",
			e->vdev->vq[q].name, strerror(-ret));
	}
}

/* Device lock held. */
static void deassign(struct virtio_eventfd *e, unsigned int q)
{
	struct ioeventfd ev;

	if (!e->assigned[q]) {
		return;
	}
	ev = kick_ioeventfd(e, q);
	ioeventfd_del(e->sys, e->vm_fd, &ev);
	e->assigned[q] = false;
}

/* virtio_mmio's set_kicks(): DRIVER_OK (@on) or reset. Device lock held. */
static void switch_kicks(void *opaque, bool on)
{
	struct virtio_eventfd *e = opaque;
	unsigned int q;

	for (q = 0; q < e->vdev->nr_queues; q++) {
		if (on) {
			assign(e, q);
		} else {
			deassign(e, q);
		}
	}
}

/*
 * I/O thread, no lock held: KVM took a QueueNotify write. kick_fd[] and
 * nr_queues do not change while the event loop runs.
 */
static void kick_event(void *opaque, int fd, u32 events)
{
	struct virtio_eventfd *e = opaque;
	unsigned int q;
	u64 n;

	(void)events;
	if (read(fd, &n, sizeof(n)) != sizeof(n)) {
		return;
	}
	for (q = 0; q < e->vdev->nr_queues; q++) {
		if (e->kick_fd[q] == fd) {
			virtio_mmio_notify(e->vdev, q);
		}
	}
}

/*
 * virtio_mmio's rekick(): a drain of @q stopped at its budget. A kick of our
 * own on its eventfd brings the event loop back to it after the other events
 * it has. Device lock held.
 */
static void rekick(void *opaque, unsigned int q)
{
	struct virtio_eventfd *e = opaque;
	int ret = e->sys->eventfd_signal(e->sys->ctx, e->kick_fd[q]);

	if (ret && ret != -EAGAIN) {
		pr_warn("%s: cannot kick again: %s", e->vdev->vq[q].name,
			strerror(-ret));
	}
}

static int add_kick_fd(struct virtio_eventfd *e, unsigned int q)
{
	int fd = e->sys->eventfd(e->sys->ctx);
	int ret;

	if (fd < 0) {
		return fd;
	}
	ret = el_add(e->el, fd, EPOLLIN, kick_event, e);
	if (ret) {
		e->sys->close(e->sys->ctx, fd);
		return ret;
	}
	e->kick_fd[q] = fd;
	return 0;
}

/*
 * Before the vCPUs run: an eventfd per queue in @el's loop, and the
 * device's QueueNotify at @mmio_base + 0x50 handed to KVM from each
 * DRIVER_OK on. Returns 0, or -errno after one log line: the device then
 * takes its kicks on the vCPU thread. Call virtio_eventfd_close() either way.
 */
int virtio_eventfd_kicks(struct virtio_eventfd *e, struct eventloop *el,
			 u64 mmio_base)
{
	struct virtio_mmio *vdev = e->vdev;
	unsigned int q;
	int ret = 0;

	e->el = el;
	e->notify_addr = mmio_base + VIRTIO_MMIO_QUEUE_NOTIFY;
	for (q = 0; !ret && q < vdev->nr_queues; q++) {
		ret = add_kick_fd(e, q);
	}
	if (ret) {
		pr_warn("virtio device %u: no kick eventfd (%s); kicks stay on the vCPU thread",
			vdev->device_id, strerror(-ret));
		return ret;
	}
	pthread_mutex_lock(&vdev->lock);
	vdev->set_kicks = switch_kicks;
	vdev->rekick = rekick;
	vdev->kicks_opaque = e;
	pthread_mutex_unlock(&vdev->lock);
	return 0;
}

/* virtio_mmio's set_irq() on an edge-triggered SPI: pulse on a rise only. */
static void pulse_irq(void *opaque, bool level)
{
	struct virtio_eventfd *e = opaque;
	int ret;

	if (!level) {
		return;
	}
	ret = e->sys->eventfd_signal(e->sys->ctx, e->call_fd);
	if (ret && ret != -EAGAIN) {
		pr_warn("irqfd on SPI %u: %s", e->gsi, strerror(-ret));
	}
}

/*
 * Before the vCPUs run and after the GIC is initialised: the device's
 * interrupt, SPI @gsi, through a KVM irqfd. On success the SPI must be
 * edge triggered in the device tree. Returns 0, or -errno after one log
 * line: the device's set_irq() is then left as it was.
 */
int virtio_eventfd_irqfd(struct virtio_eventfd *e, u32 gsi)
{
	struct kvm_irqfd irqfd = { .gsi = gsi };
	int ret = e->sys->eventfd(e->sys->ctx);

	if (ret >= 0) {
		irqfd.fd = ret;
		e->call_fd = ret;
		ret = e->sys->ioctl(e->sys->ctx, e->vm_fd, KVM_IRQFD, &irqfd);
	}
	if (ret < 0) {
		pr_warn("KVM_IRQFD on SPI %u: %s; KVM_IRQ_LINE instead", gsi,
			strerror(-ret));
		if (e->call_fd >= 0) {
			e->sys->close(e->sys->ctx, e->call_fd);
			e->call_fd = -1;
		}
		return ret;
	}
	e->gsi = gsi;
	pthread_mutex_lock(&e->vdev->lock);
	e->vdev->set_irq = pulse_irq;
	e->vdev->irq_opaque = e;
	__atomic_store_n(&e->vdev->irq_edge, true, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&e->vdev->lock);
	return 0;
}

static void close_irqfd(struct virtio_eventfd *e)
{
	struct kvm_irqfd irqfd = {
		.fd = e->call_fd,
		.gsi = e->gsi,
		.flags = KVM_IRQFD_FLAG_DEASSIGN,
	};

	e->sys->ioctl(e->sys->ctx, e->vm_fd, KVM_IRQFD, &irqfd);
	e->sys->close(e->sys->ctx, e->call_fd);
	e->call_fd = -1;
}

/*
 * Once the vCPUs and the event loop have stopped: undo the above. The
 * device takes kicks only through QueueNotify, and raises no interrupt,
 * from now on.
 */
void virtio_eventfd_close(struct virtio_eventfd *e)
{
	struct virtio_mmio *vdev = e->vdev;
	unsigned int q;

	pthread_mutex_lock(&vdev->lock);
	if (vdev->set_kicks == switch_kicks) {
		switch_kicks(e, false);
		vdev->set_kicks = NULL;
		vdev->rekick = NULL;
	}
	if (vdev->set_irq == pulse_irq) {
		__atomic_store_n(&vdev->irq_edge, false, __ATOMIC_RELEASE);
		vdev->set_irq = NULL;
	}
	pthread_mutex_unlock(&vdev->lock);
	for (q = 0; q < VIRTIO_MAX_QUEUES; q++) {
		if (e->kick_fd[q] >= 0) {
			el_del(e->el, e->kick_fd[q]);
			e->sys->close(e->sys->ctx, e->kick_fd[q]);
			e->kick_fd[q] = -1;
		}
	}
	if (e->call_fd >= 0) {
		close_irqfd(e);
	}
}
