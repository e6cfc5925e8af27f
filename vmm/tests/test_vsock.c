// SPDX-License-Identifier: GPL-2.0
/*
 * vsock state machine: connection set-up both ways, data and credit,
 * shutdown and reset, limits and bad packets.
 */
#include "kselftest_harness.h"

#include <stddef.h>
#include <sys/socket.h>
#include <linux/vm_sockets.h>

#include "log.h"
#include "mock_backend.h"
#include "vsock.h"

#define CID	42
#define GPORT	5000		/* guest's port */
#define HPORT	1234		/* host port the guest connects to */

FIXTURE(vs) {
	struct mock *m;
	struct vsock v;
	struct vsock_pkt p;
	u8 payload[VSOCK_MAX_PAYLOAD];
};

FIXTURE_SETUP(vs)
{
	log_set_level(LOG_ERR);
	self->m = calloc(1, sizeof(*self->m));
	ASSERT_NE(NULL, self->m);
	self->m->refuse_port = 9;
	vsock_init(&self->v, CID, &mock_ops, self->m);
}

FIXTURE_TEARDOWN(vs)
{
	vsock_reset(&self->v);
	free(self->m);
}

static struct vsock_pkt gpkt(u16 op, u32 src_port, u32 dst_port, u32 len)
{
	struct vsock_pkt p = {
		.src_cid = CID,
		.dst_cid = VMADDR_CID_HOST,
		.src_port = src_port,
		.dst_port = dst_port,
		.len = len,
		.type = VIRTIO_VSOCK_TYPE_STREAM,
		.op = op,
		.buf_alloc = 64 * 1024,
		.fwd_cnt = 0,
	};

	return p;
}

static void send_op(struct vsock *v, u16 op, const void *data, u32 len)
{
	struct vsock_pkt p = gpkt(op, GPORT, HPORT, len);
	struct iovec iov = { (void *)data, len };

	vsock_guest_pkt(v, &p, &iov, data ? 1 : 0);
}

/* Guest connects to HPORT and takes the RESPONSE; returns the handle. */
static int connect_guest(struct vsock *v, struct vsock_pkt *p, u8 *buf)
{
	struct vsock_conn *c;

	send_op(v, VIRTIO_VSOCK_OP_REQUEST, NULL, 0);
	if (vsock_next_pkt(v, p, buf, VSOCK_MAX_PAYLOAD) != 0 ||
	    p->op != VIRTIO_VSOCK_OP_RESPONSE) {
		return -1;
	}
	c = vsock_find_handle(v, 0);
	return c ? c->handle : -1;
}

TEST(header_layout)
{
	struct virtio_vsock_hdr raw;
	struct vsock_pkt in = {
		.src_cid = 0x0102030405060708ULL, .dst_cid = 2,
		.src_port = 0x11223344, .dst_port = 7, .len = 99,
		.type = 1, .op = 5, .flags = 3, .buf_alloc = 0xaabbccdd,
		.fwd_cnt = 0x10203040,
	}, out;
	const u8 *b = (const u8 *)&raw;

	EXPECT_EQ(44U, sizeof(raw));
	vsock_hdr_encode(&in, &raw);
	/* little endian on the wire, at the spec's offsets */
	EXPECT_EQ(0x08, b[0]);
	EXPECT_EQ(0x01, b[7]);
	EXPECT_EQ(0x44, b[16]);
	EXPECT_EQ(99, b[24]);
	EXPECT_EQ(1, b[28]);
	EXPECT_EQ(5, b[30]);
	EXPECT_EQ(0xdd, b[36]);
	EXPECT_EQ(0x40, b[40]);
	/* Field by field: the structs' padding bytes are indeterminate. */
	vsock_hdr_decode(&raw, &out);
	EXPECT_EQ(in.src_cid, out.src_cid);
	EXPECT_EQ(in.dst_cid, out.dst_cid);
	EXPECT_EQ(in.src_port, out.src_port);
	EXPECT_EQ(in.dst_port, out.dst_port);
	EXPECT_EQ(in.len, out.len);
	EXPECT_EQ(in.type, out.type);
	EXPECT_EQ(in.op, out.op);
	EXPECT_EQ(in.flags, out.flags);
	EXPECT_EQ(in.buf_alloc, out.buf_alloc);
	EXPECT_EQ(in.fwd_cnt, out.fwd_cnt);
}

