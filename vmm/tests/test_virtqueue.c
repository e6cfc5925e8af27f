// SPDX-License-Identifier: GPL-2.0
/*
 * Split-ring parsing: well-formed chains read as byte streams however they
 * are split, and malformed ones refused without touching memory outside
 * the window (AddressSanitizer is on for this binary).
 */
#include "kselftest_harness.h"

#include "fake_guest.h"
#include "log.h"
#include "virtqueue.h"

#define QSIZE 16

FIXTURE(vq) {
	struct fake_guest g;
	struct fake_ring r;
	struct virtqueue vq;
	struct vq_chain c;
};

FIXTURE_SETUP(vq)
{
	log_set_level(LOG_ERR);
	fg_init(&self->g);
	fg_ring_init(&self->g, &self->r, QSIZE);
	fg_vq_attach(&self->vq, &self->g.mem, &self->r);
	ASSERT_EQ(0, vq_enable(&self->vq));
}

FIXTURE_TEARDOWN(vq)
{
	fg_free(&self->g);
}

/* The chain was given back unused: used ring holds (head, 0). */
static bool returned_unused(struct fake_guest *g, struct fake_ring *r,
			    u16 head)
{
	u32 id, len;

	return fg_get_used(g, r, &id, &len) && id == head && len == 0;
}

TEST_F(vq, empty_queue)
{
	EXPECT_EQ(0, vq_pop(&self->vq, &self->c));
}

TEST_F(vq, one_readable_buffer)
{
	struct fg_buf b = { fg_put(&self->g, "hello", 5), 5, false };
	struct vq_cursor cur;
	char out[8] = { 0 };
	u16 head = fg_add_chain(&self->g, &self->r, &b, 1);

	ASSERT_EQ(1, vq_pop(&self->vq, &self->c));
	EXPECT_EQ(head, self->c.head);
	EXPECT_EQ(1U, self->c.nr_out);
	EXPECT_EQ(0U, self->c.nr_in);
	vq_cursor_out(&cur, &self->c);
	EXPECT_EQ(5U, vq_read(&cur, out, sizeof(out)));
	EXPECT_STREQ("hello", out);
	EXPECT_EQ(0, vq_pop(&self->vq, &self->c));
}

