// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-mmio transport: identification, feature negotiation, queue setup,
 * interrupts and reset, driven through the registers like a guest would.
 */
#include "kselftest_harness.h"

#include <linux/virtio_ids.h>

#include "fake_guest.h"
#include "log.h"
#include "virtio_mmio.h"

#define FEAT_V1		BIT_ULL(VIRTIO_F_VERSION_1)
#define FEAT_AP		BIT_ULL(VIRTIO_F_ACCESS_PLATFORM)

static const char *const qnames[2] = { "q0", "q1" };

struct irq_rec {
	int calls;
	bool level;
};

static void rec_irq(void *opaque, bool level)
{
	struct irq_rec *r = opaque;

	r->calls++;
	r->level = level;
}

static unsigned int notified = ~0U;

static void rec_notify(struct virtio_mmio *vdev, unsigned int q)
{
	(void)vdev;
	notified = q;
}

static const struct virtio_dev_ops rec_ops = { .notify = rec_notify };

FIXTURE(mmio) {
	struct fake_guest g;
	struct fake_ring r[2];
	struct virtio_mmio d;
	struct irq_rec irq;
	u64 cfg;
};

FIXTURE_SETUP(mmio)
{
	log_set_level(LOG_ERR);
	fg_init(&self->g);
	fg_ring_init(&self->g, &self->r[0], 8);
	fg_ring_init(&self->g, &self->r[1], 8);
	virtio_mmio_init(&self->d, VIRTIO_ID_VSOCK, 0, &self->g.mem, 2,
			 qnames);
	self->d.ops = &rec_ops;
	self->d.set_irq = rec_irq;
	self->d.irq_opaque = &self->irq;
	self->cfg = htole64(0x1122334455667788ULL);
	self->d.config = &self->cfg;
	self->d.config_len = sizeof(self->cfg);
	memset(&self->irq, 0, sizeof(self->irq));
}

FIXTURE_TEARDOWN(mmio)
{
	fg_free(&self->g);
}

