// SPDX-License-Identifier: GPL-2.0
/*
 * The vhost-vsock backend with its system calls recorded: what pvmm tells
 * vhost and KVM, in which order, on open, DRIVER_OK, reset and close, and
 * what the guest reads from InterruptStatus meanwhile.
 */
#include "kselftest_harness.h"

#include <sys/eventfd.h>
#include <linux/kvm.h>
#include <linux/vhost.h>

#include "fake_guest.h"
#include "log.h"
#include "vsock_vhost.h"

#define VHOST_FD	100
#define VM_FD		200
#define MMIO_BASE	0x0a000200ULL
#define SPI		1
#define CID		3
#define MAX_CALLS	64
#define ARG_MAX		64
#define FEAT_V1		BIT_ULL(VIRTIO_F_VERSION_1)

struct call {
	int fd;
	unsigned long req;
	u8 arg[ARG_MAX];
};

struct rec {
	struct call call[MAX_CALLS];
	unsigned int nr;
	unsigned long fail_req;		/* this request fails ... */
	int fail_err;			/* ... with -fail_err */
	u64 vhost_features;
	int closed[8];
	unsigned int nr_closed;
	int signalled[8];		/* eventfds kicked, in order */
	unsigned int nr_signalled;
};

static size_t arg_size(unsigned long req)
{
	size_t n = _IOC_SIZE(req);

	return n > ARG_MAX ? ARG_MAX : n;
}

static int rec_ioctl(void *ctx, int fd, unsigned long req, void *arg)
{
	struct rec *r = ctx;
	struct call *c = &r->call[r->nr % MAX_CALLS];

	r->nr++;
	c->fd = fd;
	c->req = req;
	memset(c->arg, 0, sizeof(c->arg));
	if (req == VHOST_SET_MEM_TABLE) {
		/* the header and its one region */
		memcpy(c->arg, arg, sizeof(struct vhost_memory) +
		       sizeof(struct vhost_memory_region));
	} else if (arg && req != VHOST_GET_FEATURES) {
		memcpy(c->arg, arg, arg_size(req));
	}
	if (req == r->fail_req) {
		return -r->fail_err;
	}
	if (req == VHOST_GET_FEATURES) {
		memcpy(arg, &r->vhost_features, sizeof(u64));
	}
	return 0;
}

static int rec_eventfd(void *ctx)
{
	(void)ctx;
	return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

/* Record the kick, then make it, so that kicks() sees it too. */
static int rec_eventfd_signal(void *ctx, int fd)
{
	struct rec *r = ctx;

	if (r->nr_signalled < ARRAY_SIZE(r->signalled)) {
		r->signalled[r->nr_signalled++] = fd;
	}
	return eventfd_write(fd, 1) ? -errno : 0;
}

static void rec_close(void *ctx, int fd)
{
	struct rec *r = ctx;

	if (r->nr_closed < ARRAY_SIZE(r->closed)) {
		r->closed[r->nr_closed++] = fd;
	}
	if (fd != VHOST_FD && fd != VM_FD) {
		close(fd);
	}
}

/* Pending kicks on an eventfd (and clear them). */
static u64 kicks(int fd)
{
	u64 n = 0;

	if (read(fd, &n, sizeof(n)) != sizeof(n)) {
		return 0;
	}
	return n;
}

FIXTURE(vh) {
	struct fake_guest g;
	struct fake_ring r[3];
	struct rec rec;
	struct sys_ops sys;
	struct vsock_vhost v;
	unsigned int mark;		/* calls before the step under test */
};

FIXTURE_SETUP(vh)
{
	unsigned int i;

	log_set_level(LOG_ERR);
	fg_init(&self->g);
	for (i = 0; i < 3; i++) {
		fg_ring_init(&self->g, &self->r[i], 16);
	}
	memset(&self->rec, 0, sizeof(self->rec));
	self->rec.vhost_features = FEAT_V1 |
		BIT_ULL(VIRTIO_RING_F_EVENT_IDX) |
		BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC);
	self->sys.ioctl = rec_ioctl;
	self->sys.eventfd = rec_eventfd;
	self->sys.eventfd_signal = rec_eventfd_signal;
	self->sys.close = rec_close;
	self->sys.ctx = &self->rec;
	vsock_vhost_init(&self->v, CID, &self->g.mem, &self->sys);
}

FIXTURE_TEARDOWN(vh)
{
	vsock_vhost_close(&self->v);
	fg_free(&self->g);
}

