// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-mmio version 2 register file.
 */
#include <endian.h>
#include <string.h>
#include <linux/virtio_config.h>
#include <linux/virtio_mmio.h>

#include "log.h"
#include "virtio_mmio.h"

#define VIRTIO_MMIO_MAGIC	0x74726976	/* "virt" */
#define VIRTIO_MMIO_VENDOR	0x4d4d5650	/* "PVMM" */

void virtio_mmio_init(struct virtio_mmio *vdev, u32 device_id,
		      u64 features, const struct gmem *mem,
		      unsigned int nr_queues, const char *const *qnames)
{
	unsigned int i;

	memset(vdev, 0, sizeof(*vdev));
	pthread_mutex_init(&vdev->lock, NULL);
	vdev->device_id = device_id;
	vdev->device_features = features | BIT_ULL(VIRTIO_F_VERSION_1);
	/*
	 * ACCESS_PLATFORM is offered only for protected VMs, where a driver
	 * that ignores it would put buffers in memory we cannot reach.
	 */
	vdev->required_features = vdev->device_features &
		(BIT_ULL(VIRTIO_F_VERSION_1) |
		 BIT_ULL(VIRTIO_F_ACCESS_PLATFORM));
	vdev->mem = *mem;
	vdev->nr_queues = nr_queues;
	for (i = 0; i < nr_queues; i++) {
		vq_init(&vdev->vq[i], &vdev->mem, qnames[i]);
	}
}

bool virtio_mmio_running(const struct virtio_mmio *vdev)
{
	return vdev->status & VIRTIO_CONFIG_S_DRIVER_OK;
}

/*
 * The status and the interrupt status are written with the lock held and
 * atomically, as InterruptStatus may be read without it (isr_access()).
 */
static void store_status(struct virtio_mmio *vdev, u32 status)
{
	__atomic_store_n(&vdev->status, status, __ATOMIC_RELAXED);
}

static void update_irq(struct virtio_mmio *vdev)
{
	if (vdev->set_irq) {
		vdev->set_irq(vdev->irq_opaque,
			      __atomic_load_n(&vdev->isr, __ATOMIC_SEQ_CST) != 0);
	}
}

/* Buffers were put in the used ring of queue @q: interrupt if wanted. */
void virtio_mmio_used(struct virtio_mmio *vdev, unsigned int q)
{
	if (!vq_want_interrupt(&vdev->vq[q])) {
		return;
	}
	__atomic_fetch_or(&vdev->isr, VIRTIO_MMIO_INT_VRING, __ATOMIC_SEQ_CST);
	if (vdev->irq_deferred) {
		vdev->irq_owed = true;
		return;
	}
	update_irq(vdev);
}

/*
 * Serve queue @q with vq_drain() and @fn, and interrupt the driver once for
 * each drain that put chains in the used ring (once for the whole kick,
 * when called from ops->notify()). A drain that stopped at its
 * budget is taken up again later, through rekick(), so that the thread can
 * serve others first; without rekick(), at once. Device lock held.
 */
void virtio_mmio_drain(struct virtio_mmio *vdev, unsigned int q,
		       vq_handler_t fn, void *ctx)
{
	struct virtqueue *vq = &vdev->vq[q];

	do {
		if (vq_drain(vq, fn, ctx)) {
			virtio_mmio_used(vdev, q);
		}
	} while (vq->more && !vdev->rekick);
	if (vq->more) {
		vdev->rekick(vdev->kicks_opaque, q);
	}
}

static void set_kicks(struct virtio_mmio *vdev, bool on)
{
	if (vdev->set_kicks) {
		vdev->set_kicks(vdev->kicks_opaque, on);
	}
}

