// SPDX-License-Identifier: GPL-2.0
/*
 * Writes a few well-formed fuzz inputs (see fuzz_input.h) so that a short
 * fuzzing run starts from live connections rather than from noise:
 *   seed-connect   REQUEST, then RW split over two descriptors
 *   seed-shutdown  REQUEST, RW, SHUTDOWN both ways
 *   seed-credit    REQUEST, CREDIT_REQUEST, host data flowing back
 * Usage: gen_seeds DIR
 */
#include <endian.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/virtio_ring.h>
#include <linux/vm_sockets.h>

#include "fuzz_input.h"
#include "vsock.h"

#define HDR	sizeof(struct virtio_vsock_hdr)

static u8 in[FZ_DATA + 4096];
static unsigned int nr_tx;
static u32 data_len;

static void put_le16(u8 *p, u16 v)
{
	v = htole16(v);
	memcpy(p, &v, 2);
}

static void set_desc(unsigned int table, unsigned int i, u64 addr, u32 len,
		     u16 flags, u16 next)
{
	struct vring_desc d = {
		.addr = htole64(addr), .len = htole32(len),
		.flags = htole16(flags), .next = htole16(next),
	};

	memcpy(in + table + i * sizeof(d), &d, sizeof(d));
}

/* Append a packet in the data area; its header and payload get a
 * descriptor each, chained.
 */
static void tx_pkt(u16 op, u32 flags, const char *payload)
{
	u32 len = payload ? strlen(payload) : 0;
	struct vsock_pkt p = {
		.src_cid = 3, .dst_cid = VMADDR_CID_HOST, .src_port = 1000,
		.dst_port = 80, .len = len, .type = VIRTIO_VSOCK_TYPE_STREAM,
		.op = op, .flags = flags, .buf_alloc = 4096,
	};
	u16 head = nr_tx;

	vsock_hdr_encode(&p, (struct virtio_vsock_hdr *)(in + FZ_DATA +
							 data_len));
	set_desc(FZ_TXD, nr_tx, data_len, HDR, len ? VRING_DESC_F_NEXT : 0,
		 nr_tx + 1);
	nr_tx++;
	data_len += HDR;
	if (len) {
		memcpy(in + FZ_DATA + data_len, payload, len);
		set_desc(FZ_TXD, nr_tx, data_len, len, 0, 0);
		nr_tx++;
		data_len += len;
	}
	put_le16(in + FZ_TXA + 4 + 2 * (head % FZ_QSIZE), head);
}

static void finish(const char *dir, const char *name, unsigned int avail)
{
	unsigned int i;
	char path[512];
	FILE *f;

	put_le16(in + FZ_TXA + 2, avail);
	for (i = 0; i < 4; i++) {
		set_desc(FZ_RXD, i, 0x4000 + i * 0x1000, 0x1000,
			 VRING_DESC_F_WRITE, 0);
		put_le16(in + FZ_RXA + 4 + 2 * i, i);
	}
	put_le16(in + FZ_RXA + 2, 4);
	memset(in + FZ_CTRL, 0x03, 4);		/* readable + writable */
	memset(in + FZ_CTRL + 4, 0xff, 4);	/* hosts take data */
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(in, FZ_DATA + data_len, 1, f) != 1) {
		perror(path);
	}
	if (f) {
		fclose(f);
	}
	memset(in, 0, sizeof(in));
	nr_tx = 0;
	data_len = 0;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_seeds DIR\n");
		return 2;
	}
	tx_pkt(VIRTIO_VSOCK_OP_REQUEST, 0, NULL);
	tx_pkt(VIRTIO_VSOCK_OP_RW, 0, "hello, host");
	finish(argv[1], "seed-connect", 2);
	tx_pkt(VIRTIO_VSOCK_OP_REQUEST, 0, NULL);
	tx_pkt(VIRTIO_VSOCK_OP_RW, 0, "bye");
	tx_pkt(VIRTIO_VSOCK_OP_SHUTDOWN, 3, NULL);
	finish(argv[1], "seed-shutdown", 3);
	tx_pkt(VIRTIO_VSOCK_OP_REQUEST, 0, NULL);
	tx_pkt(VIRTIO_VSOCK_OP_CREDIT_REQUEST, 0, NULL);
	tx_pkt(VIRTIO_VSOCK_OP_CREDIT_UPDATE, 0, NULL);
	finish(argv[1], "seed-credit", 3);
	return 0;
}