TEST_F(vs, guest_connect_gets_response)
{
	struct vsock_pkt *p = &self->p;

	send_op(&self->v, VIRTIO_VSOCK_OP_REQUEST, NULL, 0);
	EXPECT_EQ(1U, self->m->connects);
	EXPECT_EQ((u32)HPORT, self->m->s[0].port);
	ASSERT_EQ(0, vsock_next_pkt(&self->v, p, self->payload, 4096));
	EXPECT_EQ(VIRTIO_VSOCK_OP_RESPONSE, p->op);
	EXPECT_EQ((u64)VMADDR_CID_HOST, p->src_cid);
	EXPECT_EQ((u64)CID, p->dst_cid);
	EXPECT_EQ((u32)HPORT, p->src_port);
	EXPECT_EQ((u32)GPORT, p->dst_port);
	EXPECT_EQ(VIRTIO_VSOCK_TYPE_STREAM, p->type);
	EXPECT_EQ((u32)VSOCK_BUF_ALLOC, p->buf_alloc);
	EXPECT_EQ(-ENOENT, vsock_next_pkt(&self->v, p, self->payload, 4096));
}

TEST_F(vs, guest_connect_refused)
{
	struct vsock_pkt p = gpkt(VIRTIO_VSOCK_OP_REQUEST, GPORT, 9, 0);

	vsock_guest_pkt(&self->v, &p, NULL, 0);
	ASSERT_EQ(0, vsock_next_pkt(&self->v, &self->p, self->payload, 64));
	EXPECT_EQ(VIRTIO_VSOCK_OP_RST, self->p.op);
	EXPECT_EQ(9U, self->p.src_port);
	EXPECT_EQ((u32)GPORT, self->p.dst_port);
	EXPECT_EQ(0U, vsock_nr_conns(&self->v));
}

TEST_F(vs, guest_data_reaches_host)
{
	int h = connect_guest(&self->v, &self->p, self->payload);

	ASSERT_EQ(0, h);
	send_op(&self->v, VIRTIO_VSOCK_OP_RW, "hello", 5);
	send_op(&self->v, VIRTIO_VSOCK_OP_RW, " world", 6);
	EXPECT_EQ(11U, self->m->s[h].sent_len);
	EXPECT_EQ(0, memcmp(self->m->s[h].sent, "hello world", 11));
	EXPECT_EQ(11U, vsock_find_handle(&self->v, h)->fwd_cnt);
}

TEST_F(vs, slow_host_is_buffered_then_flushed)
{
	int h = connect_guest(&self->v, &self->p, self->payload);
	struct vsock_conn *c;
	static u8 data[VSOCK_MAX_PAYLOAD];
	unsigned int i;

	ASSERT_EQ(0, h);
	memset(data, 'x', sizeof(data));
	self->m->s[h].send_room = 1000;
	send_op(&self->v, VIRTIO_VSOCK_OP_RW, data, 3000);
	c = vsock_find_handle(&self->v, h);
	EXPECT_EQ(1000U, self->m->s[h].sent_len);
	EXPECT_EQ(1000U, c->fwd_cnt);
	EXPECT_EQ(2000U, c->buf_len);
	/* Order is kept: later data queues behind the buffered bytes. */
	self->m->s[h].send_room = MOCK_BUF;
	send_op(&self->v, VIRTIO_VSOCK_OP_RW, "END", 3);
	EXPECT_EQ(1000U, self->m->s[h].sent_len);
	vsock_host_event(&self->v, h, false, true);
	EXPECT_EQ(3003U, self->m->s[h].sent_len);
	EXPECT_EQ(0, memcmp(self->m->s[h].sent + 3000, "END", 3));
	EXPECT_EQ(0U, c->buf_len);
	/* Forwarding a quarter of our buffer earns the guest a credit update. */
	for (i = 0; i < 2; i++) {
		send_op(&self->v, VIRTIO_VSOCK_OP_RW, data, sizeof(data));
	}
	ASSERT_EQ(0, vsock_next_pkt(&self->v, &self->p, self->payload, 4096));
	EXPECT_EQ(VIRTIO_VSOCK_OP_CREDIT_UPDATE, self->p.op);
	EXPECT_EQ(c->fwd_cnt, self->p.fwd_cnt);
	EXPECT_EQ(3003U + 2 * sizeof(data), self->p.fwd_cnt);
}

/*
 * A payload in pieces that the host takes only part of: the rest, from
 * the middle of a piece on, is kept in order; here it wraps around the
 * ring's end, and the flush sends both parts in one call.
 */