static void device_reset(struct virtio_mmio *vdev)
{
	unsigned int i;

	set_kicks(vdev, false);
	if (vdev->ops && vdev->ops->reset) {
		vdev->ops->reset(vdev);
	}
	for (i = 0; i < vdev->nr_queues; i++) {
		vq_reset(&vdev->vq[i]);
	}
	vdev->driver_features = 0;
	vdev->device_features_sel = 0;
	vdev->driver_features_sel = 0;
	vdev->queue_sel = 0;
	store_status(vdev, 0);
	__atomic_store_n(&vdev->isr, 0, __ATOMIC_SEQ_CST);
	update_irq(vdev);
}

static struct virtqueue *cur_vq(struct virtio_mmio *vdev)
{
	if (vdev->queue_sel >= vdev->nr_queues) {
		return NULL;
	}
	return &vdev->vq[vdev->queue_sel];
}

static u32 read_features(const struct virtio_mmio *vdev)
{
	switch (vdev->device_features_sel) {
	case 0:
		return (u32)vdev->device_features;
	case 1:
		return (u32)(vdev->device_features >> 32);
	default:
		return 0;
	}
}

/* InterruptStatus, with or without the device lock held. */
static u32 read_isr(const struct virtio_mmio *vdev)
{
	u32 isr = __atomic_load_n(&vdev->isr, __ATOMIC_SEQ_CST);

	if (__atomic_load_n(&vdev->status, __ATOMIC_RELAXED) &
	    VIRTIO_CONFIG_S_DRIVER_OK) {
		isr |= vdev->isr_always;
	}
	return isr;
}

static u32 read_reg(struct virtio_mmio *vdev, u64 off)
{
	struct virtqueue *vq = cur_vq(vdev);

	switch (off) {
	case VIRTIO_MMIO_MAGIC_VALUE:
		return VIRTIO_MMIO_MAGIC;
	case VIRTIO_MMIO_VERSION:
		return 2;
	case VIRTIO_MMIO_DEVICE_ID:
		return vdev->device_id;
	case VIRTIO_MMIO_VENDOR_ID:
		return VIRTIO_MMIO_VENDOR;
	case VIRTIO_MMIO_DEVICE_FEATURES:
		return read_features(vdev);
	case VIRTIO_MMIO_QUEUE_NUM_MAX:
		return vq ? VQ_MAX_SIZE : 0;
	case VIRTIO_MMIO_QUEUE_READY:
		return vq ? vq->ready : 0;
	case VIRTIO_MMIO_INTERRUPT_STATUS:
		return read_isr(vdev);
	case VIRTIO_MMIO_STATUS:
		return vdev->status;
	case VIRTIO_MMIO_SHM_LEN_LOW:
	case VIRTIO_MMIO_SHM_LEN_HIGH:
		return 0xffffffff;	/* no shared memory regions */
	case VIRTIO_MMIO_CONFIG_GENERATION:
		return 0;
	default:
		return 0;
	}
}

/* Only while the driver negotiates, and only for the two defined words. */
static void write_features(struct virtio_mmio *vdev, u32 val)
{
	u32 sel = vdev->driver_features_sel;

	if (vdev->status & VIRTIO_CONFIG_S_FEATURES_OK || sel > 1) {
		return;
	}
	vdev->driver_features &= ~(0xffffffffULL << (32 * sel));
	vdev->driver_features |= (u64)val << (32 * sel);
}

/*
 * DRIVER_OK without FEATURES_OK is a driver bug; a device that cannot start
 * asks for a reset. Returns the status to store.
 */
static u32 driver_ok(struct virtio_mmio *vdev, u32 val)
{
	if (!(val & VIRTIO_CONFIG_S_FEATURES_OK)) {
		log_guest("device %u: DRIVER_OK without FEATURES_OK",
			  vdev->device_id);
		return val & ~VIRTIO_CONFIG_S_DRIVER_OK;
	}
	if (vdev->ops && vdev->ops->driver_ok && vdev->ops->driver_ok(vdev)) {
		store_status(vdev, vdev->status | VIRTIO_CONFIG_S_NEEDS_RESET);
		return val & ~VIRTIO_CONFIG_S_DRIVER_OK;
	}
	return val;
}

