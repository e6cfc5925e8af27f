// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-vsock on vhost-vsock: pvmm sets vhost up and gets out of the way.
 */
#include <endian.h>
#include <errno.h>
#include <string.h>
#include <linux/kvm.h>
#include <linux/vhost.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_mmio.h>

#include "ioeventfd.h"
#include "log.h"
#include "vsock_vhost.h"

static struct vsock_vhost *to_vhost(struct virtio_mmio *vdev)
{
	return vdev->priv;
}

static int vh_ioctl(struct vsock_vhost *v, int fd, unsigned long req,
		    void *arg)
{
	return v->sys->ioctl(v->sys->ctx, fd, req, arg);
}

/* Kick vhost as the guest would through QueueNotify. */
static void kick(struct vsock_vhost *v, unsigned int q)
{
	int ret = v->sys->eventfd_signal(v->sys->ctx, v->kick_fd[q]);

	if (ret && ret != -EAGAIN) {
		pr_warn("vhost-vsock: cannot notify queue %u: %s", q,
			strerror(-ret));
	}
}

/* QueueNotify writes of @q signal kick_fd[q]. */
static struct ioeventfd kick_event(const struct vsock_vhost *v, unsigned int q)
{
	return ioeventfd_queue_notify(v->notify_addr, q, v->kick_fd[q]);
}

static int set_running(struct vsock_vhost *v, int on)
{
	int ret = vh_ioctl(v, v->vhost_fd, VHOST_VSOCK_SET_RUNNING, &on);

	if (ret) {
		pr_err("vhost-vsock: VHOST_VSOCK_SET_RUNNING %d: %s", on,
		       strerror(-ret));
		return ret;
	}
	v->running = on;
	return 0;
}

/* Hand one ready queue, as the driver laid it out, to vhost. */
static int setup_vring(struct vsock_vhost *v, unsigned int q)
{
	const struct virtqueue *vq = &v->vdev.vq[q];
	struct vhost_vring_state num = { .index = q, .num = vq->size };
	struct vhost_vring_state base = { .index = q, .num = 0 };
	struct vhost_vring_addr addr = {
		.index = q,
		.desc_user_addr = (unsigned long)vq->desc,
		.avail_user_addr = (unsigned long)vq->avail,
		.used_user_addr = (unsigned long)vq->used,
	};
	struct vhost_vring_file kfd = { .index = q, .fd = v->kick_fd[q] };
	struct vhost_vring_file cfd = { .index = q, .fd = v->call_fd };
	const struct {
		unsigned long req;
		void *arg;
		const char *name;
	} steps[] = {
		{ VHOST_SET_VRING_NUM, &num, "VHOST_SET_VRING_NUM" },
		{ VHOST_SET_VRING_BASE, &base, "VHOST_SET_VRING_BASE" },
		{ VHOST_SET_VRING_ADDR, &addr, "VHOST_SET_VRING_ADDR" },
		{ VHOST_SET_VRING_KICK, &kfd, "VHOST_SET_VRING_KICK" },
		{ VHOST_SET_VRING_CALL, &cfd, "VHOST_SET_VRING_CALL" },
	};
	unsigned int i;
	int ret;

	if (!vq->ready) {
		log_guest("vhost-vsock: DRIVER_OK with %s not ready", vq->name);
		return -EINVAL;
	}
	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		ret = vh_ioctl(v, v->vhost_fd, steps[i].req, steps[i].arg);
		if (ret) {
			pr_err("vhost-vsock: %s of %s: %s", steps[i].name,
			       vq->name, strerror(-ret));
			return ret;
		}
	}
	return 0;
}

/*
 * The driver is ready: features, then both rings, then start. Kicks the
 * driver made before this (which vhost saw without a backend) are replayed.
 */
static int vhost_driver_ok(struct virtio_mmio *vdev)
{
	struct vsock_vhost *v = to_vhost(vdev);
	u64 features = vdev->driver_features;
	unsigned int q;
	int ret;

	ret = vh_ioctl(v, v->vhost_fd, VHOST_SET_FEATURES, &features);
	if (ret) {
		pr_err("vhost-vsock: VHOST_SET_FEATURES 0x%llx: %s", features,
		       strerror(-ret));
		return ret;
	}
	for (q = 0; q < VSOCK_VHOST_NR_VQ; q++) {
		ret = setup_vring(v, q);
		if (ret) {
			return ret;
		}
	}
	ret = set_running(v, 1);
	if (ret) {
		return ret;
	}
	for (q = 0; q < VSOCK_VHOST_NR_VQ; q++) {
		kick(v, q);
	}
	return 0;
}