TEST_F(vs, pieces_partly_sent_keep_their_order)
{
	int h = connect_guest(&self->v, &self->p, self->payload);
	struct vsock_pkt p = gpkt(VIRTIO_VSOCK_OP_RW, GPORT, HPORT, 9);
	struct iovec iov[3] = {
		{ "abc", 3 }, { "defg", 4 }, { "hi", 2 },
	};
	static u8 data[VSOCK_BUF_ALLOC - 3];
	struct mock_sock *s = &self->m->s[h];
	struct vsock_conn *c;

	ASSERT_EQ(0, h);
	c = vsock_find_handle(&self->v, h);
	/* Move the ring's head to 3 bytes before its end. */
	s->send_room = 0;
	send_op(&self->v, VIRTIO_VSOCK_OP_RW, data, sizeof(data));
	s->send_room = MOCK_BUF;
	vsock_host_event(&self->v, h, false, true);
	ASSERT_EQ(sizeof(data), s->sent_len);
	ASSERT_EQ(0U, c->buf_len);
	s->sent_len = 0;
	s->send_room = 5;
	vsock_guest_pkt(&self->v, &p, iov, 3);
	EXPECT_EQ(3U, s->last_pieces);
	EXPECT_EQ(5U, s->sent_len);
	EXPECT_EQ(4U, c->buf_len);
	s->send_room = MOCK_BUF;
	s->sends = 0;
	vsock_host_event(&self->v, h, false, true);
	EXPECT_EQ(1U, s->sends);
	EXPECT_EQ(2U, s->last_pieces);
	EXPECT_EQ(0U, c->buf_len);
	ASSERT_EQ(9U, s->sent_len);
	EXPECT_EQ(0, memcmp(s->sent, "abcdefghi", 9));
}

TEST_F(vs, guest_over_credit_is_reset)
{
	int h = connect_guest(&self->v, &self->p, self->payload);
	static u8 data[VSOCK_MAX_PAYLOAD];
	unsigned int i;

	ASSERT_EQ(0, h);
	self->m->s[h].send_room = 0;	/* host takes nothing */
	for (i = 0; i < VSOCK_BUF_ALLOC / sizeof(data); i++) {
		send_op(&self->v, VIRTIO_VSOCK_OP_RW, data, sizeof(data));
	}
	EXPECT_EQ(1U, vsock_nr_conns(&self->v));
	send_op(&self->v, VIRTIO_VSOCK_OP_RW, data, 1);
	EXPECT_EQ(0U, vsock_nr_conns(&self->v));
	EXPECT_FALSE(self->m->s[h].open);
	ASSERT_EQ(0, vsock_next_pkt(&self->v, &self->p, self->payload, 64));
	EXPECT_EQ(VIRTIO_VSOCK_OP_RST, self->p.op);
}

TEST_F(vs, host_data_respects_guest_credit)
{
	int h = connect_guest(&self->v, &self->p, self->payload);
	struct vsock_pkt p = gpkt(VIRTIO_VSOCK_OP_CREDIT_UPDATE, GPORT, HPORT,
				  0);
	static u8 data[300];

	ASSERT_EQ(0, h);
	memset(data, 'h', sizeof(data));
	p.buf_alloc = 100;
	vsock_guest_pkt(&self->v, &p, NULL, 0);
	mock_host_write(self->m, h, data, sizeof(data));
	/* Nothing until the backend says the socket is readable. */
	EXPECT_EQ(-ENOENT, vsock_next_pkt(&self->v, &self->p, self->payload,
					  4096));
	vsock_host_event(&self->v, h, true, false);
	EXPECT_EQ(100, vsock_next_pkt(&self->v, &self->p, self->payload,
				      4096));
	EXPECT_EQ(VIRTIO_VSOCK_OP_RW, self->p.op);
	EXPECT_EQ(100U, self->p.len);
	/* Out of credit. */
	EXPECT_EQ(-ENOENT, vsock_next_pkt(&self->v, &self->p, self->payload,
					  4096));
	/* Guest consumed 60 bytes: 60 more may go. */
	p.fwd_cnt = 60;
	vsock_guest_pkt(&self->v, &p, NULL, 0);
	EXPECT_EQ(60, vsock_next_pkt(&self->v, &self->p, self->payload, 4096));
	/* The rx buffer size also limits a packet. */
	p.fwd_cnt = 160;
	vsock_guest_pkt(&self->v, &p, NULL, 0);
	EXPECT_EQ(30, vsock_next_pkt(&self->v, &self->p, self->payload, 30));
}

