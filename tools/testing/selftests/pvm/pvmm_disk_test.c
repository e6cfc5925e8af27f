// SPDX-License-Identifier: GPL-2.0
/*
 * Payload VMs: pvmm's virtio-blk disks and the dm-verity vendor partition,
 * for a normal VM and a pVM.
 *
 * The vendor image /pvmkit/vendor.img holds pvm_vendor_hello.ko and an
 * init script (scripts/build-initramfs, tools/pvm-mkvendor). The guest's
 * first-stage init, pvm-vendor-init, mounts it on /vendor only if dm-verity
 * accepts it against the digest in the device tree, and loads its modules.
 * The tests change the image or the digest and look at what the guest
 * says on its console.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "../kselftest_harness.h"
#include "pvm_util.h"
#include "pvmm_guest.h"

#define VENDOR_IMG	"/pvmkit/vendor.img"
#define VENDOR_COPY	"/tmp/pvmm-vendor.img"
#define DATA_IMG	"/tmp/pvmm-data.img"
#define DATA_SIZE	(1024 * 1024)
#define FOOTER_BLOCK	4096
#define FOOTER_DIGEST	80	/* offset of root_digest in the footer */
/* A string of pvm_vendor_hello.ko's, hence bytes of the module file. */
#define MODULE_MARKER	"loaded from the vendor partition"
#define MODULE_LOADED	"pvmkit-vendor: module pvm_vendor_hello.ko loaded"
#define POWEROFF	0
#define RESET		3

FIXTURE(disk) {
	struct guest g;
};

FIXTURE_VARIANT(disk) {
	enum guest_kind kind;
};

FIXTURE_VARIANT_ADD(disk, normal) {
	.kind = GUEST_USER_VSOCK,
};

FIXTURE_VARIANT_ADD(disk, protected) {
	.kind = GUEST_PROTECTED,
};

FIXTURE_SETUP(disk)
{
	if (variant->kind == GUEST_PROTECTED && !pvm_loaded())
		SKIP(return, "pvm.ko is not loaded");
}

FIXTURE_TEARDOWN(disk)
{
	unlink(VENDOR_COPY);
	unlink(DATA_IMG);
}

static void guest_dump(struct __test_metadata *_metadata, struct guest *g)
{
	TH_LOG("pvmm output (tail):\n%s", guest_log_tail(g));
}

/*
 * Boot with pvmm options @args and kernel words @extra; wait until the
 * guest says @what and pvmm exits. Returns pvmm's exit status, or -1.
 */
static int boot(struct __test_metadata *_metadata, struct guest *g,
		enum guest_kind kind, const char *const *args,
		const char *extra, const char *what)
{
	struct guest_opts o = { .kind = kind, .args = args, .extra = extra };
	int status;

	if (guest_launch(g, &o))
		return -1;
	if (!guest_wait_for(g, what, BOOT_TIMEOUT_MS)) {
		TH_LOG("no \"%s\"", what);
		guest_dump(_metadata, g);
	}
	status = guest_wait_exit(g, 60000);
	if (!strstr(g->log, what))
		return -1;
	return status;
}

static int copy_file(const char *from, const char *to)
{
	char buf[65536];
	int in, out, ret = 0;
	ssize_t n;

	in = open(from, O_RDONLY | O_CLOEXEC);
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof(buf))) > 0) {
		if (write(out, buf, n) != n)
			ret = -1;
	}
	if (in < 0 || out < 0)
		ret = -1;
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return ret;
}

/* Invert the byte at @off of @path; @off < 0 counts from the end. */
static int flip_byte(const char *path, off_t off)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);
	unsigned char b;
	int ret = -1;

	if (fd < 0)
		return -1;
	if (off < 0)
		off += lseek(fd, 0, SEEK_END);
	if (pread(fd, &b, 1, off) == 1) {
		b ^= 0xff;
		ret = pwrite(fd, &b, 1, off) == 1 ? 0 : -1;
	}
	close(fd);
	return ret;
}