/*
 * QueueNotify writes for rx and tx normally never get here (the ioeventfd
 * takes them); pass on any that do. The event queue stays with pvmm, which
 * has no events to send.
 */
static void vhost_notify(struct virtio_mmio *vdev, unsigned int q)
{
	struct vsock_vhost *v = to_vhost(vdev);

	if (q < VSOCK_VHOST_NR_VQ && v->running) {
		kick(v, q);
	}
}

static void vhost_reset(struct virtio_mmio *vdev)
{
	struct vsock_vhost *v = to_vhost(vdev);

	if (v->running) {
		set_running(v, 0);
	}
}

static const struct virtio_dev_ops vsock_vhost_ops = {
	.notify = vhost_notify,
	.reset = vhost_reset,
	.driver_ok = vhost_driver_ok,
};

static const char *const vhost_qnames[3] = {
	"vsock-rx", "vsock-tx", "vsock-event",
};

void vsock_vhost_init(struct vsock_vhost *v, u64 guest_cid,
		      const struct gmem *mem, const struct sys_ops *sys)
{
	unsigned int q;

	memset(v, 0, sizeof(*v));
	/* Only VERSION_1, as for the user-space device. */
	virtio_mmio_init(&v->vdev, VIRTIO_ID_VSOCK, 0, mem,
			 ARRAY_SIZE(vhost_qnames), vhost_qnames);
	v->vdev.ops = &vsock_vhost_ops;
	v->vdev.priv = v;
	v->vdev.isr_always = VIRTIO_MMIO_INT_VRING;
	v->guest_cid = guest_cid;
	v->cfg.guest_cid = htole64(guest_cid);
	v->vdev.config = &v->cfg;
	v->vdev.config_len = sizeof(v->cfg);
	v->sys = sys;
	v->vhost_fd = -1;
	v->vm_fd = -1;
	v->call_fd = -1;
	for (q = 0; q < VSOCK_VHOST_NR_VQ; q++) {
		v->kick_fd[q] = -1;
	}
}

/* vhost's side: owner, features, guest memory and CID. */
static int open_vhost(struct vsock_vhost *v)
{
	const struct gmem *m = &v->vdev.mem;
	/* One region: the table's flexible array, in storage of its own. */
	union {
		struct vhost_memory hdr;
		u8 bytes[sizeof(struct vhost_memory) +
			 sizeof(struct vhost_memory_region)];
	} mem;
	u64 features, cid = v->guest_cid;
	int ret;

	memset(&mem, 0, sizeof(mem));
	mem.hdr.nregions = 1;
	mem.hdr.regions[0].guest_phys_addr = m->gpa;
	mem.hdr.regions[0].memory_size = m->size;
	mem.hdr.regions[0].userspace_addr = (unsigned long)m->hva;

	ret = vh_ioctl(v, v->vhost_fd, VHOST_SET_OWNER, NULL);
	if (ret) {
		pr_err("vhost-vsock: VHOST_SET_OWNER: %s", strerror(-ret));
		return ret;
	}
	ret = vh_ioctl(v, v->vhost_fd, VHOST_GET_FEATURES, &features);
	if (ret) {
		pr_err("vhost-vsock: VHOST_GET_FEATURES: %s", strerror(-ret));
		return ret;
	}
	if (~features & v->vdev.device_features) {
		pr_err("vhost-vsock: features 0x%llx lack VIRTIO_F_VERSION_1",
		       features);
		return -EOPNOTSUPP;
	}
	ret = vh_ioctl(v, v->vhost_fd, VHOST_SET_MEM_TABLE, &mem);
	if (ret) {
		pr_err("vhost-vsock: VHOST_SET_MEM_TABLE: %s", strerror(-ret));
		return ret;
	}
	ret = vh_ioctl(v, v->vhost_fd, VHOST_VSOCK_SET_GUEST_CID, &cid);
	if (ret == -EADDRINUSE) {
		pr_err("--vsock-cid %llu: already used by another VM on this host",
		       cid);
	} else if (ret) {
		pr_err("vhost-vsock: VHOST_VSOCK_SET_GUEST_CID %llu: %s", cid,
		       strerror(-ret));
	}
	return ret;
}