/* Host data for the guest on handle @h: @len bytes of i * 7 + 1. */
static void host_pattern(struct mock *m, int h, u32 len)
{
	static u8 data[3 * VSOCK_STAGE];
	u32 i;

	for (i = 0; i < len; i++) {
		data[i] = (u8)(i * 7 + 1);
	}
	mock_host_write(m, h, data, len);
	m->s[h].recvs = 0;
}

/* Whether @buf holds @len bytes of host_pattern() from offset @off. */
static bool is_pattern(const u8 *buf, u32 off, u32 len)
{
	u32 i;

	for (i = 0; i < len; i++) {
		if (buf[i] != (u8)((off + i) * 7 + 1)) {
			return false;
		}
	}
	return true;
}

/* One recv() reads ahead for several 4 KiB rx buffers, in order. */
TEST_F(vs, host_data_read_ahead_for_small_buffers)
{
	int h = connect_guest(&self->v, &self->p, self->payload);
	u32 off = 0;
	int n;

	ASSERT_EQ(0, h);
	host_pattern(self->m, h, 20000);
	vsock_host_event(&self->v, h, true, false);
	while (off < 20000) {
		n = vsock_next_pkt(&self->v, &self->p, self->payload, 4096);
		ASSERT_EQ(n, (int)(20000 - off < 4096 ? 20000 - off : 4096));
		EXPECT_EQ(VIRTIO_VSOCK_OP_RW, self->p.op);
		EXPECT_EQ((u32)n, self->p.len);
		ASSERT_TRUE(is_pattern(self->payload, off, n));
		off += n;
	}
	EXPECT_EQ(1U, self->m->s[h].recvs);
	EXPECT_EQ(-ENOENT, vsock_next_pkt(&self->v, &self->p, self->payload,
					  4096));
	EXPECT_EQ(2U, self->m->s[h].recvs);
}

/* The read-ahead stops at the stage's size; the rest stays in the socket. */
TEST_F(vs, host_read_ahead_bounded_by_stage)
{
	int h = connect_guest(&self->v, &self->p, self->payload);
	struct vsock_pkt p = gpkt(VIRTIO_VSOCK_OP_CREDIT_UPDATE, GPORT, HPORT,
				  0);

	ASSERT_EQ(0, h);
	p.buf_alloc = 4 * VSOCK_STAGE;
	vsock_guest_pkt(&self->v, &p, NULL, 0);
	host_pattern(self->m, h, 2 * VSOCK_STAGE);
	vsock_host_event(&self->v, h, true, false);
	EXPECT_EQ(100, vsock_next_pkt(&self->v, &self->p, self->payload, 100));
	EXPECT_EQ((size_t)VSOCK_STAGE, self->m->s[h].recv_off);
	EXPECT_TRUE(is_pattern(self->payload, 0, 100));
}

/* An rx buffer as large as the stage is filled by a recv() of its own. */
TEST_F(vs, large_buffer_reads_directly)
{
	int h = connect_guest(&self->v, &self->p, self->payload);
	struct vsock_pkt p = gpkt(VIRTIO_VSOCK_OP_CREDIT_UPDATE, GPORT, HPORT,
				  0);
	static u8 big[VSOCK_STAGE];

	ASSERT_EQ(0, h);
	p.buf_alloc = 4 * VSOCK_STAGE;
	vsock_guest_pkt(&self->v, &p, NULL, 0);
	host_pattern(self->m, h, VSOCK_STAGE + 10);
	vsock_host_event(&self->v, h, true, false);
	EXPECT_EQ(VSOCK_STAGE, vsock_next_pkt(&self->v, &self->p, big,
					      VSOCK_STAGE));
	EXPECT_TRUE(is_pattern(big, 0, VSOCK_STAGE));
	EXPECT_EQ(1U, self->m->s[h].recvs);
	EXPECT_EQ(10, vsock_next_pkt(&self->v, &self->p, self->payload, 4096));
	EXPECT_TRUE(is_pattern(self->payload, VSOCK_STAGE, 10));
}

