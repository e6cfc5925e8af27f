// SPDX-License-Identifier: GPL-2.0
/*
 * DICE for protected VMs, end to end: pvmm boots the pvmkit Image as a
 * pVM, EL2 writes the CDIs it derives from the launch measurement into the
 * guest's google,open-dice region, and the guest's pvm_dice reads them at
 * /dev/open-dice0 (scripts/initramfs/guest-init, pvmkit.dice=).
 *
 * - the same launch gives the same CDIs; a changed command line, initrd
 *   byte or vCPU count gives others;
 * - what the guest seals under CDI_Seal, the same image unseals after a
 *   restart, and a changed one cannot;
 * - no page the host can read holds either CDI, or the device secret;
 * - a normal VM gets no handover.
 *
 * The guest prints only SHA-256 digests of the CDIs ("seal-id"), or the
 * CDIs XORed with 0x5a for the memory scan.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "pvm_util.h"
#include "pvmm_guest.h"

#define MEMSCAN_KO	"/pvmkit/pvm_memscan.ko"
#define MEMSCAN		"/sys/kernel/debug/pvm_memscan/scan"
#define SCAN_MASK	0x5a
#define HEX_ID		65		/* 64 hex digits and a NUL */
#define VAULT_PORT	7000
#define HOLD_PORT	7001
#define LINE_MAX_LEN	4200

/* What a guest printed about its CDIs, and what pvmm logged. */
struct dice_ids {
	char measurement[HEX_ID];
	char seal[HEX_ID];
	char attest[HEX_ID];
	char vmm_measurement[HEX_ID];
};

static void guest_dump(struct __test_metadata *_metadata, struct guest *g)
{
	TH_LOG("pvmm output (tail):\n%s", guest_log_tail(g));
}

/* The 64 hex digits after @key in @log, or "". */
static void logged_hex(const char *log, const char *key, char out[HEX_ID])
{
	const char *p = strstr(log, key);

	out[0] = '\0';
	if (p && sscanf(p + strlen(key), "%64[0-9a-f]", out) != 1)
		out[0] = '\0';
	if (strlen(out) != HEX_ID - 1)
		out[0] = '\0';
}

static void parse_ids(struct guest *g, struct dice_ids *ids)
{
	logged_hex(g->log, "pvmkit-dice: measurement ", ids->measurement);
	logged_hex(g->log, "pvmkit-dice: seal-id ", ids->seal);
	logged_hex(g->log, "pvmkit-dice: attest-id ", ids->attest);
	logged_hex(g->log, "launch measurement sha256:", ids->vmm_measurement);
}

/* Boot a pVM as @o says, with pvmkit.dice=show, to its power-off. */
static void boot_show(struct __test_metadata *_metadata, struct guest *g,
		      const char *extra, const char *initrd, unsigned int cpus,
		      struct dice_ids *ids)
{
	char cmdline[160];
	struct guest_opts o = {
		.kind = GUEST_PROTECTED,
		.extra = cmdline,
		.initrd = initrd,
		.cpus = cpus,
	};

	snprintf(cmdline, sizeof(cmdline), "pvmkit.dice=show %s", extra);
	ASSERT_EQ(0, guest_launch(g, &o));
	if (!guest_wait_for(g, "pvmkit-guest: powering off", BOOT_TIMEOUT_MS))
		guest_dump(_metadata, g);
	EXPECT_EQ(0, guest_wait_exit(g, 30000));
	parse_ids(g, ids);
	ASSERT_NE(0, ids->seal[0]) guest_dump(_metadata, g);
	ASSERT_NE(0, ids->measurement[0]) guest_dump(_metadata, g);
	ASSERT_NE(0, ids->attest[0]) guest_dump(_metadata, g);
}

FIXTURE(dice) {
	struct guest g;
};

FIXTURE_SETUP(dice)
{
	self->g.pid = 0;
	unlink(UDS_PATH);
	if (!pvm_loaded())
		SKIP(return, "pvm.ko is not loaded");
}

