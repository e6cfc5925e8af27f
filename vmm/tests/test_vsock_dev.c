// SPDX-License-Identifier: GPL-2.0
/*
 * The virtio-vsock device end to end over fake rings: packets split any
 * way across descriptors, and malformed chains dropped without harm.
 */
#include "kselftest_harness.h"

#include <sys/socket.h>
#include <linux/vm_sockets.h>

#include "fake_guest.h"
#include "log.h"
#include "mock_backend.h"
#include "vsock_dev.h"

#define CID	3
#define HDR	sizeof(struct virtio_vsock_hdr)

static int irq_raised;

static void count_irq(void *opaque, bool level)
{
	(void)opaque;
	irq_raised += level;
}

FIXTURE(dev) {
	struct fake_guest g;
	struct fake_ring r[VSOCK_VQ_NR];
	struct vsock_dev *d;
	struct mock *m;
};

FIXTURE_SETUP(dev)
{
	unsigned int i;

	log_set_level(LOG_ERR);
	fg_init(&self->g);
	for (i = 0; i < VSOCK_VQ_NR; i++) {
		fg_ring_init(&self->g, &self->r[i], 64);
	}
	self->m = calloc(1, sizeof(*self->m));
	self->d = calloc(1, sizeof(*self->d));
	vsock_dev_init(self->d, CID, 0, &self->g.mem, &mock_ops, self->m);
	self->d->vdev.set_irq = count_irq;
	irq_raised = 0;
	ASSERT_TRUE(fg_driver_init(&self->d->vdev,
				   BIT_ULL(VIRTIO_F_VERSION_1), self->r,
				   VSOCK_VQ_NR) & VIRTIO_CONFIG_S_DRIVER_OK);
}

FIXTURE_TEARDOWN(dev)
{
	vsock_reset(&self->d->vs);
	free(self->d);
	free(self->m);
	fg_free(&self->g);
}

static struct virtio_vsock_hdr hdr(u16 op, u32 len)
{
	struct vsock_pkt p = {
		.src_cid = CID, .dst_cid = VMADDR_CID_HOST,
		.src_port = 700, .dst_port = 80, .len = len,
		.type = VIRTIO_VSOCK_TYPE_STREAM, .op = op,
		.buf_alloc = 65536,
	};
	struct virtio_vsock_hdr raw;

	vsock_hdr_encode(&p, &raw);
	return raw;
}

static void kick(struct vsock_dev *d, unsigned int q)
{
	fg_wr(&d->vdev, VIRTIO_MMIO_QUEUE_NOTIFY, q);
}

/* Give the device one rx buffer of @len bytes; returns its address. */
static u64 add_rx(struct fake_guest *g, struct fake_ring *r, u32 len)
{
	struct fg_buf b = { fg_alloc(g, len), len, true };

	fg_add_chain(g, r, &b, 1);
	return b.addr;
}

/* The next used rx buffer decoded, or op 0 if none. */
static struct vsock_pkt rx_pkt(struct fake_guest *g, struct fake_ring *r,
			       u64 addr, u32 *used_len)
{
	struct vsock_pkt p = { 0 };
	u32 id;

	*used_len = 0;
	if (fg_get_used(g, r, &id, used_len) && *used_len >= HDR) {
		vsock_hdr_decode(fg_hva(g, addr), &p);
	}
	return p;
}

/* REQUEST with the header split 1 + 3 + 40 over three descriptors. */
TEST_F(dev, request_split_header_gets_response)
{
	struct virtio_vsock_hdr h = hdr(VIRTIO_VSOCK_OP_REQUEST, 0);
	const u8 *b = (const u8 *)&h;
	struct fg_buf tx[3] = {
		{ fg_put(&self->g, b, 1), 1, false },
		{ fg_put(&self->g, b + 1, 3), 3, false },
		{ fg_put(&self->g, b + 4, 40), 40, false },
	};
	u64 rx = add_rx(&self->g, &self->r[VSOCK_VQ_RX], 4096);
	struct vsock_pkt p;
	u32 len, id;

	fg_add_chain(&self->g, &self->r[VSOCK_VQ_TX], tx, 3);
	kick(self->d, VSOCK_VQ_TX);
	EXPECT_EQ(80U, self->m->s[0].port);
	ASSERT_TRUE(fg_get_used(&self->g, &self->r[VSOCK_VQ_TX], &id, &len));
	p = rx_pkt(&self->g, &self->r[VSOCK_VQ_RX], rx, &len);
	EXPECT_EQ(HDR, len);
	EXPECT_EQ(VIRTIO_VSOCK_OP_RESPONSE, p.op);
	EXPECT_EQ(700U, p.dst_port);
	EXPECT_EQ((u64)CID, p.dst_cid);
	EXPECT_GT(irq_raised, 0);
}