/* Data read ahead goes out before the EOF that follows it. */
TEST_F(vs, read_ahead_then_eof)
{
	int h = connect_guest(&self->v, &self->p, self->payload);

	ASSERT_EQ(0, h);
	host_pattern(self->m, h, 6000);
	self->m->s[h].eof = true;
	vsock_host_event(&self->v, h, true, false);
	EXPECT_EQ(4096, vsock_next_pkt(&self->v, &self->p, self->payload,
				       4096));
	EXPECT_EQ(1904, vsock_next_pkt(&self->v, &self->p, self->payload,
				       4096));
	EXPECT_TRUE(is_pattern(self->payload, 4096, 1904));
	ASSERT_EQ(0, vsock_next_pkt(&self->v, &self->p, self->payload, 4096));
	EXPECT_EQ(VIRTIO_VSOCK_OP_SHUTDOWN, self->p.op);
}

TEST_F(vs, host_eof_sends_shutdown)
{
	int h = connect_guest(&self->v, &self->p, self->payload);

	ASSERT_EQ(0, h);
	mock_host_write(self->m, h, "bye", 3);
	self->m->s[h].eof = true;
	vsock_host_event(&self->v, h, true, false);
	EXPECT_EQ(3, vsock_next_pkt(&self->v, &self->p, self->payload, 4096));
	EXPECT_EQ(0, memcmp(self->payload, "bye", 3));
	ASSERT_EQ(0, vsock_next_pkt(&self->v, &self->p, self->payload, 4096));
	EXPECT_EQ(VIRTIO_VSOCK_OP_SHUTDOWN, self->p.op);
	EXPECT_EQ((u32)VIRTIO_VSOCK_SHUTDOWN_SEND, self->p.flags);
	EXPECT_EQ(-ENOENT, vsock_next_pkt(&self->v, &self->p, self->payload,
					  4096));
}

TEST_F(vs, guest_shutdown_both_flushes_then_resets)
{
	int h = connect_guest(&self->v, &self->p, self->payload);
	struct vsock_pkt p = gpkt(VIRTIO_VSOCK_OP_SHUTDOWN, GPORT, HPORT, 0);

	ASSERT_EQ(0, h);
	self->m->s[h].send_room = 2;
	send_op(&self->v, VIRTIO_VSOCK_OP_RW, "abcd", 4);
	p.flags = VIRTIO_VSOCK_SHUTDOWN_RCV | VIRTIO_VSOCK_SHUTDOWN_SEND;
	vsock_guest_pkt(&self->v, &p, NULL, 0);
	/* Two bytes still owed to the host: the connection stays. */
	EXPECT_TRUE(self->m->s[h].open);
	EXPECT_EQ(-ENOENT, vsock_next_pkt(&self->v, &self->p, self->payload,
					  64));
	self->m->s[h].send_room = 100;
	vsock_host_event(&self->v, h, false, true);
	EXPECT_EQ(4U, self->m->s[h].sent_len);
	EXPECT_FALSE(self->m->s[h].open);
	ASSERT_EQ(0, vsock_next_pkt(&self->v, &self->p, self->payload, 64));
	EXPECT_EQ(VIRTIO_VSOCK_OP_RST, self->p.op);
	EXPECT_EQ(0U, vsock_nr_conns(&self->v));
}

TEST_F(vs, guest_shutdown_send_half_closes_host)
{
	int h = connect_guest(&self->v, &self->p, self->payload);
	struct vsock_pkt p = gpkt(VIRTIO_VSOCK_OP_SHUTDOWN, GPORT, HPORT, 0);

	ASSERT_EQ(0, h);
	p.flags = VIRTIO_VSOCK_SHUTDOWN_SEND;
	vsock_guest_pkt(&self->v, &p, NULL, 0);
	EXPECT_TRUE(self->m->s[h].shut_wr);
	EXPECT_TRUE(self->m->s[h].open);
	/* The guest still receives. */
	mock_host_write(self->m, h, "more", 4);
	vsock_host_event(&self->v, h, true, false);
	EXPECT_EQ(4, vsock_next_pkt(&self->v, &self->p, self->payload, 64));
	/* But may not send any more. */
	send_op(&self->v, VIRTIO_VSOCK_OP_RW, "x", 1);
	EXPECT_FALSE(self->m->s[h].open);
}

TEST_F(vs, guest_rst_closes_silently)
{
	int h = connect_guest(&self->v, &self->p, self->payload);

	ASSERT_EQ(0, h);
	send_op(&self->v, VIRTIO_VSOCK_OP_RST, NULL, 0);
	EXPECT_FALSE(self->m->s[h].open);
	EXPECT_EQ(-ENOENT, vsock_next_pkt(&self->v, &self->p, self->payload,
					  64));
}