FIXTURE_TEARDOWN(dice)
{
	int status;

	if (self->g.pid > 0 && waitpid(self->g.pid, &status, WNOHANG) == 0) {
		kill(self->g.pid, SIGKILL);
		waitpid(self->g.pid, &status, 0);
	}
}

/*
 * Two launches of the same image get the same CDIs; the chain entry
 * records the measurement pvmm reads from KVM; the guest can wipe its
 * handover. The "# dice:" line lets make check compare boots with other
 * device secrets (scripts/dice-compare).
 */
TEST_F_TIMEOUT(dice, same_launch_same_cdis, 300)
{
	struct dice_ids a, b;

	boot_show(_metadata, &self->g, "", NULL, 0, &a);
	EXPECT_NE(NULL, strstr(self->g.log, "pvmkit-dice: wiped"));
	EXPECT_NE(NULL, strstr(self->g.log, "no DICE handover"))
		guest_dump(_metadata, &self->g);
	boot_show(_metadata, &self->g, "", NULL, 0, &b);

	EXPECT_STREQ(a.measurement, a.vmm_measurement);
	EXPECT_STREQ(a.measurement, b.measurement);
	EXPECT_STREQ(a.seal, b.seal);
	EXPECT_STREQ(a.attest, b.attest);
	EXPECT_STRNE(a.seal, a.attest);
	printf("# dice: measurement %s seal-id %s\n", a.measurement, a.seal);
}

/* @path: GUEST_INITRD with one byte of its gzip header (MTIME) changed. */
static int initrd_one_byte_changed(const char *path)
{
	static char buf[64 << 20];
	ssize_t n;
	int fd;

	fd = open(GUEST_INITRD, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n < 10 || n == sizeof(buf))
		return -1;
	buf[4] ^= 1;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	if (write(fd, buf, n) != n) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/*
 * One byte more on the kernel command line, one byte changed in the
 * initrd, or one vCPU more: another measurement, and other CDIs.
 */
TEST_F_TIMEOUT(dice, changed_launch_changes_cdis, 600)
{
	const char *initrd = "/tmp/pvm-dice-initrd.cpio.gz";
	struct dice_ids base, other[3];
	int i;

	ASSERT_EQ(0, initrd_one_byte_changed(initrd));
	boot_show(_metadata, &self->g, "", NULL, 0, &base);
	boot_show(_metadata, &self->g, "x", NULL, 0, &other[0]);
	boot_show(_metadata, &self->g, "", initrd, 0, &other[1]);
	boot_show(_metadata, &self->g, "", NULL, 2, &other[2]);
	unlink(initrd);

	for (i = 0; i < 3; i++) {
		EXPECT_STRNE(base.measurement, other[i].measurement)
			TH_LOG("change %d kept the measurement", i);
		EXPECT_STRNE(base.seal, other[i].seal)
			TH_LOG("change %d kept CDI_Seal", i);
		EXPECT_STRNE(base.attest, other[i].attest)
			TH_LOG("change %d kept CDI_Attest", i);
	}
}

/* Show the guest's pvm_dice lines in the test's output. */
static void show_dice_lines(struct guest *g)
{
	const char *p = g->log;
	int len;

	while ((p = strstr(p, "pvmkit-dice: "))) {
		len = strcspn(p, "\r\n");
		printf("# guest: %.*s\n", len, p);
		p += len;
	}
}

/*
 * Boot a pVM with pvmkit.dice=vault:VAULT_PORT, from @initrd (NULL: the
 * test guest's), send it @request on vsock, and put its one-line reply in
 * @reply.
 */
static void vault_request(struct __test_metadata *_metadata, struct guest *g,
			  const char *initrd, const char *request, char *reply)
{
	char cmdline[128];
	struct guest_opts o = {
		.kind = GUEST_PROTECTED,
		.extra = cmdline,
		.initrd = initrd,
	};
	char path[64];
	int lfd, fd;

	snprintf(cmdline, sizeof(cmdline), "pvmkit.dice=vault:%d", VAULT_PORT);
	snprintf(path, sizeof(path), "%s_%d", UDS_PATH, VAULT_PORT);
	lfd = uds_listen(path);
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, guest_launch(g, &o));
	fd = accept_timeout(lfd, BOOT_TIMEOUT_MS);
	if (fd < 0)
		guest_dump(_metadata, g);
	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)strlen(request), write(fd, request, strlen(request)));
	EXPECT_EQ(0, read_line(fd, reply, LINE_MAX_LEN))
		guest_dump(_metadata, g);
	close(fd);
	close(lfd);
	unlink(path);
	guest_wait_exit(g, 30000);
	show_dice_lines(g);
}