/* Connect guest port 700 to host port 80 (handle 0 in the mock). */
static void do_connect(struct fake_guest *g, struct fake_ring *r,
		       struct vsock_dev *d)
{
	struct virtio_vsock_hdr h = hdr(VIRTIO_VSOCK_OP_REQUEST, 0);
	struct fg_buf tx = { fg_put(g, &h, HDR), HDR, false };
	u32 id, len;

	add_rx(g, &r[VSOCK_VQ_RX], 4096);
	fg_add_chain(g, &r[VSOCK_VQ_TX], &tx, 1);
	kick(d, VSOCK_VQ_TX);
	fg_get_used(g, &r[VSOCK_VQ_TX], &id, &len);
	fg_get_used(g, &r[VSOCK_VQ_RX], &id, &len);
}

TEST_F(dev, data_in_same_descriptor_as_header)
{
	u8 pkt[HDR + 5];
	struct virtio_vsock_hdr h = hdr(VIRTIO_VSOCK_OP_RW, 5);
	struct fg_buf tx;

	do_connect(&self->g, self->r, self->d);
	memcpy(pkt, &h, HDR);
	memcpy(pkt + HDR, "hello", 5);
	tx.addr = fg_put(&self->g, pkt, sizeof(pkt));
	tx.len = sizeof(pkt);
	tx.write = false;
	fg_add_chain(&self->g, &self->r[VSOCK_VQ_TX], &tx, 1);
	kick(self->d, VSOCK_VQ_TX);
	EXPECT_EQ(5U, self->m->s[0].sent_len);
	EXPECT_EQ(0, memcmp(self->m->s[0].sent, "hello", 5));
}

TEST_F(dev, data_split_mid_header_and_payload)
{
	u8 pkt[HDR + 10];
	struct virtio_vsock_hdr h = hdr(VIRTIO_VSOCK_OP_RW, 10);
	struct fg_buf tx[3];

	do_connect(&self->g, self->r, self->d);
	memcpy(pkt, &h, HDR);
	memcpy(pkt + HDR, "0123456789", 10);
	tx[0] = (struct fg_buf){ fg_put(&self->g, pkt, 20), 20, false };
	tx[1] = (struct fg_buf){ fg_put(&self->g, pkt + 20, 30), 30, false };
	tx[2] = (struct fg_buf){ fg_put(&self->g, pkt + 50, 4), 4, false };
	fg_add_chain(&self->g, &self->r[VSOCK_VQ_TX], tx, 3);
	kick(self->d, VSOCK_VQ_TX);
	EXPECT_EQ(10U, self->m->s[0].sent_len);
	EXPECT_EQ(0, memcmp(self->m->s[0].sent, "0123456789", 10));
}

TEST_F(dev, len_beyond_chain_dropped)
{
	struct virtio_vsock_hdr h = hdr(VIRTIO_VSOCK_OP_RW, 1000);
	u8 pkt[HDR + 10];
	struct fg_buf tx = { 0, sizeof(pkt), false };
	u32 id, len = 99;

	do_connect(&self->g, self->r, self->d);
	memcpy(pkt, &h, HDR);
	tx.addr = fg_put(&self->g, pkt, sizeof(pkt));
	fg_add_chain(&self->g, &self->r[VSOCK_VQ_TX], &tx, 1);
	kick(self->d, VSOCK_VQ_TX);
	EXPECT_EQ(0U, self->m->s[0].sent_len);
	ASSERT_TRUE(fg_get_used(&self->g, &self->r[VSOCK_VQ_TX], &id, &len));
	EXPECT_EQ(0U, len);
	EXPECT_EQ(1U, vsock_nr_conns(&self->d->vs));
}

TEST_F(dev, short_header_dropped)
{
	struct fg_buf tx = { fg_alloc(&self->g, 20), 20, false };

	fg_add_chain(&self->g, &self->r[VSOCK_VQ_TX], &tx, 1);
	kick(self->d, VSOCK_VQ_TX);
	EXPECT_EQ(0U, self->m->connects);
}