static void set_status(struct virtio_mmio *vdev, u32 val)
{
	u64 drv = vdev->driver_features;

	if (!val) {
		device_reset(vdev);
		return;
	}
	if ((val & VIRTIO_CONFIG_S_FEATURES_OK) &&
	    !(vdev->status & VIRTIO_CONFIG_S_FEATURES_OK)) {
		if ((drv & ~vdev->device_features) ||
		    (drv & vdev->required_features) !=
		    vdev->required_features) {
			log_guest("device %u: driver features 0x%llx refused",
				  vdev->device_id, drv);
			val &= ~VIRTIO_CONFIG_S_FEATURES_OK;
		}
	}
	if ((val & VIRTIO_CONFIG_S_DRIVER_OK) &&
	    !(vdev->status & VIRTIO_CONFIG_S_DRIVER_OK)) {
		val = driver_ok(vdev, val);
	}
	/* NEEDS_RESET stays until the driver resets the device. */
	store_status(vdev, val | (vdev->status & VIRTIO_CONFIG_S_NEEDS_RESET));
	if (virtio_mmio_running(vdev)) {
		set_kicks(vdev, true);
	}
}

static void set_addr(u64 *addr, bool high, u32 val)
{
	if (high) {
		*addr = (*addr & 0xffffffffULL) | ((u64)val << 32);
	} else {
		*addr = (*addr & ~0xffffffffULL) | val;
	}
}

/* Queue registers may only change while the queue is disabled. */
static void write_queue_reg(struct virtio_mmio *vdev, u64 off, u32 val)
{
	struct virtqueue *vq = cur_vq(vdev);

	if (!vq) {
		return;
	}
	if (off == VIRTIO_MMIO_QUEUE_READY) {
		if (!val) {
			vq->ready = false;
		} else if (!vq->ready && vq_enable(vq)) {
			store_status(vdev, vdev->status | VIRTIO_CONFIG_S_NEEDS_RESET);
		}
		return;
	}
	if (vq->ready) {
		log_guest("%s: setup write 0x%llx while ready", vq->name, off);
		return;
	}
	switch (off) {
	case VIRTIO_MMIO_QUEUE_NUM:
		vq->size = val > VQ_MAX_SIZE ? 0 : val;
		break;
	case VIRTIO_MMIO_QUEUE_DESC_LOW:
	case VIRTIO_MMIO_QUEUE_DESC_HIGH:
		set_addr(&vq->desc_gpa, off == VIRTIO_MMIO_QUEUE_DESC_HIGH, val);
		break;
	case VIRTIO_MMIO_QUEUE_AVAIL_LOW:
	case VIRTIO_MMIO_QUEUE_AVAIL_HIGH:
		set_addr(&vq->avail_gpa, off == VIRTIO_MMIO_QUEUE_AVAIL_HIGH,
			 val);
		break;
	case VIRTIO_MMIO_QUEUE_USED_LOW:
	case VIRTIO_MMIO_QUEUE_USED_HIGH:
		set_addr(&vq->used_gpa, off == VIRTIO_MMIO_QUEUE_USED_HIGH, val);
		break;
	}
}

static void notify(struct virtio_mmio *vdev, u32 q)
{
	if (q >= vdev->nr_queues || !vdev->vq[q].ready ||
	    !virtio_mmio_running(vdev)) {
		return;
	}
	if (!vdev->ops || !vdev->ops->notify) {
		return;
	}
	vdev->irq_deferred = true;
	vdev->ops->notify(vdev, q);
	vdev->irq_deferred = false;
	if (vdev->irq_owed) {
		vdev->irq_owed = false;
		update_irq(vdev);
	}
}

/*
 * The driver kicked queue @q by other means than a QueueNotify access (a
 * KVM ioeventfd, on the I/O thread): serve it as that write would be.
 */