TEST_F(vq, stream_split_across_many_descriptors)
{
	static const char msg[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	struct fg_buf b[6];
	struct vq_cursor cur;
	char out[64] = { 0 };
	static const u32 cut[] = { 1, 3, 0, 7, 11, 14 };
	unsigned int i, off = 0;

	for (i = 0; i < 6; i++) {
		b[i].addr = fg_put(&self->g, msg + off, cut[i]);
		b[i].len = cut[i];
		b[i].write = false;
		off += cut[i];
	}
	ASSERT_EQ(strlen(msg), off);
	fg_add_chain(&self->g, &self->r, b, 6);
	ASSERT_EQ(1, vq_pop(&self->vq, &self->c));
	EXPECT_EQ(5U, self->c.nr_out);	/* the empty one is skipped */
	EXPECT_EQ(36U, self->c.out_len);
	vq_cursor_out(&cur, &self->c);
	/* Read in odd-sized pieces that straddle descriptor boundaries. */
	EXPECT_EQ(2U, vq_read(&cur, out, 2));
	EXPECT_EQ(9U, vq_read(&cur, out + 2, 9));
	EXPECT_EQ(25U, vq_left(&cur));
	EXPECT_EQ(25U, vq_read(&cur, out + 11, 40));
	EXPECT_STREQ(msg, out);
	EXPECT_EQ(0U, vq_read(&cur, out, 1));
}

/*
 * vq_iov() describes bytes in place, a piece per buffer, from mid-buffer
 * on, and stops at its @max pieces or the chain's end, advancing the
 * cursor by what it described.
 */
TEST_F(vq, iov_describes_in_place)
{
	struct fg_buf b[3] = {
		{ fg_put(&self->g, "head", 4), 4, false },
		{ fg_put(&self->g, "payload", 7), 7, false },
		{ fg_put(&self->g, "tail", 4), 4, false },
	};
	struct vq_cursor cur;
	struct iovec iov[3];
	char out[4];

	fg_add_chain(&self->g, &self->r, b, 3);
	ASSERT_EQ(1, vq_pop(&self->vq, &self->c));
	vq_cursor_out(&cur, &self->c);
	EXPECT_EQ(2U, vq_read(&cur, out, 2));
	ASSERT_EQ(3U, vq_iov(&cur, 11, iov, 3));
	EXPECT_EQ((u8 *)fg_hva(&self->g, b[0].addr) + 2, iov[0].iov_base);
	EXPECT_EQ(2U, iov[0].iov_len);
	EXPECT_EQ(fg_hva(&self->g, b[1].addr), iov[1].iov_base);
	EXPECT_EQ(7U, iov[1].iov_len);
	EXPECT_EQ(2U, iov[2].iov_len);
	EXPECT_EQ(2U, vq_left(&cur));
	/* Out of pieces: one of two buffers' worth, the cursor after it. */
	vq_cursor_out(&cur, &self->c);
	EXPECT_EQ(1U, vq_iov(&cur, 15, iov, 1));
	EXPECT_EQ(4U, iov[0].iov_len);
	EXPECT_EQ(11U, vq_left(&cur));
	/* Past the chain's end: what there is. */
	EXPECT_EQ(2U, vq_iov(&cur, 100, iov, 3));
	EXPECT_EQ(0U, vq_left(&cur));
}

TEST_F(vq, write_spans_writable_buffers_only)
{
	u64 in1 = fg_alloc(&self->g, 4), in2 = fg_alloc(&self->g, 4);
	struct fg_buf b[3] = {
		{ fg_put(&self->g, "req", 3), 3, false },
		{ in1, 4, true },
		{ in2, 4, true },
	};
	struct vq_cursor cur;

	fg_add_chain(&self->g, &self->r, b, 3);
	ASSERT_EQ(1, vq_pop(&self->vq, &self->c));
	EXPECT_EQ(1U, self->c.nr_out);
	EXPECT_EQ(2U, self->c.nr_in);
	vq_cursor_in(&cur, &self->c);
	EXPECT_EQ(8U, vq_write(&cur, "ABCDEFGHIJ", 10));	/* truncated */
	EXPECT_EQ(0, memcmp(fg_hva(&self->g, in1), "ABCD", 4));
	EXPECT_EQ(0, memcmp(fg_hva(&self->g, in2), "EFGH", 4));
}

TEST_F(vq, address_outside_ram)
{
	struct fg_buf b = { FG_RAM_BASE + FG_RAM_SIZE, 16, false };
	u16 head = fg_add_chain(&self->g, &self->r, &b, 1);

	EXPECT_EQ(-EINVAL, vq_pop(&self->vq, &self->c));
	EXPECT_TRUE(returned_unused(&self->g, &self->r, head));
}

TEST_F(vq, address_below_ram)
{
	struct fg_buf b = { FG_RAM_BASE - 8, 16, false };

	fg_add_chain(&self->g, &self->r, &b, 1);
	EXPECT_EQ(-EINVAL, vq_pop(&self->vq, &self->c));
}

TEST_F(vq, length_runs_past_end_of_ram)
{
	struct fg_buf b = { FG_RAM_BASE + FG_RAM_SIZE - 8, 9, true };

	fg_add_chain(&self->g, &self->r, &b, 1);
	EXPECT_EQ(-EINVAL, vq_pop(&self->vq, &self->c));
}

TEST_F(vq, address_plus_length_wraps)
{
	struct fg_buf b = { 0xfffffffffffffff0ULL, 0x20, false };

	fg_add_chain(&self->g, &self->r, &b, 1);
	EXPECT_EQ(-EINVAL, vq_pop(&self->vq, &self->c));
}

TEST_F(vq, huge_length)
{
	struct fg_buf b = { FG_RAM_BASE, 0xffffffffU, true };

	fg_add_chain(&self->g, &self->r, &b, 1);
	EXPECT_EQ(-EINVAL, vq_pop(&self->vq, &self->c));
}

TEST_F(vq, descriptor_loop)
{
	u64 a = fg_alloc(&self->g, 8);

	fg_set_desc(&self->g, &self->r, 0, a, 8, VRING_DESC_F_NEXT, 1);
	fg_set_desc(&self->g, &self->r, 1, a, 8, VRING_DESC_F_NEXT, 2);
	fg_set_desc(&self->g, &self->r, 2, a, 8, VRING_DESC_F_NEXT, 0);
	fg_publish(&self->g, &self->r, 0);
	EXPECT_EQ(-EINVAL, vq_pop(&self->vq, &self->c));
	EXPECT_TRUE(returned_unused(&self->g, &self->r, 0));
}

TEST_F(vq, self_loop_of_empty_descriptors)
{
	fg_set_desc(&self->g, &self->r, 3, 0, 0, VRING_DESC_F_NEXT, 3);
	fg_publish(&self->g, &self->r, 3);
	EXPECT_EQ(-EINVAL, vq_pop(&self->vq, &self->c));
}

TEST_F(vq, longest_chain_is_the_ring)
{
	struct fg_buf b[QSIZE];
	unsigned int i;

	for (i = 0; i < QSIZE; i++) {
		b[i].addr = fg_alloc(&self->g, 4);
		b[i].len = 4;
		b[i].write = false;
	}
	fg_add_chain(&self->g, &self->r, b, QSIZE);
	EXPECT_EQ(1, vq_pop(&self->vq, &self->c));
	EXPECT_EQ((unsigned int)QSIZE, self->c.nr_out);
}

TEST_F(vq, next_index_out_of_range)
{
	fg_set_desc(&self->g, &self->r, 0, fg_alloc(&self->g, 8), 8,
		    VRING_DESC_F_NEXT, QSIZE);
	fg_publish(&self->g, &self->r, 0);
	EXPECT_EQ(-EINVAL, vq_pop(&self->vq, &self->c));
}

TEST_F(vq, head_index_out_of_range)
{
	u32 id, len;

	fg_publish(&self->g, &self->r, QSIZE + 3);
	EXPECT_EQ(-EINVAL, vq_pop(&self->vq, &self->c));
	/* An invalid head cannot be returned: nothing is pushed. */
	EXPECT_FALSE(fg_get_used(&self->g, &self->r, &id, &len));
	EXPECT_EQ(0, vq_pop(&self->vq, &self->c));
}

TEST_F(vq, readable_after_writable)
{
	struct fg_buf b[2] = {
		{ fg_alloc(&self->g, 8), 8, true },
		{ fg_alloc(&self->g, 8), 8, false },
	};

	fg_add_chain(&self->g, &self->r, b, 2);
	EXPECT_EQ(-EINVAL, vq_pop(&self->vq, &self->c));
}

TEST_F(vq, indirect_not_negotiated)
{
	fg_set_desc(&self->g, &self->r, 0, fg_alloc(&self->g, 32), 32,
		    VRING_DESC_F_INDIRECT, 0);
	fg_publish(&self->g, &self->r, 0);
	EXPECT_EQ(-EINVAL, vq_pop(&self->vq, &self->c));
}

TEST_F(vq, bad_chain_does_not_block_the_next)
{
	struct fg_buf bad = { 0x1000, 8, false };
	struct fg_buf good = { fg_put(&self->g, "ok", 2), 2, false };

	fg_add_chain(&self->g, &self->r, &bad, 1);
	fg_add_chain(&self->g, &self->r, &good, 1);
	EXPECT_EQ(-EINVAL, vq_pop(&self->vq, &self->c));
	EXPECT_EQ(1, vq_pop(&self->vq, &self->c));
	EXPECT_EQ(2U, self->c.out_len);
}

TEST_F(vq, avail_index_jump_stops_queue)
{
	struct vring_avail *a = fg_hva(&self->g, self->r.avail);

	a->idx = htole16(QSIZE + 1);
	EXPECT_EQ(0, vq_pop(&self->vq, &self->c));
	EXPECT_TRUE(self->vq.broken);
}

TEST_F(vq, unpop_returns_same_chain)
{
	struct fg_buf b = { fg_put(&self->g, "x", 1), 1, false };
	u16 head = fg_add_chain(&self->g, &self->r, &b, 1);

	ASSERT_EQ(1, vq_pop(&self->vq, &self->c));
	vq_unpop(&self->vq);
	ASSERT_EQ(1, vq_pop(&self->vq, &self->c));
	EXPECT_EQ(head, self->c.head);
}

TEST_F(vq, push_fills_used_ring)
{
	struct fg_buf b = { fg_alloc(&self->g, 64), 64, true };
	u16 head = fg_add_chain(&self->g, &self->r, &b, 1);
	u32 id, len;

	ASSERT_EQ(1, vq_pop(&self->vq, &self->c));
	vq_push(&self->vq, self->c.head, 42);
	ASSERT_TRUE(fg_get_used(&self->g, &self->r, &id, &len));
	EXPECT_EQ(head, id);
	EXPECT_EQ(42U, len);
}

TEST_F(vq, interrupt_suppression)
{
	struct vring_avail *a = fg_hva(&self->g, self->r.avail);

	EXPECT_TRUE(vq_want_interrupt(&self->vq));
	a->flags = htole16(VRING_AVAIL_F_NO_INTERRUPT);
	EXPECT_FALSE(vq_want_interrupt(&self->vq));
}

TEST_F(vq, buffer_outside_shared_window)
{
	struct gmem window;
	struct fake_ring r2;
	struct virtqueue vq2;
	struct fg_buf in = { 0, 16, false }, out = { 0, 16, false };

	/* The "shared" window is the upper half of RAM. */
	ASSERT_EQ(0, gmem_sub(&self->g.mem, FG_RAM_BASE + FG_RAM_SIZE / 2,
			      FG_RAM_SIZE / 2, &window));
	self->g.next = FG_RAM_BASE + FG_RAM_SIZE / 2;
	fg_ring_init(&self->g, &r2, QSIZE);
	fg_vq_attach(&vq2, &window, &r2);
	ASSERT_EQ(0, vq_enable(&vq2));
	in.addr = fg_alloc(&self->g, 16);
	out.addr = FG_RAM_BASE + 0x1000;	/* guest-private memory */
	fg_add_chain(&self->g, &r2, &in, 1);
	fg_add_chain(&self->g, &r2, &out, 1);
	EXPECT_EQ(1, vq_pop(&vq2, &self->c));
	EXPECT_EQ(-EINVAL, vq_pop(&vq2, &self->c));
}

/* A vq_drain() handler that records each chain and answers from a script. */
struct drain_rec {
	unsigned int calls;
	u16 head[QSIZE];
	s64 answer[QSIZE];		/* what to return on each call */
};

static s64 rec_chain(struct vq_chain *chain, void *ctx)
{
	struct drain_rec *d = ctx;
	unsigned int i = d->calls++ % QSIZE;

	d->head[i] = chain->head;
	return d->answer[i];
}

/* The next used element is (@head, @len). */
static bool used_is(struct fake_guest *g, struct fake_ring *r, u16 head,
		    u32 len)
{
	u32 id, l;

	return fg_get_used(g, r, &id, &l) && id == head && l == len;
}

static u16 add_writable(struct fake_guest *g, struct fake_ring *r, u32 len)
{
	struct fg_buf b = { fg_alloc(g, len), len, true };

	return fg_add_chain(g, r, &b, 1);
}

TEST_F(vq, drain_of_empty_queue_serves_nothing)
{
	struct drain_rec d = { 0 };

	EXPECT_EQ(0U, vq_drain(&self->vq, rec_chain, &d));
	EXPECT_EQ(0U, d.calls);
}

TEST_F(vq, drain_serves_and_pushes_every_chain_in_order)
{
	struct drain_rec d = { .answer = { 5, 0, 16 } };
	u16 h[3];
	u32 id, len;
	unsigned int i;

	for (i = 0; i < 3; i++) {
		h[i] = add_writable(&self->g, &self->r, 16);
	}
	EXPECT_EQ(3U, vq_drain(&self->vq, rec_chain, &d));
	ASSERT_EQ(3U, d.calls);
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(h[i], d.head[i]);
		EXPECT_TRUE(used_is(&self->g, &self->r, h[i], d.answer[i]));
	}
	EXPECT_FALSE(fg_get_used(&self->g, &self->r, &id, &len));
	EXPECT_EQ(0, vq_pop(&self->vq, &self->c));
}

