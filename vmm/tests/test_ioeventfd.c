// SPDX-License-Identifier: GPL-2.0
/*
 * ioeventfd add and del with a fake struct sys_ops: the KVM_IOEVENTFD that
 * reaches the VM, with every field and flag, and errors passed back.
 */
#include "kselftest_harness.h"

#include <linux/kvm.h>

#include "ioeventfd.h"

#define VM_FD		200
#define NOTIFY_ADDR	0x0a000250ULL

struct rec {
	unsigned int nr;
	int fd;
	unsigned long req;
	struct kvm_ioeventfd arg;
	int ret;			/* what the ioctl returns */
};

static int rec_ioctl(void *ctx, int fd, unsigned long req, void *arg)
{
	struct rec *r = ctx;

	r->nr++;
	r->fd = fd;
	r->req = req;
	memcpy(&r->arg, arg, sizeof(r->arg));
	return r->ret;
}

FIXTURE(iev) {
	struct rec rec;
	struct sys_ops sys;
	struct ioeventfd ev;
};

FIXTURE_SETUP(iev)
{
	memset(&self->rec, 0, sizeof(self->rec));
	memset(&self->sys, 0, sizeof(self->sys));
	self->sys.ioctl = rec_ioctl;
	self->sys.ctx = &self->rec;
	self->ev.addr = NOTIFY_ADDR;
	self->ev.len = 4;
	self->ev.datamatch = 1;
	self->ev.fd = 7;
}

FIXTURE_TEARDOWN(iev)
{
}

/* The one KVM_IOEVENTFD recorded, for @ev, has these @flags. */
static bool is_ioeventfd(const struct rec *r, const struct ioeventfd *ev,
			 u32 flags)
{
	static const u8 zero[sizeof(r->arg.pad)];
	const struct kvm_ioeventfd *k = &r->arg;

	return r->nr == 1 && r->fd == VM_FD && r->req == KVM_IOEVENTFD &&
	       k->addr == ev->addr && k->len == ev->len &&
	       k->datamatch == ev->datamatch && k->fd == ev->fd &&
	       k->flags == flags && !memcmp(k->pad, zero, sizeof(zero));
}

TEST_F(iev, add_assigns_with_datamatch)
{
	EXPECT_EQ(0, ioeventfd_add(&self->sys, VM_FD, &self->ev));
	EXPECT_TRUE(is_ioeventfd(&self->rec, &self->ev,
				 KVM_IOEVENTFD_FLAG_DATAMATCH));
}

TEST_F(iev, del_deassigns_the_same_event)
{
	EXPECT_EQ(0, ioeventfd_del(&self->sys, VM_FD, &self->ev));
	EXPECT_TRUE(is_ioeventfd(&self->rec, &self->ev,
				 KVM_IOEVENTFD_FLAG_DATAMATCH |
				 KVM_IOEVENTFD_FLAG_DEASSIGN));
}

TEST_F(iev, every_width_and_a_64_bit_match)
{
	static const u32 widths[] = { 1, 2, 4, 8 };
	unsigned int i;

	self->ev.datamatch = 0x1122334455667788ULL;
	for (i = 0; i < ARRAY_SIZE(widths); i++) {
		self->rec.nr = 0;
		self->ev.len = widths[i];
		EXPECT_EQ(0, ioeventfd_add(&self->sys, VM_FD, &self->ev));
		EXPECT_TRUE(is_ioeventfd(&self->rec, &self->ev,
					 KVM_IOEVENTFD_FLAG_DATAMATCH));
	}
}

TEST_F(iev, errors_are_passed_back)
{
	self->rec.ret = -EEXIST;
	EXPECT_EQ(-EEXIST, ioeventfd_add(&self->sys, VM_FD, &self->ev));
	self->rec.ret = -ENOENT;
	EXPECT_EQ(-ENOENT, ioeventfd_del(&self->sys, VM_FD, &self->ev));
	EXPECT_EQ(2U, self->rec.nr);
}

TEST_HARNESS_MAIN