TEST_F(dev, header_in_writable_descriptor_ignored)
{
	struct virtio_vsock_hdr h = hdr(VIRTIO_VSOCK_OP_REQUEST, 0);
	struct fg_buf tx = { fg_put(&self->g, &h, HDR), HDR, true };

	fg_add_chain(&self->g, &self->r[VSOCK_VQ_TX], &tx, 1);
	kick(self->d, VSOCK_VQ_TX);
	EXPECT_EQ(0U, self->m->connects);
}

TEST_F(dev, bad_descriptor_then_good_packet)
{
	struct virtio_vsock_hdr h = hdr(VIRTIO_VSOCK_OP_REQUEST, 0);
	struct fg_buf bad = { 0xdead0000ULL, HDR, false };
	struct fg_buf good = { fg_put(&self->g, &h, HDR), HDR, false };

	fg_add_chain(&self->g, &self->r[VSOCK_VQ_TX], &bad, 1);
	fg_add_chain(&self->g, &self->r[VSOCK_VQ_TX], &good, 1);
	kick(self->d, VSOCK_VQ_TX);
	EXPECT_EQ(1U, self->m->connects);
}

TEST_F(dev, tiny_rx_buffer_skipped)
{
	struct virtio_vsock_hdr h = hdr(VIRTIO_VSOCK_OP_REQUEST, 0);
	struct fg_buf tx = { fg_put(&self->g, &h, HDR), HDR, false };
	u64 big;
	u32 id, len;
	struct vsock_pkt p;

	add_rx(&self->g, &self->r[VSOCK_VQ_RX], 16);
	big = add_rx(&self->g, &self->r[VSOCK_VQ_RX], 4096);
	fg_add_chain(&self->g, &self->r[VSOCK_VQ_TX], &tx, 1);
	kick(self->d, VSOCK_VQ_TX);
	ASSERT_TRUE(fg_get_used(&self->g, &self->r[VSOCK_VQ_RX], &id, &len));
	EXPECT_EQ(0U, len);
	p = rx_pkt(&self->g, &self->r[VSOCK_VQ_RX], big, &len);
	EXPECT_EQ(VIRTIO_VSOCK_OP_RESPONSE, p.op);
}

TEST_F(dev, host_data_split_over_rx_descriptors)
{
	struct fg_buf rx[3];
	struct vsock_pkt p;
	struct vsock_conn *c;
	u8 out[HDR + 8];
	u32 id, len;

	do_connect(&self->g, self->r, self->d);
	c = vsock_find_handle(&self->d->vs, 0);
	ASSERT_NE(NULL, c);
	mock_host_write(self->m, 0, "ABCDEFGH", 8);
	rx[0] = (struct fg_buf){ fg_alloc(&self->g, 10), 10, true };
	rx[1] = (struct fg_buf){ fg_alloc(&self->g, 36), 36, true };
	rx[2] = (struct fg_buf){ fg_alloc(&self->g, 4), 4, true };
	fg_add_chain(&self->g, &self->r[VSOCK_VQ_RX], rx, 3);
	vsock_dev_lock(self->d);
	vsock_host_event(&self->d->vs, 0, true, false);
	vsock_dev_pump(self->d);
	vsock_dev_unlock(self->d);
	ASSERT_TRUE(fg_get_used(&self->g, &self->r[VSOCK_VQ_RX], &id, &len));
	/* 50 bytes of room: a 44-byte header and 6 bytes of payload. */
	EXPECT_EQ(50U, len);
	memcpy(out, fg_hva(&self->g, rx[0].addr), 10);
	memcpy(out + 10, fg_hva(&self->g, rx[1].addr), 36);
	memcpy(out + 46, fg_hva(&self->g, rx[2].addr), 4);
	vsock_hdr_decode((struct virtio_vsock_hdr *)out, &p);
	EXPECT_EQ(VIRTIO_VSOCK_OP_RW, p.op);
	EXPECT_EQ(6U, p.len);
	EXPECT_EQ(0, memcmp(out + HDR, "ABCDEF", 6));
}

/* Linux's layout: one rx buffer per chain, the payload after the header. */
TEST_F(dev, host_data_into_one_rx_buffer)
{
	struct fg_buf rx = { fg_alloc(&self->g, HDR + 64), HDR + 64, true };
	const u8 *out = fg_hva(&self->g, rx.addr);
	struct vsock_pkt p;
	u32 id, len;

	do_connect(&self->g, self->r, self->d);
	mock_host_write(self->m, 0, "ABCDEFGH", 8);
	fg_add_chain(&self->g, &self->r[VSOCK_VQ_RX], &rx, 1);
	vsock_dev_lock(self->d);
	vsock_host_event(&self->d->vs, 0, true, false);
	vsock_dev_pump(self->d);
	vsock_dev_unlock(self->d);
	ASSERT_TRUE(fg_get_used(&self->g, &self->r[VSOCK_VQ_RX], &id, &len));
	EXPECT_EQ(HDR + 8, len);
	vsock_hdr_decode((const struct virtio_vsock_hdr *)out, &p);
	EXPECT_EQ(VIRTIO_VSOCK_OP_RW, p.op);
	EXPECT_EQ(8U, p.len);
	EXPECT_EQ(0, memcmp(out + HDR, "ABCDEFGH", 8));
}