TEST_F(vs, unknown_connection_gets_rst)
{
	send_op(&self->v, VIRTIO_VSOCK_OP_RW, "x", 1);
	ASSERT_EQ(0, vsock_next_pkt(&self->v, &self->p, self->payload, 64));
	EXPECT_EQ(VIRTIO_VSOCK_OP_RST, self->p.op);
	/* ... but an RST is never answered. */
	send_op(&self->v, VIRTIO_VSOCK_OP_RST, NULL, 0);
	EXPECT_EQ(-ENOENT, vsock_next_pkt(&self->v, &self->p, self->payload,
					  64));
	EXPECT_EQ(0U, self->m->connects);
}

TEST_F(vs, spoofed_cids_dropped)
{
	struct vsock_pkt p = gpkt(VIRTIO_VSOCK_OP_REQUEST, GPORT, HPORT, 0);

	p.src_cid = CID + 1;
	vsock_guest_pkt(&self->v, &p, NULL, 0);
	p.src_cid = CID;
	p.dst_cid = 3;
	vsock_guest_pkt(&self->v, &p, NULL, 0);
	EXPECT_EQ(0U, self->m->connects);
	EXPECT_EQ(-ENOENT, vsock_next_pkt(&self->v, &self->p, self->payload,
					  64));
}

TEST_F(vs, seqpacket_refused)
{
	struct vsock_pkt p = gpkt(VIRTIO_VSOCK_OP_REQUEST, GPORT, HPORT, 0);

	p.type = VIRTIO_VSOCK_TYPE_SEQPACKET;
	vsock_guest_pkt(&self->v, &p, NULL, 0);
	EXPECT_EQ(0U, self->m->connects);
	ASSERT_EQ(0, vsock_next_pkt(&self->v, &self->p, self->payload, 64));
	EXPECT_EQ(VIRTIO_VSOCK_OP_RST, self->p.op);
}

TEST_F(vs, unknown_op_resets)
{
	int h = connect_guest(&self->v, &self->p, self->payload);

	ASSERT_EQ(0, h);
	send_op(&self->v, 99, NULL, 0);
	EXPECT_FALSE(self->m->s[h].open);
	ASSERT_EQ(0, vsock_next_pkt(&self->v, &self->p, self->payload, 64));
	EXPECT_EQ(VIRTIO_VSOCK_OP_RST, self->p.op);
}

TEST_F(vs, second_request_on_live_connection_resets)
{
	int h = connect_guest(&self->v, &self->p, self->payload);

	ASSERT_EQ(0, h);
	send_op(&self->v, VIRTIO_VSOCK_OP_REQUEST, NULL, 0);
	EXPECT_FALSE(self->m->s[h].open);
	EXPECT_EQ(0U, vsock_nr_conns(&self->v));
}

TEST_F(vs, credit_request_answered)
{
	int h = connect_guest(&self->v, &self->p, self->payload);

	ASSERT_EQ(0, h);
	send_op(&self->v, VIRTIO_VSOCK_OP_RW, "abc", 3);
	send_op(&self->v, VIRTIO_VSOCK_OP_CREDIT_REQUEST, NULL, 0);
	ASSERT_EQ(0, vsock_next_pkt(&self->v, &self->p, self->payload, 64));
	EXPECT_EQ(VIRTIO_VSOCK_OP_CREDIT_UPDATE, self->p.op);
	EXPECT_EQ(3U, self->p.fwd_cnt);
	EXPECT_EQ((u32)VSOCK_BUF_ALLOC, self->p.buf_alloc);
}