static const struct call *nth(const struct rec *r, unsigned int i)
{
	return i < r->nr && i < MAX_CALLS ? &r->call[i] : NULL;
}

#define ASSERT_CALL(r, i, f, rq) do {				\
		const struct call *c_ = nth(r, i);		\
								\
		ASSERT_NE(NULL, c_);				\
		EXPECT_EQ(f, c_->fd);				\
		ASSERT_EQ((unsigned long)(rq), c_->req);	\
	} while (0)

static int vh_open(struct vsock_vhost *v)
{
	return vsock_vhost_open(v, VHOST_FD, VM_FD, MMIO_BASE, SPI);
}

static u32 vh_start(struct vsock_vhost *v, struct fake_ring *r)
{
	return fg_driver_init(&v->vdev, FEAT_V1, r, 3);
}

TEST_F(vh, open_sets_up_vhost_then_kvm)
{
	const struct vhost_memory_region *mr;
	const struct vhost_memory *mem;
	const struct kvm_ioeventfd *io;
	const struct kvm_irqfd *irq;
	struct rec *r = &self->rec;
	unsigned int q;
	u64 cid;

	ASSERT_EQ(0, vh_open(&self->v));
	ASSERT_EQ(7U, r->nr);
	ASSERT_CALL(r, 0, VHOST_FD, VHOST_SET_OWNER);
	ASSERT_CALL(r, 1, VHOST_FD, VHOST_GET_FEATURES);
	ASSERT_CALL(r, 2, VHOST_FD, VHOST_SET_MEM_TABLE);
	mem = (const void *)r->call[2].arg;
	mr = (const void *)(r->call[2].arg + sizeof(*mem));
	EXPECT_EQ(1U, mem->nregions);
	EXPECT_EQ(FG_RAM_BASE, mr->guest_phys_addr);
	EXPECT_EQ(FG_RAM_SIZE, mr->memory_size);
	EXPECT_EQ((unsigned long)self->g.ram, mr->userspace_addr);
	ASSERT_CALL(r, 3, VHOST_FD, VHOST_VSOCK_SET_GUEST_CID);
	memcpy(&cid, r->call[3].arg, sizeof(cid));
	EXPECT_EQ(CID, cid);
	for (q = 0; q < 2; q++) {
		ASSERT_CALL(r, 4 + q, VM_FD, KVM_IOEVENTFD);
		io = (const void *)r->call[4 + q].arg;
		EXPECT_EQ(MMIO_BASE + 0x50, io->addr);
		EXPECT_EQ(4U, io->len);
		EXPECT_EQ(q, io->datamatch);
		EXPECT_EQ((u32)KVM_IOEVENTFD_FLAG_DATAMATCH, io->flags);
		EXPECT_EQ(self->v.kick_fd[q], io->fd);
		EXPECT_LE(0, io->fd);
	}
	EXPECT_NE(self->v.kick_fd[0], self->v.kick_fd[1]);
	ASSERT_CALL(r, 6, VM_FD, KVM_IRQFD);
	irq = (const void *)r->call[6].arg;
	EXPECT_EQ(self->v.call_fd, (int)irq->fd);
	EXPECT_EQ((u32)SPI, irq->gsi);
	EXPECT_EQ(0U, irq->flags);
	/* The guest reads its CID from the config space. */
	EXPECT_EQ(CID, fg_rd(&self->v.vdev, VIRTIO_MMIO_CONFIG));
}