/* And on tx: the header, then the payload in a descriptor of its own. */
TEST_F(dev, payload_in_its_own_descriptor)
{
	struct virtio_vsock_hdr h = hdr(VIRTIO_VSOCK_OP_RW, 5);
	struct fg_buf tx[2] = {
		{ fg_put(&self->g, &h, HDR), HDR, false },
		{ fg_put(&self->g, "world", 5), 5, false },
	};

	do_connect(&self->g, self->r, self->d);
	fg_add_chain(&self->g, &self->r[VSOCK_VQ_TX], tx, 2);
	kick(self->d, VSOCK_VQ_TX);
	EXPECT_EQ(5U, self->m->s[0].sent_len);
	EXPECT_EQ(0, memcmp(self->m->s[0].sent, "world", 5));
}

/*
 * A payload split over descriptors, as Linux splits one of more than
 * 32 KiB into pages, goes to the host in those pieces, not gathered first.
 */
TEST_F(dev, payload_pieces_forwarded_in_place)
{
	struct virtio_vsock_hdr h = hdr(VIRTIO_VSOCK_OP_RW, 9);
	struct fg_buf tx[4] = {
		{ fg_put(&self->g, &h, HDR), HDR, false },
		{ fg_put(&self->g, "one", 3), 3, false },
		{ fg_put(&self->g, "two", 3), 3, false },
		{ fg_put(&self->g, "six", 3), 3, false },
	};

	do_connect(&self->g, self->r, self->d);
	fg_add_chain(&self->g, &self->r[VSOCK_VQ_TX], tx, 4);
	kick(self->d, VSOCK_VQ_TX);
	EXPECT_EQ(9U, self->m->s[0].sent_len);
	EXPECT_EQ(0, memcmp(self->m->s[0].sent, "onetwosix", 9));
	EXPECT_EQ(1U, self->m->s[0].sends);
	EXPECT_EQ(3U, self->m->s[0].last_pieces);
}

/* More pieces than VSOCK_TX_PIECES are gathered, and arrive whole. */
TEST_F(dev, payload_in_too_many_pieces_gathered)
{
	const unsigned int nr = VSOCK_TX_PIECES + 8;
	struct virtio_vsock_hdr h = hdr(VIRTIO_VSOCK_OP_RW, nr);
	struct fg_buf tx[VSOCK_TX_PIECES + 9];
	u8 want[VSOCK_TX_PIECES + 8];
	unsigned int i;

	do_connect(&self->g, self->r, self->d);
	tx[0] = (struct fg_buf){ fg_put(&self->g, &h, HDR), HDR, false };
	for (i = 0; i < nr; i++) {
		want[i] = 'a' + i % 26;
		tx[i + 1] = (struct fg_buf){ fg_put(&self->g, &want[i], 1), 1,
					     false };
	}
	fg_add_chain(&self->g, &self->r[VSOCK_VQ_TX], tx, nr + 1);
	kick(self->d, VSOCK_VQ_TX);
	ASSERT_EQ(nr, self->m->s[0].sent_len);
	EXPECT_EQ(0, memcmp(self->m->s[0].sent, want, nr));
	EXPECT_EQ(1U, self->m->s[0].last_pieces);
}

TEST_F(dev, reset_closes_connections)
{
	do_connect(&self->g, self->r, self->d);
	EXPECT_EQ(1U, vsock_nr_conns(&self->d->vs));
	fg_wr(&self->d->vdev, VIRTIO_MMIO_STATUS, 0);
	EXPECT_EQ(0U, vsock_nr_conns(&self->d->vs));
	EXPECT_FALSE(self->m->s[0].open);
}

TEST_F(dev, config_has_guest_cid)
{
	u8 b[8];
	u64 cid;

	virtio_mmio_access(&self->d->vdev, 0x100, b, 8, false);
	memcpy(&cid, b, 8);
	EXPECT_EQ((u64)CID, le64toh(cid));
}

TEST_HARNESS_MAIN
