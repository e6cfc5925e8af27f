// SPDX-License-Identifier: GPL-2.0
/*
 * Kicks through ioeventfds to the I/O thread and interrupts through an
 * irqfd, with the system calls recorded and KVM played by the test: what
 * reaches KVM on DRIVER_OK, reset and close, a kick through an eventfd
 * reaching the device, the QueueNotify register when KVM refuses, and the
 * I/O thread and a vCPU thread on one device at once.
 */
#include "kselftest_harness.h"

#include <pthread.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <linux/kvm.h>
#include <linux/virtio_ids.h>

#include "fake_guest.h"
#include "log.h"
#include "virtio_eventfd.h"

#define VM_FD		200
#define MMIO_BASE	0x0a000400ULL
#define SPI		2
#define NR_VQ		3
#define MAX_CALLS	32
#define FEAT_V1		BIT_ULL(VIRTIO_F_VERSION_1)

struct call {
	int fd;
	unsigned long req;
	union {
		struct kvm_ioeventfd io;
		struct kvm_irqfd irq;
	} arg;
};

/* The system calls, and KVM's side of the ioeventfds. */
struct rec {
	struct call call[MAX_CALLS];
	unsigned int nr;
	unsigned long fail_req;		/* this request fails ... */
	int fail_err;			/* ... with -fail_err */
	int kick[NR_VQ];		/* KVM signals this for queue q, or -1 */
	int eventfds;			/* eventfds to make before -EMFILE */
	unsigned int nr_closed;
	unsigned int nr_signalled;
	u32 isr_at_signal;		/* InterruptStatus at the last signal */
	struct virtio_mmio *vdev;
};

static int rec_ioctl(void *ctx, int fd, unsigned long req, void *arg)
{
	struct rec *r = ctx;
	struct call *c = &r->call[r->nr % MAX_CALLS];
	const struct kvm_ioeventfd *io = arg;

	r->nr++;
	c->fd = fd;
	c->req = req;
	memcpy(&c->arg, arg, req == KVM_IRQFD ? sizeof(c->arg.irq) :
	       sizeof(c->arg.io));
	if (req == r->fail_req) {
		return -r->fail_err;
	}
	if (req == KVM_IOEVENTFD && io->datamatch < NR_VQ) {
		r->kick[io->datamatch] =
			io->flags & KVM_IOEVENTFD_FLAG_DEASSIGN ? -1 : io->fd;
	}
	return 0;
}