void virtio_mmio_notify(struct virtio_mmio *vdev, unsigned int q)
{
	pthread_mutex_lock(&vdev->lock);
	notify(vdev, q);
	pthread_mutex_unlock(&vdev->lock);
}

static void write_reg(struct virtio_mmio *vdev, u64 off, u32 val)
{
	switch (off) {
	case VIRTIO_MMIO_DEVICE_FEATURES_SEL:
		vdev->device_features_sel = val;
		break;
	case VIRTIO_MMIO_DRIVER_FEATURES:
		write_features(vdev, val);
		break;
	case VIRTIO_MMIO_DRIVER_FEATURES_SEL:
		vdev->driver_features_sel = val;
		break;
	case VIRTIO_MMIO_QUEUE_SEL:
		vdev->queue_sel = val;
		break;
	case VIRTIO_MMIO_QUEUE_NOTIFY:
		notify(vdev, val);
		break;
	case VIRTIO_MMIO_INTERRUPT_ACK:
		__atomic_fetch_and(&vdev->isr, ~val, __ATOMIC_SEQ_CST);
		update_irq(vdev);
		break;
	case VIRTIO_MMIO_STATUS:
		set_status(vdev, val);
		break;
	default:
		write_queue_reg(vdev, off, val);
		break;
	}
}

/* Device configuration space: byte granular, read only here. */
static void config_access(struct virtio_mmio *vdev, u64 off, u8 *data,
			  u32 len, bool is_write)
{
	if (is_write) {
		return;
	}
	memset(data, 0, len);
	if (off >= vdev->config_len || len > vdev->config_len - off) {
		return;
	}
	memcpy(data, (const u8 *)vdev->config + off, len);
}

/*
 * InterruptStatus and InterruptACK when the interrupt is an edge
 * (irq_edge): an acknowledgment then changes no line, so neither needs
 * the device lock, and the driver's interrupt handler does not wait on
 * its vCPU thread while the I/O thread fills the rx queue it is about to
 * read. Returns whether it served the access.
 */
static bool isr_access(struct virtio_mmio *vdev, u64 off, u8 *data, u32 len,
		       bool is_write)
{
	u32 val;

	if (len != 4 || !__atomic_load_n(&vdev->irq_edge, __ATOMIC_ACQUIRE)) {
		return false;
	}
	if (!is_write && off == VIRTIO_MMIO_INTERRUPT_STATUS) {
		val = htole32(read_isr(vdev));
		memcpy(data, &val, 4);
		return true;
	}
	if (is_write && off == VIRTIO_MMIO_INTERRUPT_ACK) {
		memcpy(&val, data, 4);
		__atomic_fetch_and(&vdev->isr, ~le32toh(val), __ATOMIC_SEQ_CST);
		return true;
	}
	return false;
}

/* One guest access at offset @off of the device's MMIO window. */
void virtio_mmio_access(struct virtio_mmio *vdev, u64 off, u8 *data,
			u32 len, bool is_write)
{
	u32 val;

	if (isr_access(vdev, off, data, len, is_write)) {
		return;
	}
	pthread_mutex_lock(&vdev->lock);
	if (off >= VIRTIO_MMIO_CONFIG) {
		config_access(vdev, off - VIRTIO_MMIO_CONFIG, data, len,
			      is_write);
	} else if (len != 4 || !is_aligned(off, 4)) {
		log_guest("device %u: %u-byte access at 0x%llx ignored",
			  vdev->device_id, len, off);
		if (!is_write) {
			memset(data, 0, len);
		}
	} else if (is_write) {
		memcpy(&val, data, 4);
		write_reg(vdev, off, le32toh(val));
	} else {
		val = htole32(read_reg(vdev, off));
		memcpy(data, &val, 4);
	}
	pthread_mutex_unlock(&vdev->lock);
}

/* Adapter for the MMIO bus. */
void virtio_mmio_bus_access(void *opaque, u64 off, u8 *data, u32 len,
			    bool is_write)
{
	virtio_mmio_access(opaque, off, data, len, is_write);
}