/* VQ_KEEP stops the drain and leaves that chain, and the rest, for later. */
TEST_F(vq, drain_keep_leaves_the_chain_available)
{
	struct drain_rec d = { .answer = { 7, VQ_KEEP } };
	u16 h[3];
	u32 id, len;
	unsigned int i;

	for (i = 0; i < 3; i++) {
		h[i] = add_writable(&self->g, &self->r, 16);
	}
	EXPECT_EQ(1U, vq_drain(&self->vq, rec_chain, &d));
	EXPECT_EQ(2U, d.calls);
	EXPECT_EQ(h[1], d.head[1]);
	EXPECT_TRUE(used_is(&self->g, &self->r, h[0], 7));
	EXPECT_FALSE(fg_get_used(&self->g, &self->r, &id, &len));
	/* The next drain starts again at the kept chain. */
	d.calls = 0;
	d.answer[0] = 1;
	d.answer[1] = 2;
	EXPECT_EQ(2U, vq_drain(&self->vq, rec_chain, &d));
	EXPECT_EQ(h[1], d.head[0]);
	EXPECT_TRUE(used_is(&self->g, &self->r, h[1], 1));
	EXPECT_TRUE(used_is(&self->g, &self->r, h[2], 2));
}

TEST_F(vq, drain_keep_at_once_uses_nothing)
{
	struct drain_rec d = { .answer = { VQ_KEEP } };
	u16 head = add_writable(&self->g, &self->r, 16);
	u32 id, len;

	EXPECT_EQ(0U, vq_drain(&self->vq, rec_chain, &d));
	EXPECT_EQ(1U, d.calls);
	EXPECT_FALSE(fg_get_used(&self->g, &self->r, &id, &len));
	ASSERT_EQ(1, vq_pop(&self->vq, &self->c));
	EXPECT_EQ(head, self->c.head);
}

