// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: a hostile guest driving the virtio-vsock device, then
 * the virtio-blk device with the same rings.
 *
 * The input (see fuzz_input.h) becomes the guest's tx and rx rings and
 * the memory they point at, so the fuzzer writes descriptors, avail
 * indexes and packets directly. Rounds of queue kicks and host socket
 * events follow. The input also goes through the CONNECT line parser.
 * The block device's one queue gets the rx ring's place, over a small
 * image that a control bit makes read-only.
 * Built with ASan and UBSan: any access outside guest RAM aborts.
 */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/virtio_config.h>
#include <linux/virtio_mmio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "blk_dev.h"
#include "connect_line.h"
#include "fuzz_input.h"
#include "log.h"
#include "vsock_dev.h"

#define NR_HANDLES	8
#define ROUNDS		4
#define BLK_IMAGE_SIZE	(16 * 4096)

struct fuzz_host {
	const u8 *data;		/* what "host sockets" return */
	size_t len;
	size_t off;
	u32 room;		/* bytes send() takes per call */
	bool open[NR_HANDLES];
};

static struct fuzz_host host;

static int f_connect(void *opaque, u32 port)
{
	int h;

	(void)opaque;
	if (port % 7 == 3) {
		return -ECONNREFUSED;
	}
	for (h = 0; h < NR_HANDLES; h++) {
		if (!host.open[h]) {
			host.open[h] = true;
			return h;
		}
	}
	return -EMFILE;
}

static int f_established(void *opaque, int h, u32 port)
{
	(void)opaque;
	(void)port;
	return h == 5 ? -EIO : 0;
}

static long f_send(void *opaque, int h, const struct iovec *iov,
		   unsigned int nr)
{
	size_t len = 0;
	unsigned int i;

	(void)opaque;
	for (i = 0; i < nr; i++) {
		len += iov[i].iov_len;
	}
	if (h == 6) {
		return -EPIPE;
	}
	if (!host.room) {
		return -EAGAIN;
	}
	return len < host.room ? len : host.room;
}

static long f_recv(void *opaque, int h, void *buf, size_t len)
{
	size_t n = host.len - host.off;

	(void)opaque;
	if (h == 7) {
		return -ECONNRESET;
	}
	if (!n) {
		return h % 2 ? 0 : -EAGAIN;
	}
	n = n < len ? n : len;
	memcpy(buf, host.data + host.off, n);
	host.off += n;
	return n;
}

static void f_shutdown_wr(void *opaque, int h)
{
	(void)opaque;
	(void)h;
}

static void f_close(void *opaque, int h)
{
	(void)opaque;
	if (h >= 0 && h < NR_HANDLES) {
		host.open[h] = false;
	}
}

static const struct vsock_backend_ops fuzz_ops = {
	.connect = f_connect,
	.established = f_established,
	.send = f_send,
	.recv = f_recv,
	.shutdown_wr = f_shutdown_wr,
	.close = f_close,
};

static void wr(struct virtio_mmio *d, u64 off, u32 val)
{
	u32 v = htole32(val);

	virtio_mmio_access(d, off, (u8 *)&v, 4, true);
}

/* Queue q's rings live at offset q * 0x800 of guest RAM. */
static void setup_queue(struct virtio_mmio *d, unsigned int q)
{
	u64 base = FZ_RAM_BASE + q * 0x800ULL;

	wr(d, VIRTIO_MMIO_QUEUE_SEL, q);
	wr(d, VIRTIO_MMIO_QUEUE_NUM, FZ_QSIZE);
	wr(d, VIRTIO_MMIO_QUEUE_DESC_LOW, (u32)base);
	wr(d, VIRTIO_MMIO_QUEUE_AVAIL_LOW, (u32)(base + 0x100));
	wr(d, VIRTIO_MMIO_QUEUE_USED_LOW, (u32)(base + 0x200));
	wr(d, VIRTIO_MMIO_QUEUE_READY, 1);
}