/* Where MODULE_MARKER lies in the image at @path, or -1. */
static off_t find_marker(const char *path)
{
	static char img[4 << 20];
	off_t at = -1;
	ssize_t n;
	char *p;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, img, sizeof(img));
	close(fd);
	if (n <= 0)
		return -1;
	p = memmem(img, n, MODULE_MARKER, strlen(MODULE_MARKER));
	if (p)
		at = p - img;
	return at;
}

/* The vendor module loads from the verified /vendor; its script runs. */
TEST_F_TIMEOUT(disk, vendor_module_loaded, 240)
{
	static const char *const args[] = { "--vendor", VENDOR_IMG, NULL };

	ASSERT_EQ(POWEROFF, boot(_metadata, &self->g, variant->kind, args,
				 "", "powering off"));
	EXPECT_NE(NULL, strstr(self->g.log, "/vendor mounted"))
		guest_dump(_metadata, &self->g);
	EXPECT_NE(NULL, strstr(self->g.log, MODULE_LOADED))
		guest_dump(_metadata, &self->g);
	EXPECT_NE(NULL, strstr(self->g.log, "pvmkit-vendor: init.sh ran"))
		guest_dump(_metadata, &self->g);
	EXPECT_EQ(NULL, strstr(self->g.log, "is corrupted"));
}

/*
 * One byte of the module's file flipped: dm-verity fails the read of that
 * block, so the module does not load. The footer and digest are intact.
 */
TEST_F_TIMEOUT(disk, flipped_byte_not_loaded, 240)
{
	static const char *const args[] = { "--vendor", VENDOR_COPY, NULL };
	off_t at;

	ASSERT_EQ(0, copy_file(VENDOR_IMG, VENDOR_COPY));
	at = find_marker(VENDOR_COPY);
	ASSERT_LE(0, at);
	ASSERT_EQ(0, flip_byte(VENDOR_COPY, at));
	ASSERT_EQ(POWEROFF, boot(_metadata, &self->g, variant->kind, args,
				 "", "powering off"));
	EXPECT_NE(NULL, strstr(self->g.log, "/vendor mounted"))
		guest_dump(_metadata, &self->g);
	EXPECT_NE(NULL, strstr(self->g.log, "is corrupted"))
		guest_dump(_metadata, &self->g);
	EXPECT_NE(NULL, strstr(self->g.log,
			       "module pvm_vendor_hello.ko not loaded"))
		guest_dump(_metadata, &self->g);
	EXPECT_EQ(NULL, strstr(self->g.log, MODULE_LOADED));
}

/*
 * A digest that is not the image's reaches the device tree: verity fails
 * the first read, nothing is mounted, no module loads.
 */
TEST_F_TIMEOUT(disk, wrong_digest_mounts_nothing, 240)
{
	static const char *const args[] = { "--vendor", VENDOR_COPY, NULL };

	ASSERT_EQ(0, copy_file(VENDOR_IMG, VENDOR_COPY));
	ASSERT_EQ(0, flip_byte(VENDOR_COPY, -FOOTER_BLOCK + FOOTER_DIGEST));
	ASSERT_EQ(POWEROFF, boot(_metadata, &self->g, variant->kind, args,
				 "", "powering off"));
	EXPECT_NE(NULL, strstr(self->g.log, "/vendor not mounted"))
		guest_dump(_metadata, &self->g);
	EXPECT_EQ(NULL, strstr(self->g.log, "/vendor mounted"));
	EXPECT_EQ(NULL, strstr(self->g.log, MODULE_LOADED));
	EXPECT_EQ(NULL, strstr(self->g.log, "init.sh ran"));
}

/* The vendor image as a plain disk: no digest, so nothing is trusted. */
TEST_F_TIMEOUT(disk, no_digest_mounts_nothing, 240)
{
	static const char *const args[] = {
		"--disk", VENDOR_IMG ",ro,id=vendor", NULL,
	};

	ASSERT_EQ(POWEROFF, boot(_metadata, &self->g, variant->kind, args,
				 "", "powering off"));
	EXPECT_NE(NULL, strstr(self->g.log,
			       "no vendor digest in the device tree"))
		guest_dump(_metadata, &self->g);
	EXPECT_EQ(NULL, strstr(self->g.log, MODULE_LOADED));
}