TEST_F(vh, driver_ok_hands_both_rings_to_vhost)
{
	const struct vhost_vring_state *st;
	const struct vhost_vring_addr *a;
	const struct vhost_vring_file *f;
	struct rec *r = &self->rec;
	unsigned int q, i;
	u64 feat;
	int on;

	ASSERT_EQ(0, vh_open(&self->v));
	self->mark = r->nr;
	EXPECT_TRUE(vh_start(&self->v, self->r) & VIRTIO_CONFIG_S_DRIVER_OK);
	i = self->mark;
	ASSERT_CALL(r, i, VHOST_FD, VHOST_SET_FEATURES);
	memcpy(&feat, r->call[i++].arg, sizeof(feat));
	EXPECT_EQ(FEAT_V1, feat);
	for (q = 0; q < 2; q++) {
		ASSERT_CALL(r, i, VHOST_FD, VHOST_SET_VRING_NUM);
		st = (const void *)r->call[i++].arg;
		EXPECT_EQ(q, st->index);
		EXPECT_EQ(16U, st->num);
		ASSERT_CALL(r, i, VHOST_FD, VHOST_SET_VRING_BASE);
		st = (const void *)r->call[i++].arg;
		EXPECT_EQ(q, st->index);
		EXPECT_EQ(0U, st->num);
		ASSERT_CALL(r, i, VHOST_FD, VHOST_SET_VRING_ADDR);
		a = (const void *)r->call[i++].arg;
		EXPECT_EQ(q, a->index);
		EXPECT_EQ((unsigned long)fg_hva(&self->g, self->r[q].desc),
			  a->desc_user_addr);
		EXPECT_EQ((unsigned long)fg_hva(&self->g, self->r[q].avail),
			  a->avail_user_addr);
		EXPECT_EQ((unsigned long)fg_hva(&self->g, self->r[q].used),
			  a->used_user_addr);
		ASSERT_CALL(r, i, VHOST_FD, VHOST_SET_VRING_KICK);
		f = (const void *)r->call[i++].arg;
		EXPECT_EQ(q, f->index);
		EXPECT_EQ(self->v.kick_fd[q], f->fd);
		ASSERT_CALL(r, i, VHOST_FD, VHOST_SET_VRING_CALL);
		f = (const void *)r->call[i++].arg;
		EXPECT_EQ(q, f->index);
		EXPECT_EQ(self->v.call_fd, f->fd);
	}
	ASSERT_CALL(r, i, VHOST_FD, VHOST_VSOCK_SET_RUNNING);
	memcpy(&on, r->call[i++].arg, sizeof(on));
	EXPECT_EQ(1, on);
	EXPECT_EQ(i, r->nr);
	/* Kicks from before the start are replayed, once per queue. */
	EXPECT_EQ(1U, kicks(self->v.kick_fd[0]));
	EXPECT_EQ(1U, kicks(self->v.kick_fd[1]));
	/* ... through struct sys_ops, like every other system call. */
	ASSERT_EQ(2U, r->nr_signalled);
	EXPECT_EQ(self->v.kick_fd[0], r->signalled[0]);
	EXPECT_EQ(self->v.kick_fd[1], r->signalled[1]);
}

TEST_F(vh, interrupt_status_reads_vring_while_running)
{
	struct virtio_mmio *d = &self->v.vdev;
	struct rec *r = &self->rec;
	int on = -1;

	ASSERT_EQ(0, vh_open(&self->v));
	EXPECT_EQ(0U, fg_rd(d, VIRTIO_MMIO_INTERRUPT_STATUS));
	vh_start(&self->v, self->r);
	EXPECT_EQ(1U, fg_rd(d, VIRTIO_MMIO_INTERRUPT_STATUS));
	/* An acknowledgment cannot clear it: the next irqfd may be there. */
	fg_wr(d, VIRTIO_MMIO_INTERRUPT_ACK, 1);
	EXPECT_EQ(1U, fg_rd(d, VIRTIO_MMIO_INTERRUPT_STATUS));
	self->mark = r->nr;
	fg_wr(d, VIRTIO_MMIO_STATUS, 0);
	EXPECT_EQ(0U, fg_rd(d, VIRTIO_MMIO_INTERRUPT_STATUS));
	ASSERT_EQ(self->mark + 1, r->nr);
	ASSERT_CALL(r, self->mark, VHOST_FD, VHOST_VSOCK_SET_RUNNING);
	memcpy(&on, r->call[self->mark].arg, sizeof(on));
	EXPECT_EQ(0, on);
	EXPECT_FALSE(self->v.running);
	/* And it starts again after the reset. */
	EXPECT_TRUE(vh_start(&self->v, self->r) & VIRTIO_CONFIG_S_DRIVER_OK);
	EXPECT_TRUE(self->v.running);
}

TEST_F(vh, stray_notify_is_passed_on)
{
	struct virtio_mmio *d = &self->v.vdev;

	ASSERT_EQ(0, vh_open(&self->v));
	vh_start(&self->v, self->r);
	kicks(self->v.kick_fd[0]);
	kicks(self->v.kick_fd[1]);
	fg_wr(d, VIRTIO_MMIO_QUEUE_NOTIFY, 1);
	EXPECT_EQ(0U, kicks(self->v.kick_fd[0]));
	EXPECT_EQ(1U, kicks(self->v.kick_fd[1]));
	fg_wr(d, VIRTIO_MMIO_QUEUE_NOTIFY, 2);	/* event queue: pvmm's */
	EXPECT_EQ(0U, kicks(self->v.kick_fd[0]));
	EXPECT_EQ(0U, kicks(self->v.kick_fd[1]));
	/* Two replayed at DRIVER_OK, then the one passed on. */
	ASSERT_EQ(3U, self->rec.nr_signalled);
	EXPECT_EQ(self->v.kick_fd[1], self->rec.signalled[2]);
}