static void bring_up(struct virtio_mmio *d, unsigned int nr_queues)
{
	unsigned int q;

	wr(d, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE |
	   VIRTIO_CONFIG_S_DRIVER);
	wr(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	wr(d, VIRTIO_MMIO_DRIVER_FEATURES, 1);
	wr(d, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE |
	   VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK);
	for (q = 0; q < nr_queues; q++) {
		setup_queue(d, q);
	}
	wr(d, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE |
	   VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK |
	   VIRTIO_CONFIG_S_DRIVER_OK);
}

/* The input, zero-padded to cover the fixed part. */
static const u8 *in_at(const u8 *in, size_t size, size_t off, size_t len)
{
	static u8 zero[FZ_DESC_LEN];

	return off + len <= size ? in + off : zero;
}

static void put_descs(u8 *ring, const u8 *src)
{
	struct vring_desc d;
	unsigned int i;
	u64 a;

	for (i = 0; i < FZ_QSIZE; i++) {
		memcpy(&d, src + i * sizeof(d), sizeof(d));
		a = le64toh(d.addr);
		if (a & FZ_RAW_ADDR) {
			a &= ~FZ_RAW_ADDR;
		} else {
			a = FZ_RAM_BASE + FZ_DATA_OFF +
			    a % (FZ_RAM_SIZE - FZ_DATA_OFF);
		}
		d.addr = htole64(a);
		memcpy(ring + i * sizeof(d), &d, sizeof(d));
	}
}

static void load_guest(u8 *ram, const u8 *in, size_t size)
{
	size_t n = size > FZ_DATA ? size - FZ_DATA : 0;

	put_descs(ram + 0x800 * VSOCK_VQ_TX,
		  in_at(in, size, FZ_TXD, FZ_DESC_LEN));
	memcpy(ram + 0x800 * VSOCK_VQ_TX + 0x100,
	       in_at(in, size, FZ_TXA, FZ_AVAIL_LEN), FZ_AVAIL_LEN);
	put_descs(ram + 0x800 * VSOCK_VQ_RX,
		  in_at(in, size, FZ_RXD, FZ_DESC_LEN));
	memcpy(ram + 0x800 * VSOCK_VQ_RX + 0x100,
	       in_at(in, size, FZ_RXA, FZ_AVAIL_LEN), FZ_AVAIL_LEN);
	if (n > FZ_RAM_SIZE - FZ_DATA_OFF) {
		n = FZ_RAM_SIZE - FZ_DATA_OFF;
	}
	memcpy(ram + FZ_DATA_OFF, in + FZ_DATA, n);
}

static void run_rounds(struct vsock_dev *d, u8 *ram, const u8 *ctl)
{
	struct vring_avail *tx_avail = (void *)(ram + 0x800 * VSOCK_VQ_TX +
						0x100);
	unsigned int r, h;
	u8 c;

	for (r = 0; r < ROUNDS; r++) {
		c = ctl[r];
		host.room = ctl[4 + r] * 64U;
		wr(&d->vdev, VIRTIO_MMIO_QUEUE_NOTIFY, VSOCK_VQ_TX);
		vsock_dev_lock(d);
		for (h = 0; h < NR_HANDLES; h++) {
			vsock_host_event(&d->vs, h, c & 1, c & 2);
		}
		if (c & 4) {
			vsock_host_connect(&d->vs, NR_HANDLES - 1 - r, c >> 3);
		}
		vsock_dev_pump(d);
		vsock_dev_unlock(d);
		wr(&d->vdev, VIRTIO_MMIO_QUEUE_NOTIFY, VSOCK_VQ_RX);
		/* More of the guest's tx ring becomes available. */
		tx_avail->idx = htole16(le16toh(tx_avail->idx) + (c >> 6));
	}
}

/* The same input as a block device's requests, on a fresh image. */
static void fuzz_blk(const u8 *data, size_t size, u8 *ram,
		     const struct gmem *mem)
{
	static struct blk_dev *b;
	static int fd = -1;
	const u8 *ctl = in_at(data, size, FZ_CTRL, 16);
	struct vring_avail *avail = (void *)(ram + 0x100);
	unsigned int r;

	if (!b) {
		b = calloc(1, sizeof(*b));
		fd = memfd_create("fuzz-blk", MFD_CLOEXEC);
	}
	if (!b || fd < 0 || ftruncate(fd, 0) ||
	    ftruncate(fd, BLK_IMAGE_SIZE)) {
		abort();
	}
	memset(ram, 0, FZ_RAM_SIZE);
	if (blk_dev_init(b, fd, ctl[15] & 1, "fuzz", 0, mem)) {
		abort();
	}
	bring_up(&b->vdev, BLK_VQ_NR);
	load_guest(ram, data, size);
	for (r = 0; r < ROUNDS; r++) {
		wr(&b->vdev, VIRTIO_MMIO_QUEUE_NOTIFY, BLK_VQ_REQUEST);
		avail->idx = htole16(le16toh(avail->idx) + (ctl[r] >> 6));
	}
}

static void fuzz_parser(const u8 *data, size_t size)
{
	size_t used;
	u32 port;

	if (connect_line_parse((const char *)data, size, &port, &used) ==
	    CONNECT_LINE_OK && (used > size || used > CONNECT_LINE_MAX)) {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct vsock_dev *d;
	static u8 *ram;
	const u8 *ctl = in_at(data, size, FZ_CTRL, 16);
	struct gmem mem = { .gpa = FZ_RAM_BASE, .size = FZ_RAM_SIZE };
	u32 val;

	if (!d) {
		log_set_level(LOG_ERR - 1);
		d = calloc(1, sizeof(*d));
		ram = aligned_alloc(4096, FZ_RAM_SIZE);
	}
	fuzz_parser(data, size);
	memset(&host, 0, sizeof(host));
	host.data = size > FZ_DATA ? data + FZ_DATA : data;
	host.len = size > FZ_DATA ? size - FZ_DATA : 0;
	mem.hva = ram;
	memset(ram, 0, FZ_RAM_SIZE);
	vsock_dev_init(d, 3, 0, &mem, &fuzz_ops, NULL);
	bring_up(&d->vdev, VSOCK_VQ_NR);
	load_guest(ram, data, size);
	if (ctl[8] & 1) {
		memcpy(&val, ctl + 9, 4);
		wr(&d->vdev, (ctl[8] >> 1) * 4U, le32toh(val));
	}
	run_rounds(d, ram, ctl);
	vsock_reset(&d->vs);
	fuzz_blk(data, size, ram, &mem);
	return 0;
}