/* A malformed chain goes back unused without the handler; it counts. */
TEST_F(vq, drain_gives_back_malformed_chains)
{
	struct fg_buf bad = { 0x1000, 8, true };
	struct drain_rec d = { .answer = { 3 } };
	u16 hbad, hgood;

	hbad = fg_add_chain(&self->g, &self->r, &bad, 1);
	hgood = add_writable(&self->g, &self->r, 8);
	EXPECT_EQ(2U, vq_drain(&self->vq, rec_chain, &d));
	ASSERT_EQ(1U, d.calls);
	EXPECT_EQ(hgood, d.head[0]);
	EXPECT_TRUE(used_is(&self->g, &self->r, hbad, 0));
	EXPECT_TRUE(used_is(&self->g, &self->r, hgood, 3));
}

/* A guest that makes each chain available again as soon as it is served. */
struct recycler {
	struct fake_guest *g;
	struct fake_ring *r;
	unsigned int calls;
	unsigned int stop_after;	/* republish this many times, or ~0 */
};

static s64 serve_and_republish(struct vq_chain *chain, void *ctx)
{
	struct recycler *rc = ctx;

	if (rc->calls++ < rc->stop_after) {
		fg_publish(rc->g, rc->r, chain->head);
	}
	return 0;
}

/* The used ring's flags, as the driver reads them. */
static u16 used_flags(struct fake_guest *g, struct fake_ring *r)
{
	const struct vring_used *u = fg_hva(g, r->used);

	return le16toh(u->flags);
}