static int rec_eventfd(void *ctx)
{
	struct rec *r = ctx;

	if (!r->eventfds--) {
		return -EMFILE;
	}
	return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

/* Called with the device lock held, as set_irq() is. */
static int rec_eventfd_signal(void *ctx, int fd)
{
	struct rec *r = ctx;

	r->nr_signalled++;
	r->isr_at_signal = __atomic_load_n(&r->vdev->isr, __ATOMIC_SEQ_CST);
	return eventfd_write(fd, 1) ? -errno : 0;
}

static void rec_close(void *ctx, int fd)
{
	struct rec *r = ctx;

	r->nr_closed++;
	close(fd);
}

/*
 * A device that gives back every chain of queue 1 and counts kicks. With
 * @endless set, its guest makes a new chain available for each one served.
 */
struct echo {
	struct virtio_mmio vdev;
	unsigned int kicks[NR_VQ];
	struct fake_guest *endless;
	struct fake_ring *ring;
};

static s64 echo_chain(struct vq_chain *chain, void *ctx)
{
	struct echo *d = ctx;
	struct fg_buf b;

	(void)chain;
	if (d->endless) {
		b = (struct fg_buf){ fg_alloc(d->endless, 64), 64, false };
		fg_add_chain(d->endless, d->ring, &b, 1);
	}
	return 0;
}

static void echo_notify(struct virtio_mmio *vdev, unsigned int q)
{
	struct echo *d = vdev->priv;

	d->kicks[q]++;
	if (q == 1) {
		virtio_mmio_drain(vdev, q, echo_chain, d);
	}
}

static const struct virtio_dev_ops echo_ops = { .notify = echo_notify };
static const char *const qnames[NR_VQ] = { "q0", "q1", "q2" };

static int irq_line_calls;

static void irq_line(void *opaque, bool level)
{
	(void)opaque;
	(void)level;
	irq_line_calls++;
}

FIXTURE(efd) {
	struct fake_guest g;
	struct fake_ring r[NR_VQ];
	struct rec rec;
	struct sys_ops sys;
	struct eventloop el;
	struct echo d;
	struct virtio_eventfd e;
};

static void new_rings(struct fake_guest *g, struct fake_ring *r)
{
	unsigned int q;

	for (q = 0; q < NR_VQ; q++) {
		fg_ring_init(g, &r[q], 8);
	}
}

FIXTURE_SETUP(efd)
{
	unsigned int q;

	log_set_level(LOG_ERR);
	fg_init(&self->g);
	new_rings(&self->g, self->r);
	memset(&self->rec, 0, sizeof(self->rec));
	for (q = 0; q < NR_VQ; q++) {
		self->rec.kick[q] = -1;
	}
	self->rec.vdev = &self->d.vdev;
	self->rec.eventfds = 16;
	self->sys.ioctl = rec_ioctl;
	self->sys.eventfd = rec_eventfd;
	self->sys.eventfd_signal = rec_eventfd_signal;
	self->sys.close = rec_close;
	self->sys.ctx = &self->rec;
	ASSERT_EQ(0, el_init(&self->el));
	memset(&self->d, 0, sizeof(self->d));
	virtio_mmio_init(&self->d.vdev, VIRTIO_ID_VSOCK, 0, &self->g.mem,
			 NR_VQ, qnames);
	self->d.vdev.ops = &echo_ops;
	self->d.vdev.priv = &self->d;
	self->d.vdev.set_irq = irq_line;
	irq_line_calls = 0;
	virtio_eventfd_init(&self->e, &self->d.vdev, &self->sys, VM_FD);
}

FIXTURE_TEARDOWN(efd)
{
	virtio_eventfd_close(&self->e);
	el_destroy(&self->el);
	fg_free(&self->g);
}

static u32 start(struct virtio_mmio *d, struct fake_ring *r)
{
	return fg_driver_init(d, FEAT_V1, r, NR_VQ);
}

/* The guest writes @q to QueueNotify, and KVM does what it was told. */
static void guest_kick(const struct rec *rec, unsigned int q)
{
	if (rec->kick[q] >= 0) {
		eventfd_write(rec->kick[q], 1);
	} else {
		fg_wr(rec->vdev, VIRTIO_MMIO_QUEUE_NOTIFY, q);
	}
}

/* One device-readable buffer on @r. */
static void add_buf(struct fake_guest *g, struct fake_ring *r)
{
	struct fg_buf b = { fg_alloc(g, 64), 64, false };

	fg_add_chain(g, r, &b, 1);
}

static u64 pending(int fd)
{
	u64 n = 0;

	return read(fd, &n, sizeof(n)) == sizeof(n) ? n : 0;
}

/* Call @i is a KVM_IOEVENTFD of @e's queue @q with @flags. */
static bool is_kick(const struct rec *rec, const struct virtio_eventfd *e,
		    unsigned int i, unsigned int q, u32 flags)
{
	const struct call *c = &rec->call[i];

	return i < rec->nr && c->fd == VM_FD && c->req == KVM_IOEVENTFD &&
	       c->arg.io.addr == MMIO_BASE + 0x50 && c->arg.io.len == 4 &&
	       c->arg.io.datamatch == q && c->arg.io.fd == e->kick_fd[q] &&
	       c->arg.io.flags == (KVM_IOEVENTFD_FLAG_DATAMATCH | flags);
}

TEST_F(efd, nothing_reaches_kvm_before_driver_ok)
{
	unsigned int q;

	ASSERT_EQ(0, virtio_eventfd_kicks(&self->e, &self->el, MMIO_BASE));
	EXPECT_EQ(0U, self->rec.nr);
	for (q = 0; q < NR_VQ; q++) {
		EXPECT_LE(0, self->e.kick_fd[q]);
	}
	EXPECT_NE(self->e.kick_fd[0], self->e.kick_fd[1]);
}

TEST_F(efd, driver_ok_assigns_one_per_queue)
{
	unsigned int q;

	ASSERT_EQ(0, virtio_eventfd_kicks(&self->e, &self->el, MMIO_BASE));
	ASSERT_TRUE(start(&self->d.vdev, self->r) & VIRTIO_CONFIG_S_DRIVER_OK);
	ASSERT_EQ((unsigned int)NR_VQ, self->rec.nr);
	for (q = 0; q < NR_VQ; q++) {
		EXPECT_TRUE(is_kick(&self->rec, &self->e, q, q, 0));
	}
	/* DRIVER_OK written again: nothing assigned twice. */
	fg_wr(&self->d.vdev, VIRTIO_MMIO_STATUS,
	      fg_rd(&self->d.vdev, VIRTIO_MMIO_STATUS));
	EXPECT_EQ((unsigned int)NR_VQ, self->rec.nr);
}

TEST_F(efd, reset_deassigns_them)
{
	unsigned int q;

	ASSERT_EQ(0, virtio_eventfd_kicks(&self->e, &self->el, MMIO_BASE));
	start(&self->d.vdev, self->r);
	fg_wr(&self->d.vdev, VIRTIO_MMIO_STATUS, 0);
	ASSERT_EQ(2U * NR_VQ, self->rec.nr);
	for (q = 0; q < NR_VQ; q++) {
		EXPECT_TRUE(is_kick(&self->rec, &self->e, NR_VQ + q, q,
				    KVM_IOEVENTFD_FLAG_DEASSIGN));
		EXPECT_EQ(-1, self->rec.kick[q]);
	}
	/* And again at the next DRIVER_OK. */
	new_rings(&self->g, self->r);
	ASSERT_TRUE(start(&self->d.vdev, self->r) & VIRTIO_CONFIG_S_DRIVER_OK);
	EXPECT_EQ(3U * NR_VQ, self->rec.nr);
	EXPECT_TRUE(is_kick(&self->rec, &self->e, 2 * NR_VQ + 1, 1, 0));
}

TEST_F(efd, kick_through_eventfd_reaches_device)
{
	u32 id, len;

	ASSERT_EQ(0, virtio_eventfd_kicks(&self->e, &self->el, MMIO_BASE));
	start(&self->d.vdev, self->r);
	add_buf(&self->g, &self->r[1]);
	guest_kick(&self->rec, 1);
	EXPECT_EQ(0U, self->d.kicks[1]);
	EXPECT_EQ(0, el_run_once(&self->el, 1000));
	EXPECT_EQ(1U, self->d.kicks[1]);
	EXPECT_TRUE(fg_get_used(&self->g, &self->r[1], &id, &len));
	/* Each queue's eventfd is its own. */
	guest_kick(&self->rec, 2);
	EXPECT_EQ(0, el_run_once(&self->el, 1000));
	EXPECT_EQ(1U, self->d.kicks[2]);
	EXPECT_EQ(1U, self->d.kicks[1]);
	EXPECT_EQ(0U, self->d.kicks[0]);
	/* The register still works too. */
	fg_wr(&self->d.vdev, VIRTIO_MMIO_QUEUE_NOTIFY, 0);
	EXPECT_EQ(1U, self->d.kicks[0]);
}

/* How many chains queue @r's device has used so far. */
static u16 used_count(struct fake_guest *g, struct fake_ring *r)
{
	const struct vring_used *u = fg_hva(g, r->used);

	return le16toh(u->idx);
}

/*
 * A guest that makes chains available as fast as they are served gets
 * VQ_DRAIN_BUDGET of them a turn of the event loop; other queues are
 * served in between.
 */
TEST_F(efd, endless_queue_shares_the_loop)
{
	self->d.endless = &self->g;
	self->d.ring = &self->r[1];
	ASSERT_EQ(0, virtio_eventfd_kicks(&self->e, &self->el, MMIO_BASE));
	start(&self->d.vdev, self->r);
	add_buf(&self->g, &self->r[1]);
	guest_kick(&self->rec, 1);
	guest_kick(&self->rec, 2);
	EXPECT_EQ(0, el_run_once(&self->el, 1000));
	EXPECT_EQ(1U, self->d.kicks[2]);
	EXPECT_EQ(1U, self->d.kicks[1]);
	EXPECT_EQ(VQ_DRAIN_BUDGET, used_count(&self->g, &self->r[1]));
	EXPECT_EQ(0, el_run_once(&self->el, 1000));
	EXPECT_EQ(2U, self->d.kicks[1]);
	EXPECT_EQ(2 * VQ_DRAIN_BUDGET, used_count(&self->g, &self->r[1]));
	EXPECT_EQ(1U, self->d.kicks[2]);
	/* Once the device is closed, a drain no longer kicks itself. */
	virtio_eventfd_close(&self->e);
	EXPECT_TRUE(!self->d.vdev.rekick);
}

TEST_F(efd, late_kick_after_reset_is_ignored)
{
	ASSERT_EQ(0, virtio_eventfd_kicks(&self->e, &self->el, MMIO_BASE));
	start(&self->d.vdev, self->r);
	eventfd_write(self->e.kick_fd[1], 1);	/* in flight at the reset */
	fg_wr(&self->d.vdev, VIRTIO_MMIO_STATUS, 0);
	EXPECT_EQ(0, el_run_once(&self->el, 1000));
	EXPECT_EQ(0U, self->d.kicks[1]);
}

TEST_F(efd, refused_ioeventfd_keeps_the_register)
{
	self->rec.fail_req = KVM_IOEVENTFD;
	self->rec.fail_err = ENOTTY;
	ASSERT_EQ(0, virtio_eventfd_kicks(&self->e, &self->el, MMIO_BASE));
	ASSERT_TRUE(start(&self->d.vdev, self->r) & VIRTIO_CONFIG_S_DRIVER_OK);
	EXPECT_EQ((unsigned int)NR_VQ, self->rec.nr);
	add_buf(&self->g, &self->r[1]);
	guest_kick(&self->rec, 1);
	EXPECT_EQ(1U, self->d.kicks[1]);
	/* Nothing to deassign at the reset, nor at close. */
	fg_wr(&self->d.vdev, VIRTIO_MMIO_STATUS, 0);
	virtio_eventfd_close(&self->e);
	EXPECT_EQ((unsigned int)NR_VQ, self->rec.nr);
}

TEST_F(efd, no_kicks_without_eventfds)
{
	/* The second eventfd is not to be had: the register only. */
	self->rec.eventfds = 1;
	EXPECT_EQ(-EMFILE, virtio_eventfd_kicks(&self->e, &self->el,
						MMIO_BASE));
	EXPECT_TRUE(!self->d.vdev.set_kicks);
	start(&self->d.vdev, self->r);
	EXPECT_EQ(0U, self->rec.nr);
	guest_kick(&self->rec, 1);
	EXPECT_EQ(1U, self->d.kicks[1]);
	virtio_eventfd_close(&self->e);
	EXPECT_EQ(1U, self->rec.nr_closed);
}

TEST_F(efd, irqfd_pulses_after_the_status_bit)
{
	const struct kvm_irqfd *irq = &self->rec.call[0].arg.irq;

	ASSERT_EQ(0, virtio_eventfd_irqfd(&self->e, SPI));
	ASSERT_EQ(1U, self->rec.nr);
	EXPECT_EQ((unsigned long)KVM_IRQFD, self->rec.call[0].req);
	EXPECT_EQ(VM_FD, self->rec.call[0].fd);
	EXPECT_EQ(self->e.call_fd, (int)irq->fd);
	EXPECT_EQ((u32)SPI, irq->gsi);
	EXPECT_EQ(0U, irq->flags);
	start(&self->d.vdev, self->r);
	EXPECT_EQ(0U, self->rec.nr_signalled);	/* a reset only lowers */
	add_buf(&self->g, &self->r[1]);
	guest_kick(&self->rec, 1);
	EXPECT_EQ(1U, self->rec.nr_signalled);
	EXPECT_EQ(1U, self->rec.isr_at_signal);
	EXPECT_EQ(1U, pending(self->e.call_fd));
	EXPECT_EQ(1U, fg_rd(&self->d.vdev, VIRTIO_MMIO_INTERRUPT_STATUS));
	fg_wr(&self->d.vdev, VIRTIO_MMIO_INTERRUPT_ACK, 1);
	EXPECT_EQ(0U, fg_rd(&self->d.vdev, VIRTIO_MMIO_INTERRUPT_STATUS));
	EXPECT_EQ(1U, self->rec.nr_signalled);
	EXPECT_EQ(0, irq_line_calls);
}

/*
 * Each status bit comes with a pulse of its own: an acknowledgment
 * raises none, and the next used buffer pulses again.
 */
TEST_F(efd, every_status_bit_pulses_once)
{
	ASSERT_EQ(0, virtio_eventfd_irqfd(&self->e, SPI));
	start(&self->d.vdev, self->r);
	add_buf(&self->g, &self->r[1]);
	guest_kick(&self->rec, 1);
	EXPECT_EQ(1U, self->rec.nr_signalled);
	fg_wr(&self->d.vdev, VIRTIO_MMIO_INTERRUPT_ACK, 1);
	EXPECT_EQ(1U, self->rec.nr_signalled);
	add_buf(&self->g, &self->r[1]);
	guest_kick(&self->rec, 1);
	EXPECT_EQ(2U, self->rec.nr_signalled);
	EXPECT_EQ(1U, self->rec.isr_at_signal);
}

struct isr_reader {
	struct virtio_mmio *vdev;
	u32 before, after;
};

/* A vCPU thread's interrupt handler: read InterruptStatus, ACK, read. */
static void *read_and_ack(void *opaque)
{
	struct isr_reader *r = opaque;

	r->before = fg_rd(r->vdev, VIRTIO_MMIO_INTERRUPT_STATUS);
	fg_wr(r->vdev, VIRTIO_MMIO_INTERRUPT_ACK, r->before);
	r->after = fg_rd(r->vdev, VIRTIO_MMIO_INTERRUPT_STATUS);
	return NULL;
}

/*
 * With an irqfd, the driver reads and acknowledges the interrupt status
 * while the I/O thread holds the device lock (filling the rx queue), as
 * it does between the used buffers it pushes: the handler must not wait
 * for the whole drain. The 10 s bound is only how long a broken build
 * takes to fail; a working one never waits on the lock.
 */
TEST_F(efd, interrupt_status_needs_no_device_lock)
{
	struct isr_reader r = { .vdev = &self->d.vdev };
	struct timespec deadline;
	pthread_t t;
	int ret;

	ASSERT_EQ(0, virtio_eventfd_irqfd(&self->e, SPI));
	start(&self->d.vdev, self->r);
	add_buf(&self->g, &self->r[1]);
	guest_kick(&self->rec, 1);
	pthread_mutex_lock(&self->d.vdev.lock);
	ASSERT_EQ(0, pthread_create(&t, NULL, read_and_ack, &r));
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 10;
	ret = pthread_timedjoin_np(t, NULL, &deadline);
	pthread_mutex_unlock(&self->d.vdev.lock);
	if (ret) {
		pthread_join(t, NULL);
	}
	EXPECT_EQ(0, ret);
	EXPECT_EQ(1U, r.before);
	EXPECT_EQ(0U, r.after);
}

/*
 * A level-triggered line (no irqfd) is lowered by an ACK, so there the
 * ACK keeps taking the lock and calls set_irq().
 */
TEST_F(efd, interrupt_line_lowered_by_ack)
{
	start(&self->d.vdev, self->r);
	add_buf(&self->g, &self->r[1]);
	guest_kick(&self->rec, 1);
	ASSERT_EQ(1U, fg_rd(&self->d.vdev, VIRTIO_MMIO_INTERRUPT_STATUS));
	irq_line_calls = 0;
	fg_wr(&self->d.vdev, VIRTIO_MMIO_INTERRUPT_ACK, 1);
	EXPECT_EQ(1, irq_line_calls);
	EXPECT_EQ(0U, fg_rd(&self->d.vdev, VIRTIO_MMIO_INTERRUPT_STATUS));
}

TEST_F(efd, refused_irqfd_keeps_irq_line)
{
	self->rec.fail_req = KVM_IRQFD;
	self->rec.fail_err = EINVAL;
	EXPECT_EQ(-EINVAL, virtio_eventfd_irqfd(&self->e, SPI));
	EXPECT_EQ(-1, self->e.call_fd);
	EXPECT_EQ(1U, self->rec.nr_closed);
	start(&self->d.vdev, self->r);
	add_buf(&self->g, &self->r[1]);
	guest_kick(&self->rec, 1);
	EXPECT_LT(0, irq_line_calls);
	EXPECT_EQ(0U, self->rec.nr_signalled);
}

TEST_F(efd, close_undoes_everything)
{
	unsigned int q, i;

	ASSERT_EQ(0, virtio_eventfd_kicks(&self->e, &self->el, MMIO_BASE));
	ASSERT_EQ(0, virtio_eventfd_irqfd(&self->e, SPI));
	start(&self->d.vdev, self->r);
	i = self->rec.nr;
	virtio_eventfd_close(&self->e);
	ASSERT_EQ(i + NR_VQ + 1, self->rec.nr);
	for (q = 0; q < NR_VQ; q++) {
		EXPECT_EQ((unsigned long)KVM_IOEVENTFD,
			  self->rec.call[i + q].req);
		EXPECT_EQ(KVM_IOEVENTFD_FLAG_DATAMATCH |
			  KVM_IOEVENTFD_FLAG_DEASSIGN,
			  self->rec.call[i + q].arg.io.flags);
		EXPECT_EQ(-1, self->e.kick_fd[q]);
	}
	EXPECT_EQ((unsigned long)KVM_IRQFD, self->rec.call[i + NR_VQ].req);
	EXPECT_EQ((u32)KVM_IRQFD_FLAG_DEASSIGN,
		  self->rec.call[i + NR_VQ].arg.irq.flags);
	EXPECT_EQ((u32)SPI, self->rec.call[i + NR_VQ].arg.irq.gsi);
	EXPECT_EQ(NR_VQ + 1U, self->rec.nr_closed);
	EXPECT_EQ(-1, self->e.call_fd);
	EXPECT_TRUE(!self->d.vdev.set_kicks);
	EXPECT_TRUE(!self->d.vdev.set_irq);
	/* Closing twice does nothing more. */
	virtio_eventfd_close(&self->e);
	EXPECT_EQ(i + NR_VQ + 1, self->rec.nr);
}

static void *io_thread(void *arg)
{
	el_run(arg);
	return NULL;
}

/* The guest's side of the used ring, read as another CPU would. */
static u16 used_idx(struct fake_guest *g, const struct fake_ring *r)
{
	struct vring_used *u = fg_hva(g, r->used);

	return le16toh(__atomic_load_n(&u->idx, __ATOMIC_ACQUIRE));
}

/* A chain on queue 1, published as another CPU would. */
static void add_buf_shared(struct fake_guest *g, struct fake_ring *r)
{
	struct vring_avail *a = fg_hva(g, r->avail);
	u16 head = r->next_desc++ % r->size;

	fg_set_desc(g, r, head, fg_alloc(g, 64), 64, 0, 0);
	a->ring[r->avail_idx % r->size] = htole16(head);
	r->avail_idx++;
	__atomic_store_n(&a->idx, htole16(r->avail_idx), __ATOMIC_RELEASE);
}

/* Kick queue 1 with one more buffer and wait until it is used. */
static bool kick_and_wait(struct fake_guest *g, struct fake_ring *r,
			  const struct rec *rec, u16 want)
{
	unsigned int spin;

	add_buf_shared(g, r);
	guest_kick(rec, 1);
	for (spin = 0; used_idx(g, r) != want && spin < 1000000; spin++) {
		fg_wr(rec->vdev, VIRTIO_MMIO_INTERRUPT_ACK,
		      fg_rd(rec->vdev, VIRTIO_MMIO_INTERRUPT_STATUS));
		sched_yield();
	}
	return used_idx(g, r) == want;
}

/*
 * The I/O thread serves the queue while this thread, a vCPU, resets,
 * starts, reads and acknowledges the interrupt. For -fsanitize=thread.
 */
TEST_F(efd, io_thread_and_vcpu_share_the_device)
{
	unsigned int round, i, used = 0;
	pthread_t t;

	ASSERT_EQ(0, virtio_eventfd_kicks(&self->e, &self->el, MMIO_BASE));
	ASSERT_EQ(0, virtio_eventfd_irqfd(&self->e, SPI));
	ASSERT_EQ(0, pthread_create(&t, NULL, io_thread, &self->el));
	for (round = 0; round < 4; round++) {
		new_rings(&self->g, self->r);
		start(&self->d.vdev, self->r);
		for (i = 1; i <= 32; i++) {
			used += kick_and_wait(&self->g, &self->r[1], &self->rec,
					      i);
		}
	}
	el_stop(&self->el);
	pthread_join(t, NULL);
	EXPECT_EQ(4U * 32, used);
	/*
	 * Every kick is served, but two may be one: a drain's last look
	 * (vq_drain() with notifications back on) can use the buffer of a
	 * kick still in its eventfd, and the next kick then adds to the
	 * same eventfd count, read once.
	 */
	EXPECT_LT(0U, self->d.kicks[1]);
	EXPECT_GE(4U * 32, self->d.kicks[1]);
	EXPECT_LT(0U, self->rec.nr_signalled);
}

TEST_HARNESS_MAIN