/* The host file holds @word at the start and in the last 4 KiB block. */
static bool image_holds(const char *word)
{
	char a[64] = "", b[64] = "";
	int fd = open(DATA_IMG, O_RDONLY | O_CLOEXEC);
	bool ok;

	if (fd < 0)
		return false;
	ok = pread(fd, a, sizeof(a) - 1, 0) > 0 &&
	     pread(fd, b, sizeof(b) - 1, DATA_SIZE - 4096) > 0;
	close(fd);
	return ok && !strncmp(a, word, strlen(word)) &&
	       !strncmp(b, word, strlen(word));
}

/*
 * A writable disk: the guest writes, syncs (a flush) and reboots; the data
 * is in the host file, and the next boot reads it back.
 */
TEST_F_TIMEOUT(disk, rw_disk_survives_reboot, 300)
{
	static const char *const args[] = {
		"--disk", DATA_IMG ",id=data", NULL,
	};
	int fd;

	fd = open(DATA_IMG, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, DATA_SIZE));
	close(fd);
	ASSERT_EQ(RESET, boot(_metadata, &self->g, variant->kind, args,
			      "pvmkit.blk=write:data:sesame",
			      "wrote data, rebooting"));
	EXPECT_TRUE(image_holds("sesame"));
	ASSERT_EQ(POWEROFF, boot(_metadata, &self->g, variant->kind, args,
				 "pvmkit.blk=read:data", "powering off"));
	EXPECT_NE(NULL, strstr(self->g.log,
			       "pvmkit-guest: data first=sesame last=sesame"))
		guest_dump(_metadata, &self->g);
}

/*
 * For a pVM the vendor digest is in the measured device tree: the same
 * image twice measures the same, an image with another digest does not.
 */
FIXTURE(measure) {
	struct guest g;
};

FIXTURE_SETUP(measure)
{
}

FIXTURE_TEARDOWN(measure)
{
	unlink(VENDOR_COPY);
}

TEST_F_TIMEOUT(measure, protected_vendor_digest, 300)
{
	static const char *const same[] = { "--vendor", VENDOR_IMG, NULL };
	static const char *const other[] = { "--vendor", VENDOR_COPY, NULL };
	const char *const *args[] = { same, same, other };
	char hex[3][65];
	int i;

	if (!pvm_loaded())
		SKIP(return, "pvm.ko is not loaded");
	ASSERT_EQ(0, copy_file(VENDOR_IMG, VENDOR_COPY));
	ASSERT_EQ(0, flip_byte(VENDOR_COPY, -FOOTER_BLOCK + FOOTER_DIGEST));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(POWEROFF, boot(_metadata, &self->g, GUEST_PROTECTED,
					 args[i], "", "powering off"));
		guest_measurement(&self->g, hex[i]);
		ASSERT_EQ(64, strlen(hex[i])) guest_dump(_metadata, &self->g);
	}
	EXPECT_STREQ(hex[0], hex[1]);
	EXPECT_STRNE(hex[0], hex[2]);
}

/* A second pvmm cannot open a writable disk the first one has. */
TEST(writable_disk_locked)
{
	static const char *const args[] = { "--disk", DATA_IMG, NULL };
	struct guest a, b;
	int fd;

	fd = open(DATA_IMG, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, DATA_SIZE));
	close(fd);
	{
		struct guest_opts o = {
			.kind = GUEST_USER_VSOCK, .args = args,
			.extra = "pvmkit.vsock=serve:1234",
		};

		ASSERT_EQ(0, guest_launch(&a, &o));
		ASSERT_TRUE(guest_wait_for(&a, "init reached",
					   BOOT_TIMEOUT_MS));
		ASSERT_EQ(0, guest_launch(&b, &o));
	}
	EXPECT_EQ(1, guest_wait_exit(&b, 30000));
	EXPECT_NE(NULL, strstr(b.log, "in use by another VM"))
		TH_LOG("%s", guest_log_tail(&b));
	kill(a.pid, SIGTERM);
	guest_wait_exit(&a, 30000);
	unlink(DATA_IMG);
}

TEST_HARNESS_MAIN