/*
 * However fast the guest makes chains available, a drain returns after
 * VQ_DRAIN_BUDGET of them. It leaves kicks off, as none will come for the
 * chains it left, and the next drain takes up where it stopped.
 */
TEST_F(vq, drain_stops_at_its_budget)
{
	struct recycler rc = { &self->g, &self->r, 0, ~0U };

	add_writable(&self->g, &self->r, 16);
	EXPECT_EQ(VQ_DRAIN_BUDGET, vq_drain(&self->vq, serve_and_republish,
					    &rc));
	EXPECT_EQ(VQ_DRAIN_BUDGET, rc.calls);
	EXPECT_TRUE(self->vq.more);
	EXPECT_EQ(VRING_USED_F_NO_NOTIFY, used_flags(&self->g, &self->r));
	rc.stop_after = VQ_DRAIN_BUDGET + 9;
	EXPECT_EQ(10U, vq_drain(&self->vq, serve_and_republish, &rc));
	EXPECT_FALSE(self->vq.more);
	EXPECT_EQ(0, used_flags(&self->g, &self->r));
	EXPECT_EQ(0, vq_pop(&self->vq, &self->c));
}

/* A drain that empties the queue within its budget leaves nothing more. */
TEST_F(vq, drain_within_budget_is_complete)
{
	struct recycler rc = { &self->g, &self->r, 0, VQ_DRAIN_BUDGET - 1 };

	add_writable(&self->g, &self->r, 16);
	EXPECT_EQ(VQ_DRAIN_BUDGET, vq_drain(&self->vq, serve_and_republish,
					    &rc));
	EXPECT_FALSE(self->vq.more);
	EXPECT_EQ(0, used_flags(&self->g, &self->r));
}