/*
 * The sealing demo: a pVM seals a message under a key from CDI_Seal; the
 * same image unseals it after a restart; an image with one byte of its
 * initrd changed cannot (AES-GCM authentication fails).
 */
TEST_F_TIMEOUT(dice, sealing_survives_restart, 600)
{
	const char *initrd = "/tmp/pvm-dice-initrd.cpio.gz";
	/* "sealed by pvmkit" */
	const char *text = "7365616c65642062792070766d6b6974";
	static char blob[LINE_MAX_LEN], reply[LINE_MAX_LEN];
	static char request[LINE_MAX_LEN + 16];

	ASSERT_EQ(0, initrd_one_byte_changed(initrd));
	snprintf(request, sizeof(request), "SEAL %s\n", text);
	vault_request(_metadata, &self->g, NULL, request, blob);
	ASSERT_EQ(0, strncmp(blob, "SEALED ", 7)) TH_LOG("reply: %s", blob);

	snprintf(request, sizeof(request), "UNSEAL %s\n", blob + 7);
	vault_request(_metadata, &self->g, NULL, request, reply);
	EXPECT_EQ(0, strncmp(reply, "UNSEALED ", 9)) TH_LOG("reply: %s", reply);
	EXPECT_STREQ(text, reply + 9);

	vault_request(_metadata, &self->g, initrd, request, reply);
	unlink(initrd);
	EXPECT_STREQ("ERR authentication failed", reply);
	EXPECT_NE(NULL, strstr(self->g.log, "cannot unseal"))
		guest_dump(_metadata, &self->g);
}

struct scan_result {
	unsigned long pages, unreadable, hits;
};

/* Search all host-readable memory for the bytes whose XOR 0x5a is @hex. */
static int memscan(const char *masked_hex, struct scan_result *r)
{
	char line[192];
	int fd, n;

	fd = open(MEMSCAN, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = snprintf(line, sizeof(line), "%d %s", SCAN_MASK, masked_hex);
	if (write(fd, line, n) != n) {
		close(fd);
		return -1;
	}
	n = pread(fd, line, sizeof(line) - 1, 0);
	close(fd);
	if (n <= 0)
		return -1;
	line[n] = '\0';
	if (sscanf(line, "pages %lu unreadable %lu hits %lu", &r->pages,
		   &r->unreadable, &r->hits) != 3)
		return -1;
	return 0;
}

/* pvmkit.secret_masked= from the host's command line (scripts/run-qemu). */
static void masked_device_secret(char out[HEX_ID])
{
	static char cmdline[4096];
	int fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, cmdline, sizeof(cmdline) - 1);

	if (fd >= 0)
		close(fd);
	cmdline[n > 0 ? n : 0] = '\0';
	logged_hex(cmdline, "pvmkit.secret_masked=", out);
}

/*
 * The positive control: a copy of the bytes whose XOR 0x5a is @masked_hex
 * in host memory, in a memfd's page. Returns the memfd, or -1.
 */
static int plant(const char *masked_hex)
{
	unsigned char bytes[32];
	unsigned int byte;
	size_t i;
	int fd;

	for (i = 0; i < sizeof(bytes); i++) {
		if (sscanf(masked_hex + 2 * i, "%2x", &byte) != 1)
			return -1;
		bytes[i] = byte ^ SCAN_MASK;
	}
	fd = memfd_create("pvm-dice-planted", MFD_CLOEXEC);
	if (fd >= 0 && write(fd, bytes, sizeof(bytes)) != sizeof(bytes)) {
		close(fd);
		fd = -1;
	}
	explicit_bzero(bytes, sizeof(bytes));
	return fd;
}