/* KVM's side: QueueNotify of queue q kicks kick_fd[q]; call_fd pulses the SPI. */
static int wire_kvm(struct vsock_vhost *v)
{
	struct kvm_irqfd irqfd = { .fd = v->call_fd, .gsi = v->gsi };
	struct ioeventfd ev;
	unsigned int q;
	int ret;

	for (q = 0; q < VSOCK_VHOST_NR_VQ; q++) {
		ev = kick_event(v, q);
		ret = ioeventfd_add(v->sys, v->vm_fd, &ev);
		if (ret) {
			pr_err("vhost-vsock: KVM_IOEVENTFD for queue %u: %s", q,
			       strerror(-ret));
			return ret;
		}
		v->ioeventfd[q] = true;
	}
	ret = vh_ioctl(v, v->vm_fd, KVM_IRQFD, &irqfd);
	if (ret) {
		pr_err("vhost-vsock: KVM_IRQFD on SPI %u: %s", v->gsi,
		       strerror(-ret));
		return ret;
	}
	v->irqfd = true;
	return 0;
}

static int new_eventfd(struct vsock_vhost *v, int *fd)
{
	int ret = v->sys->eventfd(v->sys->ctx);

	if (ret < 0) {
		pr_err("vhost-vsock: eventfd: %s", strerror(-ret));
		return ret;
	}
	*fd = ret;
	return 0;
}

/*
 * Take @vhost_fd (an open /dev/vhost-vsock, closed by vsock_vhost_close())
 * and connect it to the VM. The device sits at @mmio_base on SPI @gsi, which
 * must be edge triggered. Returns 0 or -errno after one log line; call
 * vsock_vhost_close() either way.
 */
int vsock_vhost_open(struct vsock_vhost *v, int vhost_fd, int vm_fd,
		     u64 mmio_base, u32 gsi)
{
	unsigned int q;
	int ret;

	v->vhost_fd = vhost_fd;
	v->vm_fd = vm_fd;
	v->notify_addr = mmio_base + VIRTIO_MMIO_QUEUE_NOTIFY;
	v->gsi = gsi;
	ret = open_vhost(v);
	for (q = 0; !ret && q < VSOCK_VHOST_NR_VQ; q++) {
		ret = new_eventfd(v, &v->kick_fd[q]);
	}
	if (!ret) {
		ret = new_eventfd(v, &v->call_fd);
	}
	if (!ret) {
		ret = wire_kvm(v);
	}
	return ret;
}

void vsock_vhost_close(struct vsock_vhost *v)
{
	struct kvm_irqfd irqfd = {
		.fd = v->call_fd,
		.gsi = v->gsi,
		.flags = KVM_IRQFD_FLAG_DEASSIGN,
	};
	struct ioeventfd ev;
	unsigned int q;

	pthread_mutex_lock(&v->vdev.lock);
	if (v->running) {
		set_running(v, 0);
	}
	pthread_mutex_unlock(&v->vdev.lock);
	if (v->vhost_fd >= 0) {
		v->sys->close(v->sys->ctx, v->vhost_fd);
		v->vhost_fd = -1;
	}
	if (v->irqfd) {
		vh_ioctl(v, v->vm_fd, KVM_IRQFD, &irqfd);
		v->irqfd = false;
	}
	for (q = 0; q < VSOCK_VHOST_NR_VQ; q++) {
		if (v->ioeventfd[q]) {
			ev = kick_event(v, q);
			ioeventfd_del(v->sys, v->vm_fd, &ev);
			v->ioeventfd[q] = false;
		}
		if (v->kick_fd[q] >= 0) {
			v->sys->close(v->sys->ctx, v->kick_fd[q]);
			v->kick_fd[q] = -1;
		}
	}
	if (v->call_fd >= 0) {
		v->sys->close(v->sys->ctx, v->call_fd);
		v->call_fd = -1;
	}
}