TEST_F(mmio, identification)
{
	EXPECT_EQ(0x74726976U, fg_rd(&self->d, VIRTIO_MMIO_MAGIC_VALUE));
	EXPECT_EQ(2U, fg_rd(&self->d, VIRTIO_MMIO_VERSION));
	EXPECT_EQ((u32)VIRTIO_ID_VSOCK, fg_rd(&self->d,
					      VIRTIO_MMIO_DEVICE_ID));
	fg_wr(&self->d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	EXPECT_EQ(1U, fg_rd(&self->d, VIRTIO_MMIO_DEVICE_FEATURES));
	fg_wr(&self->d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	EXPECT_EQ(0U, fg_rd(&self->d, VIRTIO_MMIO_DEVICE_FEATURES));
}

TEST_F(mmio, bring_up)
{
	u32 st = fg_driver_init(&self->d, FEAT_V1, self->r, 2);

	EXPECT_TRUE(st & VIRTIO_CONFIG_S_DRIVER_OK);
	EXPECT_TRUE(st & VIRTIO_CONFIG_S_FEATURES_OK);
	EXPECT_TRUE(self->d.vq[0].ready);
	EXPECT_TRUE(self->d.vq[1].ready);
	EXPECT_EQ(1U, fg_rd(&self->d, VIRTIO_MMIO_QUEUE_READY));
	fg_wr(&self->d, VIRTIO_MMIO_QUEUE_NOTIFY, 1);
	EXPECT_EQ(1U, notified);
	notified = ~0U;
	fg_wr(&self->d, VIRTIO_MMIO_QUEUE_NOTIFY, 7);	/* no such queue */
	EXPECT_EQ(~0U, notified);
}

TEST_F(mmio, legacy_driver_refused)
{
	u32 st = fg_driver_init(&self->d, 0, self->r, 2);

	EXPECT_FALSE(st & VIRTIO_CONFIG_S_FEATURES_OK);
}

TEST_F(mmio, unknown_feature_refused)
{
	u32 st = fg_driver_init(&self->d, FEAT_V1 | (1ULL << 28), self->r,
				2);

	EXPECT_FALSE(st & VIRTIO_CONFIG_S_FEATURES_OK);
}

TEST_F(mmio, protected_needs_access_platform)
{
	struct virtio_mmio d;
	u32 st;

	virtio_mmio_init(&d, VIRTIO_ID_VSOCK, FEAT_AP, &self->g.mem, 2,
			 qnames);
	fg_wr(&d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	EXPECT_EQ(3U, fg_rd(&d, VIRTIO_MMIO_DEVICE_FEATURES));
	st = fg_driver_init(&d, FEAT_V1, self->r, 2);
	EXPECT_FALSE(st & VIRTIO_CONFIG_S_FEATURES_OK);
	st = fg_driver_init(&d, FEAT_V1 | FEAT_AP, self->r, 2);
	EXPECT_TRUE(st & VIRTIO_CONFIG_S_FEATURES_OK);
	EXPECT_EQ(FEAT_V1 | FEAT_AP, d.driver_features);
}

TEST_F(mmio, queue_num_max)
{
	fg_wr(&self->d, VIRTIO_MMIO_QUEUE_SEL, 1);
	EXPECT_EQ((u32)VQ_MAX_SIZE, fg_rd(&self->d, VIRTIO_MMIO_QUEUE_NUM_MAX));
	fg_wr(&self->d, VIRTIO_MMIO_QUEUE_SEL, 2);
	EXPECT_EQ(0U, fg_rd(&self->d, VIRTIO_MMIO_QUEUE_NUM_MAX));
}

TEST_F(mmio, bad_ring_address_not_ready)
{
	self->r[1].used = 0x1000;	/* not guest RAM */
	fg_driver_init(&self->d, FEAT_V1, self->r, 2);
	EXPECT_TRUE(self->d.vq[0].ready);
	EXPECT_FALSE(self->d.vq[1].ready);
	fg_wr(&self->d, VIRTIO_MMIO_QUEUE_SEL, 1);
	EXPECT_EQ(0U, fg_rd(&self->d, VIRTIO_MMIO_QUEUE_READY));
	EXPECT_TRUE(fg_rd(&self->d, VIRTIO_MMIO_STATUS) &
		    VIRTIO_CONFIG_S_NEEDS_RESET);
	/* Kicking a queue that is not ready does nothing. */
	notified = ~0U;
	fg_wr(&self->d, VIRTIO_MMIO_QUEUE_NOTIFY, 1);
	EXPECT_EQ(~0U, notified);
}

TEST_F(mmio, queue_regs_locked_while_ready)
{
	fg_driver_init(&self->d, FEAT_V1, self->r, 2);
	fg_wr(&self->d, VIRTIO_MMIO_QUEUE_SEL, 0);
	fg_wr(&self->d, VIRTIO_MMIO_QUEUE_DESC_LOW, 0x1000);
	EXPECT_EQ(self->r[0].desc, self->d.vq[0].desc_gpa);
}

TEST_F(mmio, interrupt_and_ack)
{
	fg_driver_init(&self->d, FEAT_V1, self->r, 2);
	virtio_mmio_used(&self->d, 0);
	EXPECT_TRUE(self->irq.level);
	EXPECT_EQ(1U, fg_rd(&self->d, VIRTIO_MMIO_INTERRUPT_STATUS));
	fg_wr(&self->d, VIRTIO_MMIO_INTERRUPT_ACK, 1);
	EXPECT_FALSE(self->irq.level);
	EXPECT_EQ(0U, fg_rd(&self->d, VIRTIO_MMIO_INTERRUPT_STATUS));
}

static s64 use_chain(struct vq_chain *chain, void *ctx)
{
	(void)chain;
	(void)ctx;
	return 0;
}

static s64 keep_chain(struct vq_chain *chain, void *ctx)
{
	(void)chain;
	(void)ctx;
	return VQ_KEEP;
}

static void add_chains(struct fake_guest *g, struct fake_ring *r,
		       unsigned int n)
{
	struct fg_buf b = { fg_alloc(g, 8), 8, false };

	while (n--) {
		fg_add_chain(g, r, &b, 1);
	}
}

/* However many chains a drain uses, the driver is interrupted once. */
TEST_F(mmio, drain_interrupts_once)
{
	fg_driver_init(&self->d, FEAT_V1, self->r, 2);
	self->irq.calls = 0;		/* the reset's */
	add_chains(&self->g, &self->r[1], 3);
	virtio_mmio_drain(&self->d, 1, use_chain, NULL);
	EXPECT_EQ(1, self->irq.calls);
	EXPECT_TRUE(self->irq.level);
	EXPECT_EQ(3U, self->d.vq[1].used_idx);
	fg_wr(&self->d, VIRTIO_MMIO_INTERRUPT_ACK, 1);
	EXPECT_FALSE(self->irq.level);
}

/* A device that serves both queues on any kick, as vsock does. */
static void drain_both(struct virtio_mmio *vdev, unsigned int q)
{
	(void)q;
	virtio_mmio_drain(vdev, 0, use_chain, NULL);
	virtio_mmio_drain(vdev, 1, use_chain, NULL);
}

static const struct virtio_dev_ops both_ops = { .notify = drain_both };

/*
 * A kick whose service puts chains in two used rings interrupts the driver
 * once, after both; a drain outside a kick still interrupts at once.
 */
TEST_F(mmio, kick_interrupts_once_for_all_queues)
{
	fg_driver_init(&self->d, FEAT_V1, self->r, 2);
	self->d.ops = &both_ops;
	add_chains(&self->g, &self->r[0], 2);
	add_chains(&self->g, &self->r[1], 3);
	self->irq.calls = 0;		/* the reset's */
	fg_wr(&self->d, VIRTIO_MMIO_QUEUE_NOTIFY, 1);
	EXPECT_EQ(2U, self->d.vq[0].used_idx);
	EXPECT_EQ(3U, self->d.vq[1].used_idx);
	EXPECT_EQ(1, self->irq.calls);
	EXPECT_TRUE(self->irq.level);
	EXPECT_EQ(1U, fg_rd(&self->d, VIRTIO_MMIO_INTERRUPT_STATUS));
	fg_wr(&self->d, VIRTIO_MMIO_INTERRUPT_ACK, 1);
	self->irq.calls = 0;
	fg_wr(&self->d, VIRTIO_MMIO_QUEUE_NOTIFY, 0);
	EXPECT_EQ(0, self->irq.calls);
	add_chains(&self->g, &self->r[1], 1);
	virtio_mmio_drain(&self->d, 1, use_chain, NULL);
	EXPECT_EQ(1, self->irq.calls);
}

TEST_F(mmio, drain_that_uses_nothing_does_not_interrupt)
{
	struct vring_avail *a = fg_hva(&self->g, self->r[0].avail);

	fg_driver_init(&self->d, FEAT_V1, self->r, 2);
	self->irq.calls = 0;		/* the reset's */
	virtio_mmio_drain(&self->d, 0, use_chain, NULL);
	add_chains(&self->g, &self->r[0], 2);
	virtio_mmio_drain(&self->d, 0, keep_chain, NULL);
	EXPECT_EQ(0, self->irq.calls);
	/* Nor does one whose driver asked for no interrupts. */
	a->flags = htole16(VRING_AVAIL_F_NO_INTERRUPT);
	virtio_mmio_drain(&self->d, 0, use_chain, NULL);
	EXPECT_EQ(2U, self->d.vq[0].used_idx);
	EXPECT_EQ(0, self->irq.calls);
}

/* Serves a chain, and makes another available until @left runs out. */
struct refill {
	struct fake_guest *g;
	struct fake_ring *r;
	unsigned int left;
};

static s64 use_and_refill(struct vq_chain *chain, void *ctx)
{
	struct refill *f = ctx;

	(void)chain;
	if (f->left) {
		f->left--;
		add_chains(f->g, f->r, 1);
	}
	return 0;
}

static unsigned int rekicked[2];

static void rec_rekick(void *opaque, unsigned int q)
{
	(void)opaque;
	rekicked[q]++;
}

/*
 * A drain that stops at its budget is taken up again through rekick(),
 * once per budget, and the driver is interrupted for each part.
 */
TEST_F(mmio, drain_past_budget_rekicks)
{
	struct refill f = { &self->g, &self->r[1], VQ_DRAIN_BUDGET };

	fg_driver_init(&self->d, FEAT_V1, self->r, 2);
	self->d.rekick = rec_rekick;
	memset(rekicked, 0, sizeof(rekicked));
	add_chains(&self->g, &self->r[1], 1);
	self->irq.calls = 0;
	virtio_mmio_drain(&self->d, 1, use_and_refill, &f);
	EXPECT_EQ(VQ_DRAIN_BUDGET, self->d.vq[1].used_idx);
	EXPECT_EQ(1U, rekicked[1]);
	EXPECT_EQ(0U, rekicked[0]);
	EXPECT_EQ(1, self->irq.calls);
	fg_wr(&self->d, VIRTIO_MMIO_INTERRUPT_ACK, 1);
	self->irq.calls = 0;
	virtio_mmio_drain(&self->d, 1, use_and_refill, &f);
	EXPECT_EQ(VQ_DRAIN_BUDGET + 1, self->d.vq[1].used_idx);
	EXPECT_EQ(1U, rekicked[1]);
	EXPECT_EQ(1, self->irq.calls);
	EXPECT_TRUE(self->irq.level);
}

/* Without rekick(), the drain goes on at once until the queue is empty. */
TEST_F(mmio, drain_past_budget_without_rekick_finishes)
{
	struct refill f = { &self->g, &self->r[1], 2 * VQ_DRAIN_BUDGET };

	fg_driver_init(&self->d, FEAT_V1, self->r, 2);
	add_chains(&self->g, &self->r[1], 1);
	self->irq.calls = 0;
	virtio_mmio_drain(&self->d, 1, use_and_refill, &f);
	EXPECT_EQ(2 * VQ_DRAIN_BUDGET + 1, self->d.vq[1].used_idx);
	EXPECT_FALSE(self->d.vq[1].more);
	EXPECT_EQ(3, self->irq.calls);
}

static int driver_ok_calls;
static int driver_ok_ret;

static int rec_driver_ok(struct virtio_mmio *vdev)
{
	(void)vdev;
	driver_ok_calls++;
	return driver_ok_ret;
}

static const struct virtio_dev_ops ok_ops = {
	.notify = rec_notify,
	.driver_ok = rec_driver_ok,
};

/* The device hears of DRIVER_OK once; if it cannot start, NEEDS_RESET. */
TEST_F(mmio, driver_ok_hook)
{
	u32 st;

	self->d.ops = &ok_ops;
	driver_ok_calls = 0;
	driver_ok_ret = 0;
	st = fg_driver_init(&self->d, FEAT_V1, self->r, 2);
	EXPECT_TRUE(st & VIRTIO_CONFIG_S_DRIVER_OK);
	EXPECT_EQ(1, driver_ok_calls);
	fg_wr(&self->d, VIRTIO_MMIO_STATUS, st);	/* again: no new call */
	EXPECT_EQ(1, driver_ok_calls);
	driver_ok_ret = -1;
	st = fg_driver_init(&self->d, FEAT_V1, self->r, 2);
	EXPECT_EQ(2, driver_ok_calls);
	EXPECT_FALSE(st & VIRTIO_CONFIG_S_DRIVER_OK);
	EXPECT_TRUE(st & VIRTIO_CONFIG_S_NEEDS_RESET);
	fg_wr(&self->d, VIRTIO_MMIO_QUEUE_NOTIFY, 1);
	EXPECT_EQ(~0U, notified);	/* not running: no notify */
	fg_wr(&self->d, VIRTIO_MMIO_STATUS, 0);
	EXPECT_EQ(0U, fg_rd(&self->d, VIRTIO_MMIO_STATUS));
}

/* DRIVER_OK without FEATURES_OK (a refused driver) does not start. */
TEST_F(mmio, driver_ok_needs_features_ok)
{
	self->d.ops = &ok_ops;
	driver_ok_calls = 0;
	driver_ok_ret = 0;
	fg_driver_init(&self->d, 0, self->r, 2);	/* no VERSION_1 */
	fg_wr(&self->d, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE |
	      VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_DRIVER_OK);
	EXPECT_FALSE(fg_rd(&self->d, VIRTIO_MMIO_STATUS) &
		     VIRTIO_CONFIG_S_DRIVER_OK);
	EXPECT_EQ(0, driver_ok_calls);
}

/* isr_always bits read as set while the driver runs, and only then. */
TEST_F(mmio, interrupt_status_always_bits)
{
	self->d.isr_always = 1;
	EXPECT_EQ(0U, fg_rd(&self->d, VIRTIO_MMIO_INTERRUPT_STATUS));
	fg_driver_init(&self->d, FEAT_V1, self->r, 2);
	EXPECT_EQ(1U, fg_rd(&self->d, VIRTIO_MMIO_INTERRUPT_STATUS));
	fg_wr(&self->d, VIRTIO_MMIO_INTERRUPT_ACK, 1);
	EXPECT_EQ(1U, fg_rd(&self->d, VIRTIO_MMIO_INTERRUPT_STATUS));
	EXPECT_FALSE(self->irq.level);
	fg_wr(&self->d, VIRTIO_MMIO_STATUS, 0);
	EXPECT_EQ(0U, fg_rd(&self->d, VIRTIO_MMIO_INTERRUPT_STATUS));
}

TEST_F(mmio, reset_clears_state)
{
	fg_driver_init(&self->d, FEAT_V1, self->r, 2);
	virtio_mmio_used(&self->d, 0);
	fg_wr(&self->d, VIRTIO_MMIO_STATUS, 0);
	EXPECT_EQ(0U, fg_rd(&self->d, VIRTIO_MMIO_STATUS));
	EXPECT_FALSE(self->d.vq[0].ready);
	EXPECT_EQ(0U, self->d.driver_features);
	EXPECT_FALSE(self->irq.level);
}

TEST_F(mmio, config_space)
{
	u8 b[8];
	u32 w;

	virtio_mmio_access(&self->d, 0x100, b, 8, false);
	EXPECT_EQ(0x88, b[0]);
	EXPECT_EQ(0x11, b[7]);
	virtio_mmio_access(&self->d, 0x104, (u8 *)&w, 4, false);
	EXPECT_EQ(0x11223344U, le32toh(w));
	memset(b, 0xff, sizeof(b));
	virtio_mmio_access(&self->d, 0x106, b, 4, false);	/* past end */
	EXPECT_EQ(0, b[0]);
}

TEST_F(mmio, odd_sized_register_access_ignored)
{
	u8 b[2] = { 0xff, 0xff };

	virtio_mmio_access(&self->d, VIRTIO_MMIO_MAGIC_VALUE, b, 2, false);
	EXPECT_EQ(0, b[0]);
	b[0] = 0;
	virtio_mmio_access(&self->d, VIRTIO_MMIO_STATUS, b, 1, true);
	virtio_mmio_access(&self->d, VIRTIO_MMIO_DEVICE_ID + 2, b, 2, false);
	EXPECT_EQ(0U, fg_rd(&self->d, VIRTIO_MMIO_STATUS));
}

TEST_HARNESS_MAIN