TEST_F(vh, vhost_failure_at_driver_ok_needs_reset)
{
	struct virtio_mmio *d = &self->v.vdev;
	struct rec *r = &self->rec;
	unsigned int i;
	u32 st;

	ASSERT_EQ(0, vh_open(&self->v));
	r->fail_req = VHOST_SET_VRING_ADDR;
	r->fail_err = EFAULT;
	st = vh_start(&self->v, self->r);
	EXPECT_FALSE(st & VIRTIO_CONFIG_S_DRIVER_OK);
	EXPECT_TRUE(st & VIRTIO_CONFIG_S_NEEDS_RESET);
	EXPECT_FALSE(self->v.running);
	for (i = 0; i < r->nr; i++) {
		EXPECT_NE(VHOST_VSOCK_SET_RUNNING, r->call[i].req);
	}
	EXPECT_EQ(0U, fg_rd(d, VIRTIO_MMIO_INTERRUPT_STATUS));
}

TEST_F(vh, driver_ok_with_a_queue_missing_needs_reset)
{
	u32 st;

	ASSERT_EQ(0, vh_open(&self->v));
	/* Only rx set up, then DRIVER_OK. */
	st = fg_driver_init(&self->v.vdev, FEAT_V1, self->r, 1);
	EXPECT_TRUE(st & VIRTIO_CONFIG_S_NEEDS_RESET);
	EXPECT_FALSE(self->v.running);
}

TEST_F(vh, cid_in_use_fails_open)
{
	struct rec *r = &self->rec;

	r->fail_req = VHOST_VSOCK_SET_GUEST_CID;
	r->fail_err = EADDRINUSE;
	EXPECT_EQ(-EADDRINUSE, vh_open(&self->v));
	EXPECT_EQ(4U, r->nr);		/* nothing asked of KVM */
}

TEST_F(vh, vhost_without_version_1_refused)
{
	self->rec.vhost_features = BIT_ULL(VIRTIO_RING_F_EVENT_IDX);
	EXPECT_EQ(-EOPNOTSUPP, vh_open(&self->v));
}

TEST_F(vh, close_stops_vhost_and_undoes_kvm)
{
	const struct kvm_ioeventfd *io;
	const struct kvm_irqfd *irq;
	struct rec *r = &self->rec;
	int kick0, call, on;
	unsigned int i;

	ASSERT_EQ(0, vh_open(&self->v));
	vh_start(&self->v, self->r);
	kick0 = self->v.kick_fd[0];
	call = self->v.call_fd;
	self->mark = r->nr;
	vsock_vhost_close(&self->v);
	i = self->mark;
	ASSERT_CALL(r, i, VHOST_FD, VHOST_VSOCK_SET_RUNNING);
	memcpy(&on, r->call[i++].arg, sizeof(on));
	EXPECT_EQ(0, on);
	EXPECT_EQ(VHOST_FD, r->closed[0]);
	ASSERT_CALL(r, i, VM_FD, KVM_IRQFD);
	irq = (const void *)r->call[i++].arg;
	EXPECT_EQ(call, (int)irq->fd);
	EXPECT_EQ((u32)KVM_IRQFD_FLAG_DEASSIGN, irq->flags);
	ASSERT_CALL(r, i, VM_FD, KVM_IOEVENTFD);
	io = (const void *)r->call[i++].arg;
	EXPECT_EQ(kick0, io->fd);
	EXPECT_TRUE(io->flags & KVM_IOEVENTFD_FLAG_DEASSIGN);
	EXPECT_TRUE(io->flags & KVM_IOEVENTFD_FLAG_DATAMATCH);
	ASSERT_CALL(r, i, VM_FD, KVM_IOEVENTFD);
	EXPECT_EQ(i + 1, r->nr);
	EXPECT_EQ(4U, r->nr_closed);	/* vhost, two kicks, the call */
	/* A second close does nothing. */
	self->mark = r->nr;
	vsock_vhost_close(&self->v);
	EXPECT_EQ(self->mark, r->nr);
}

TEST_HARNESS_MAIN