TEST_F(vs, connection_limit)
{
	struct vsock_pkt p;
	unsigned int i;

	for (i = 0; i < VSOCK_MAX_CONNS; i++) {
		p = gpkt(VIRTIO_VSOCK_OP_REQUEST, GPORT + i, HPORT, 0);
		vsock_guest_pkt(&self->v, &p, NULL, 0);
	}
	EXPECT_EQ((unsigned int)VSOCK_MAX_CONNS, vsock_nr_conns(&self->v));
	p = gpkt(VIRTIO_VSOCK_OP_REQUEST, GPORT + i, HPORT, 0);
	vsock_guest_pkt(&self->v, &p, NULL, 0);
	EXPECT_EQ((unsigned int)VSOCK_MAX_CONNS, self->m->connects);
	EXPECT_EQ(-EBUSY, vsock_host_connect(&self->v, 70, 1));
	/* 64 RESPONSEs, then the RST for the refused one, in some order. */
	for (i = 0; i <= VSOCK_MAX_CONNS; i++) {
		ASSERT_EQ(0, vsock_next_pkt(&self->v, &self->p, self->payload,
					    64));
		if (self->p.op == VIRTIO_VSOCK_OP_RST) {
			EXPECT_EQ((u32)(GPORT + VSOCK_MAX_CONNS),
				  self->p.dst_port);
		}
	}
	EXPECT_EQ(-ENOENT, vsock_next_pkt(&self->v, &self->p, self->payload,
					  64));
}

TEST_F(vs, host_initiated_connect)
{
	struct vsock_pkt p;
	u32 local;

	ASSERT_EQ(0, vsock_host_connect(&self->v, 3, 52));
	self->m->s[3].open = true;
	ASSERT_EQ(0, vsock_next_pkt(&self->v, &self->p, self->payload, 64));
	EXPECT_EQ(VIRTIO_VSOCK_OP_REQUEST, self->p.op);
	EXPECT_EQ(52U, self->p.dst_port);
	EXPECT_GE(self->p.src_port, VSOCK_HOST_PORT_BASE);
	local = self->p.src_port;
	/* Data from the host waits for the RESPONSE. */
	mock_host_write(self->m, 3, "hi", 2);
	vsock_host_event(&self->v, 3, true, false);
	EXPECT_EQ(-ENOENT, vsock_next_pkt(&self->v, &self->p, self->payload,
					  64));
	p = gpkt(VIRTIO_VSOCK_OP_RESPONSE, 52, local, 0);
	vsock_guest_pkt(&self->v, &p, NULL, 0);
	EXPECT_EQ(local, self->m->s[3].established_port);
	EXPECT_EQ(2, vsock_next_pkt(&self->v, &self->p, self->payload, 64));
	EXPECT_EQ(0, memcmp(self->payload, "hi", 2));
}

TEST_F(vs, host_initiated_refused_by_guest)
{
	struct vsock_pkt p;

	ASSERT_EQ(0, vsock_host_connect(&self->v, 3, 52));
	self->m->s[3].open = true;
	ASSERT_EQ(0, vsock_next_pkt(&self->v, &self->p, self->payload, 64));
	p = gpkt(VIRTIO_VSOCK_OP_RST, 52, self->p.src_port, 0);
	vsock_guest_pkt(&self->v, &p, NULL, 0);
	EXPECT_FALSE(self->m->s[3].open);
	EXPECT_EQ(0U, self->m->s[3].established_port);
	EXPECT_EQ(0U, vsock_nr_conns(&self->v));
}

TEST_F(vs, host_ports_are_unique)
{
	u32 a, b;

	ASSERT_EQ(0, vsock_host_connect(&self->v, 1, 52));
	ASSERT_EQ(0, vsock_host_connect(&self->v, 2, 52));
	ASSERT_EQ(0, vsock_next_pkt(&self->v, &self->p, self->payload, 64));
	a = self->p.src_port;
	ASSERT_EQ(0, vsock_next_pkt(&self->v, &self->p, self->payload, 64));
	b = self->p.src_port;
	EXPECT_NE(a, b);
}

TEST_F(vs, host_error_resets)
{
	int h = connect_guest(&self->v, &self->p, self->payload);

	ASSERT_EQ(0, h);
	self->m->s[h].err = EPIPE;
	send_op(&self->v, VIRTIO_VSOCK_OP_RW, "x", 1);
	EXPECT_FALSE(self->m->s[h].open);
	ASSERT_EQ(0, vsock_next_pkt(&self->v, &self->p, self->payload, 64));
	EXPECT_EQ(VIRTIO_VSOCK_OP_RST, self->p.op);
}

TEST_F(vs, reset_closes_everything)
{
	ASSERT_EQ(0, connect_guest(&self->v, &self->p, self->payload));
	ASSERT_EQ(0, vsock_host_connect(&self->v, 5, 52));
	vsock_reset(&self->v);
	EXPECT_EQ(0U, vsock_nr_conns(&self->v));
	EXPECT_EQ(2U, self->m->closes);
}

TEST_HARNESS_MAIN