/* An rx device: fill chains from a source until it runs dry, then keep. */
struct rx_src {
	const char *data;
	size_t len;
};

static s64 rx_fill(struct vq_chain *chain, void *ctx)
{
	struct rx_src *s = ctx;
	struct vq_cursor c;
	size_t n;

	if (!s->len) {
		return VQ_KEEP;
	}
	vq_cursor_in(&c, chain);
	n = vq_write(&c, s->data, s->len);
	s->data += n;
	s->len -= n;
	return n;
}

TEST_F(vq, drain_rx_stops_when_out_of_data)
{
	struct rx_src s = { "0123456789", 10 };
	struct fg_buf b[4];
	u16 h[4];
	u32 id, len;
	unsigned int i;

	for (i = 0; i < 4; i++) {
		b[i].addr = fg_alloc(&self->g, 4);
		b[i].len = 4;
		b[i].write = true;
		h[i] = fg_add_chain(&self->g, &self->r, &b[i], 1);
	}
	EXPECT_EQ(3U, vq_drain(&self->vq, rx_fill, &s));
	EXPECT_TRUE(used_is(&self->g, &self->r, h[0], 4));
	EXPECT_TRUE(used_is(&self->g, &self->r, h[1], 4));
	EXPECT_TRUE(used_is(&self->g, &self->r, h[2], 2));
	EXPECT_FALSE(fg_get_used(&self->g, &self->r, &id, &len));
	EXPECT_EQ(0, memcmp(fg_hva(&self->g, b[2].addr), "89", 2));
	/* More data: the chain kept last time takes it. */
	s.data = "abc";
	s.len = 3;
	EXPECT_EQ(1U, vq_drain(&self->vq, rx_fill, &s));
	EXPECT_TRUE(used_is(&self->g, &self->r, h[3], 3));
	EXPECT_EQ(0, memcmp(fg_hva(&self->g, b[3].addr), "abc", 3));
}