/* Overwrite the planted copy, then drop it. */
static void unplant(int fd)
{
	static const unsigned char zero[32];

	if (pwrite(fd, zero, sizeof(zero), 0) != sizeof(zero))
		perror("unplant");
	close(fd);
}

static void expect_no_copy(struct __test_metadata *_metadata,
			   const char *what, const char *masked_hex)
{
	struct scan_result r;

	ASSERT_EQ(0, memscan(masked_hex, &r));
	EXPECT_EQ(0, r.hits) TH_LOG("%s found in host memory", what);
	EXPECT_LT(0, r.unreadable) TH_LOG("every page was readable");
	TH_LOG("%s: %lu pages scanned, %lu unreadable, %lu hits", what,
	       r.pages, r.unreadable, r.hits);
}

/*
 * While a pVM holds its CDIs, a host module reading every page of RAM it
 * can finds neither of them, nor the device secret EL2 took at boot. The
 * same scan finds a copy the test plants in a memfd, so it can see one.
 */
TEST_F_TIMEOUT(dice, host_memory_holds_no_cdi, 900)
{
	char attest[HEX_ID], seal[HEX_ID], secret[HEX_ID], reply[32];
	struct scan_result r;
	int planted;
	char hold[32];
	int fd;

	if (!test_module_load(MEMSCAN_KO, MEMSCAN))
		SKIP(return, "cannot load " MEMSCAN_KO);
	snprintf(hold, sizeof(hold), "pvmkit.dice=hold:%d", HOLD_PORT);
	ASSERT_EQ(0, guest_start_kind(&self->g, hold, GUEST_PROTECTED));
	if (!guest_wait_for(&self->g, "listening on port", BOOT_TIMEOUT_MS))
		guest_dump(_metadata, &self->g);
	logged_hex(self->g.log, "pvmkit-dice: masked attest ", attest);
	logged_hex(self->g.log, "pvmkit-dice: masked seal ", seal);
	ASSERT_NE(0, attest[0]) guest_dump(_metadata, &self->g);
	ASSERT_NE(0, seal[0]) guest_dump(_metadata, &self->g);

	expect_no_copy(_metadata, "CDI_Attest", attest);
	expect_no_copy(_metadata, "CDI_Seal", seal);
	masked_device_secret(secret);
	if (secret[0])
		expect_no_copy(_metadata, "the device secret", secret);
	else
		TH_LOG("no device secret on this boot's command line");

	planted = plant(seal);
	ASSERT_LE(0, planted);
	EXPECT_EQ(0, memscan(seal, &r));
	unplant(planted);
	EXPECT_LE(1, r.hits) TH_LOG("the scan missed a planted copy");

	fd = uds_connect(UDS_PATH);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, host_connect(fd, HOLD_PORT, reply, sizeof(reply)));
	close(fd);
	EXPECT_EQ(0, guest_wait_exit(&self->g, 60000));
}

/* A normal VM has no DICE region, and so no handover. */
TEST_F_TIMEOUT(dice, normal_vm_has_no_handover, 300)
{
	ASSERT_EQ(0, guest_start_kind(&self->g, "pvmkit.dice=show",
				      GUEST_USER_VSOCK));
	if (!guest_wait_for(&self->g, "pvmkit-guest: powering off",
			    BOOT_TIMEOUT_MS))
		guest_dump(_metadata, &self->g);
	EXPECT_EQ(0, guest_wait_exit(&self->g, 30000));
	EXPECT_NE(NULL, strstr(self->g.log, "no DICE handover"))
		guest_dump(_metadata, &self->g);
	EXPECT_EQ(NULL, strstr(self->g.log, "seal-id"));
}

TEST_HARNESS_MAIN
