/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The modern (version 2) virtio-mmio transport: the register file, feature
 * negotiation, queue setup and the interrupt status. Devices plug in with
 * a struct virtio_dev_ops.
 */
#ifndef PVMM_VIRTIO_MMIO_H
#define PVMM_VIRTIO_MMIO_H

#include <pthread.h>

#include "gmem.h"
#include "base.h"
#include "virtqueue.h"

#define VIRTIO_MMIO_SIZE	0x200
#define VIRTIO_MAX_QUEUES	3

struct virtio_mmio;

struct virtio_dev_ops {
	/* The driver kicked queue @q. Called with the device lock held. */
	void (*notify)(struct virtio_mmio *vdev, unsigned int q);
	/* The driver reset the device. Called with the device lock held. */
	void (*reset)(struct virtio_mmio *vdev);
	/*
	 * The driver set DRIVER_OK. Called with the device lock held; a
	 * non-zero return sets DEVICE_NEEDS_RESET instead.
	 */
	int (*driver_ok)(struct virtio_mmio *vdev);
};

/*
 * The device lock serialises everything below between the threads that
 * reach a device: the vCPU threads (register accesses, virtio_mmio_access())
 * and the I/O thread (host events, and queue notifications that KVM took
 * through an ioeventfd, virtio_mmio_notify()). Whatever a device does with
 * it held, it does for both. Lock order: a device's lock, then the event
 * loop's (el_add() and el_del() from a backend); never two device locks.
 */
struct virtio_mmio {
	pthread_mutex_t lock;
	u32 device_id;
	u64 device_features;
	u64 required_features;		/* FEATURES_OK fails without these */
	u64 driver_features;
	u32 device_features_sel;
	u32 driver_features_sel;
	u32 queue_sel;
	u32 status;
	u32 isr;			/* atomic: see isr_access() */
	/*
	 * InterruptStatus bits that read as set while the driver is running,
	 * whatever was acknowledged: for queues whose used-buffer interrupts
	 * bypass pvmm (vhost through an irqfd), the driver must always look.
	 */
	u32 isr_always;
	/*
	 * While a kick is served (ops->notify()), used buffers only owe the
	 * driver an interrupt, raised once when it returns: a kick that puts
	 * buffers in two queues' used rings interrupts once, not twice.
	 */
	bool irq_deferred;
	bool irq_owed;
	unsigned int nr_queues;
	struct virtqueue vq[VIRTIO_MAX_QUEUES];
	struct gmem mem;		/* what the device may touch */
	const void *config;
	u32 config_len;
	const struct virtio_dev_ops *ops;
	void *priv;
	void (*set_irq)(void *opaque, bool level);
	void *irq_opaque;
	/*
	 * set_irq() raises an edge (a pulse on each call with true) and
	 * acknowledging lowers no line: the driver's InterruptStatus reads
	 * and InterruptACK writes then take no lock. Set and cleared with
	 * set_irq(), while no vCPU runs.
	 */
	bool irq_edge;
	/*
	 * Called with true once the driver set DRIVER_OK, and with false when
	 * it resets the device: from then on until then, QueueNotify writes
	 * may reach the device through virtio_mmio_notify() instead of a
	 * register access (virtio_eventfd.h). Device lock held.
	 */
	void (*set_kicks)(void *opaque, bool on);
	/*
	 * Called when a drain of queue @q stopped at its budget: have
	 * virtio_mmio_notify(@q) called again soon, from the thread's loop,
	 * not from here. Device lock held.
	 */
	void (*rekick)(void *opaque, unsigned int q);
	void *kicks_opaque;
};

void virtio_mmio_init(struct virtio_mmio *vdev, u32 device_id,
		      u64 features, const struct gmem *mem,
		      unsigned int nr_queues, const char *const *qnames);
void virtio_mmio_access(struct virtio_mmio *vdev, u64 off, u8 *data,
			u32 len, bool is_write);
void virtio_mmio_bus_access(void *opaque, u64 off, u8 *data, u32 len,
			    bool is_write);
void virtio_mmio_notify(struct virtio_mmio *vdev, unsigned int q);
void virtio_mmio_used(struct virtio_mmio *vdev, unsigned int q);
void virtio_mmio_drain(struct virtio_mmio *vdev, unsigned int q,
		       vq_handler_t fn, void *ctx);
bool virtio_mmio_running(const struct virtio_mmio *vdev);

#endif /* PVMM_VIRTIO_MMIO_H */