struct notify_rec {
	struct fake_guest *g;
	struct fake_ring *r;
	unsigned int calls, off_seen;
	bool add_one;		/* make one more chain available, once */
};

/* Serves a chain, noting whether notifications were off meanwhile. */
static s64 notify_chain(struct vq_chain *chain, void *ctx)
{
	struct notify_rec *n = ctx;

	(void)chain;
	n->calls++;
	if (used_flags(n->g, n->r) & VRING_USED_F_NO_NOTIFY) {
		n->off_seen++;
	}
	if (n->add_one) {
		n->add_one = false;
		add_writable(n->g, n->r, 8);
	}
	return 1;
}

/* No kicks wanted while draining; wanted again once the queue is empty. */
TEST_F(vq, drain_turns_notifications_off_meanwhile)
{
	struct notify_rec n = { &self->g, &self->r, 0, 0, true };

	add_writable(&self->g, &self->r, 8);
	add_writable(&self->g, &self->r, 8);
	EXPECT_EQ(3U, vq_drain(&self->vq, notify_chain, &n));
	EXPECT_EQ(3U, n.calls);
	EXPECT_EQ(3U, n.off_seen);
	EXPECT_EQ(0, used_flags(&self->g, &self->r) & VRING_USED_F_NO_NOTIFY);
}

/* An rx queue with buffers but no data wants no kicks for more buffers. */
TEST_F(vq, drain_keep_leaves_notifications_off)
{
	struct drain_rec d = { .answer = { 4, VQ_KEEP } };

	add_writable(&self->g, &self->r, 8);
	add_writable(&self->g, &self->r, 8);
	EXPECT_EQ(1U, vq_drain(&self->vq, rec_chain, &d));
	EXPECT_TRUE(used_flags(&self->g, &self->r) & VRING_USED_F_NO_NOTIFY);
	/* Data again: the kept chain is served, the queue empties, kicks on. */
	d.calls = 0;
	d.answer[0] = 2;
	EXPECT_EQ(1U, vq_drain(&self->vq, rec_chain, &d));
	EXPECT_EQ(0, used_flags(&self->g, &self->r) & VRING_USED_F_NO_NOTIFY);
}

TEST(enable_checks_ring)
{
	struct fake_guest g;
	struct fake_ring r;
	struct virtqueue vq;

	log_set_level(LOG_ERR);
	fg_init(&g);
	fg_ring_init(&g, &r, 8);
	fg_vq_attach(&vq, &g.mem, &r);
	vq.size = 12;			/* not a power of two */
	EXPECT_EQ(-EINVAL, vq_enable(&vq));
	vq.size = 512;			/* above QueueNumMax */
	EXPECT_EQ(-EINVAL, vq_enable(&vq));
	vq.size = 8;
	vq.desc_gpa = r.desc + 8;	/* misaligned */
	EXPECT_EQ(-EINVAL, vq_enable(&vq));
	vq.desc_gpa = FG_RAM_BASE + FG_RAM_SIZE - 64;	/* runs off RAM */
	EXPECT_EQ(-EINVAL, vq_enable(&vq));
	EXPECT_FALSE(vq.ready);
	vq.desc_gpa = r.desc;
	EXPECT_EQ(0, vq_enable(&vq));
	EXPECT_TRUE(vq.ready);
	fg_free(&g);
}

TEST(gmem_bounds)
{
	u8 buf[64];
	struct gmem m = { .gpa = 0x1000, .size = sizeof(buf), .hva = buf };

	EXPECT_EQ((void *)buf, gmem_ptr(&m, 0x1000, 64));
	EXPECT_EQ((void *)(buf + 63), gmem_ptr(&m, 0x103f, 1));
	EXPECT_NULL(gmem_ptr(&m, 0x103f, 2));
	EXPECT_NULL(gmem_ptr(&m, 0xfff, 1));
	EXPECT_NULL(gmem_ptr(&m, 0x1001, ~0ULL));
	EXPECT_NULL(gmem_ptr(&m, ~0ULL, 2));
}

TEST_HARNESS_MAIN
