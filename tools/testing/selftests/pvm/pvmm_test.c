// SPDX-License-Identifier: GPL-2.0
/*
 * pvmm end to end: boot the pvmkit Image as a guest to its init, relay vsock
 * both ways through pvmm's Firecracker-style Unix socket, and check that a
 * SIGKILLed pvmm leaves nothing behind that stops the next one. The same
 * echoes run over AF_VSOCK with --vsock-backend vhost (vhost-vsock).
 *
 * The guest's init (scripts/initramfs/guest-init) takes its vsock role from
 * pvmkit.vsock= on its command line and prints progress lines on hvc0, which
 * pvmm copies to its stdout.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/vm_sockets.h>

#include "../kselftest_harness.h"
#include "pvm_util.h"
#include "pvmm_guest.h"

#define VHOST_VSOCK	"/dev/vhost-vsock"

static int guest_start_backend(struct guest *g, const char *extra, bool vhost)
{
	return guest_start_kind(g, extra, vhost ? GUEST_VHOST_VSOCK :
						   GUEST_USER_VSOCK);
}

static int guest_start(struct guest *g, const char *extra)
{
	return guest_start_backend(g, extra, false);
}

static void guest_dump(struct __test_metadata *_metadata, struct guest *g)
{
	TH_LOG("pvmm output (tail):\n%s", guest_log_tail(g));
}

static int vsock_connect(unsigned int cid, unsigned int port)
{
	struct sockaddr_vm sa = {
		.svm_family = AF_VSOCK,
		.svm_cid = cid,
		.svm_port = port,
	};
	int fd;

	fd = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

static int vsock_listen(unsigned int port)
{
	struct sockaddr_vm sa = {
		.svm_family = AF_VSOCK,
		.svm_cid = VMADDR_CID_ANY,
		.svm_port = port,
	};
	int fd;

	fd = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 1)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Round-trip len bytes through the guest's echo. */
static int host_echo(int fd, size_t len)
{
	char *out = malloc(len), *in = malloc(len);
	size_t i, sent = 0;
	int ret = -1;

	if (!out || !in)
		goto out;
	for (i = 0; i < len; i++)
		out[i] = (char)(i * 7 + 3);
	/* Send in chunks and read back as we go: credit, not buffering. */
	while (sent < len) {
		size_t chunk = len - sent < 4096 ? len - sent : 4096;

		if (write(fd, out + sent, chunk) != (ssize_t)chunk ||
		    read_full(fd, in + sent, chunk)) {
			fprintf(stderr, "# %s: stopped at %zu of %zu: %s\n",
				__func__, sent, len, strerror(errno));
			goto out;
		}
		sent += chunk;
	}
	for (i = 0; i < len && in[i] == out[i]; i++)
		;
	if (i < len)
		fprintf(stderr, "# %s: byte %zu of %zu: got 0x%02x, sent 0x%02x\n",
			__func__, i, len, (unsigned char)in[i],
			(unsigned char)out[i]);
	ret = i < len ? -1 : 0;
out:
	free(out);
	free(in);
	return ret;
}

/* The guest's echo server is up; if not, show why. */
static bool guest_listening(struct __test_metadata *_metadata, struct guest *g)
{
	if (!guest_wait_for(g, "listening on port 1234", BOOT_TIMEOUT_MS))
		guest_dump(_metadata, g);
	return strstr(g->log, "listening on port 1234");
}

/* Echo through @fd, close it, and the guest must report and power off. */
static void echo_until_served(struct __test_metadata *_metadata,
			      struct guest *g, int fd)
{
	/* 256 KiB: several times the guest's default buffer, so credit flows */
	EXPECT_EQ(0, host_echo(fd, 256 * 1024)) {
		guest_wait_for(g, "\1never\1", 2000);
		guest_dump(_metadata, g);
	}
	close(fd);
	if (!guest_wait_for(g, "pvmkit-guest: served", 30000))
		guest_dump(_metadata, g);
	EXPECT_NE(NULL, strstr(g->log, "pvmkit-guest: served"));
	EXPECT_EQ(0, guest_wait_exit(g, 30000));
}

FIXTURE(pvmm) {
	struct guest g;
};

FIXTURE_SETUP(pvmm)
{
	self->g.pid = 0;
	unlink(UDS_PATH);
}

FIXTURE_TEARDOWN(pvmm)
{
	int status;

	if (self->g.pid > 0 && waitpid(self->g.pid, &status, WNOHANG) == 0) {
		kill(self->g.pid, SIGKILL);
		waitpid(self->g.pid, &status, 0);
	}
}

/* The guest kernel boots to its init, then powers off: pvmm exits 0. */
static void boot_to_init(struct __test_metadata *_metadata, struct guest *g,
			 enum guest_kind kind)
{
	ASSERT_EQ(0, guest_start_kind(g, "", kind));
	if (!guest_wait_for(g, "pvmkit-guest: init reached", BOOT_TIMEOUT_MS))
		guest_dump(_metadata, g);
	ASSERT_NE(NULL, strstr(g->log, "pvmkit-guest: init reached"));
	EXPECT_EQ(0, guest_wait_exit(g, 30000));
}

/* A host client reaches a guest listener through CONNECT <port>. */
static void vsock_host_to_guest(struct __test_metadata *_metadata,
				struct guest *g, enum guest_kind kind)
{
	char line[64];
	int fd;

	ASSERT_EQ(0, guest_start_kind(g, "pvmkit.vsock=serve:1234", kind));
	ASSERT_TRUE(guest_listening(_metadata, g));

	fd = uds_connect(UDS_PATH);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, host_connect(fd, 1234, line, sizeof(line)));
	EXPECT_EQ(0, strncmp(line, "OK ", 3)) TH_LOG("reply: %s", line);
	echo_until_served(_metadata, g, fd);
}

/* A guest connecting to CID 2 port P reaches <uds>_P on the host. */
static void vsock_guest_to_host(struct __test_metadata *_metadata,
				struct guest *g, enum guest_kind kind)
{
	const char *msg = "hello-from-the-guest";
	char buf[64] = "";
	int lfd, fd;

	lfd = uds_listen(UDS_PATH "_5678");
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, guest_start_kind(g, "pvmkit.vsock=connect:5678:hello-from-the-guest",
				      kind));
	fd = accept_timeout(lfd, BOOT_TIMEOUT_MS);
	if (fd < 0)
		guest_dump(_metadata, g);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, read_full(fd, buf, strlen(msg)));
	EXPECT_STREQ(msg, buf);
	ASSERT_EQ((ssize_t)strlen(msg), write(fd, buf, strlen(msg)));
	if (!guest_wait_for(g, "pvmkit-guest: echo ok", 30000))
		guest_dump(_metadata, g);
	EXPECT_NE(NULL, strstr(g->log, "pvmkit-guest: echo ok"));
	EXPECT_EQ(0, guest_wait_exit(g, 30000));
	close(fd);
	close(lfd);
	unlink(UDS_PATH "_5678");
}

TEST_F_TIMEOUT(pvmm, boot_to_init, 180)
{
	boot_to_init(_metadata, &self->g, GUEST_USER_VSOCK);
}

TEST_F_TIMEOUT(pvmm, vsock_host_to_guest, 180)
{
	vsock_host_to_guest(_metadata, &self->g, GUEST_USER_VSOCK);
}

TEST_F_TIMEOUT(pvmm, vsock_guest_to_host, 180)
{
	vsock_guest_to_host(_metadata, &self->g, GUEST_USER_VSOCK);
}

/*
 * An unmodified 6.12 guest with CONFIG_ARM_PKVM_GUEST boots as a pVM: it
 * finds the pKVM services and does all its virtio DMA through the
 * restricted DMA pool it shares. Its memory goes back to the host, zeroed,
 * when it powers off.
 */
TEST_F_TIMEOUT(pvmm, protected_boot_to_init, 180)
{
	if (!pvm_loaded())
		SKIP(return, "pvm.ko is not loaded");
	boot_to_init(_metadata, &self->g, GUEST_PROTECTED);
	EXPECT_NE(NULL, strstr(self->g.log, "hypervisor services detected"))
		guest_dump(_metadata, &self->g);
	EXPECT_NE(NULL, strstr(self->g.log, "restricted-dma-pool"))
		guest_dump(_metadata, &self->g);
	EXPECT_EQ(0, pvm_sysfs_long("pages_donated"));
}

/*
 * The same guest booted twice as a pVM has the same launch measurement;
 * one byte more on its kernel command line (in the measured device tree)
 * gives another.
 */
TEST_F_TIMEOUT(pvmm, protected_launch_measured, 300)
{
	static const char * const extra[] = { "", "", "x" };
	char hex[3][65];
	int i;

	if (!pvm_loaded())
		SKIP(return, "pvm.ko is not loaded");
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, guest_start_kind(&self->g, extra[i],
					      GUEST_PROTECTED));
		ASSERT_TRUE(guest_wait_for(&self->g, "init reached",
					   BOOT_TIMEOUT_MS));
		EXPECT_EQ(0, guest_wait_exit(&self->g, 30000));
		guest_measurement(&self->g, hex[i]);
		ASSERT_EQ(64, strlen(hex[i])) guest_dump(_metadata, &self->g);
	}
	EXPECT_STREQ(hex[0], hex[1]);
	EXPECT_STRNE(hex[0], hex[2]);
}

TEST_F_TIMEOUT(pvmm, protected_vsock_host_to_guest, 180)
{
	if (!pvm_loaded())
		SKIP(return, "pvm.ko is not loaded");
	vsock_host_to_guest(_metadata, &self->g, GUEST_PROTECTED);
}

TEST_F_TIMEOUT(pvmm, protected_vsock_guest_to_host, 180)
{
	if (!pvm_loaded())
		SKIP(return, "pvm.ko is not loaded");
	vsock_guest_to_host(_metadata, &self->g, GUEST_PROTECTED);
}

/*
 * SIGKILL mid-run: the kernel reclaims the VM, and nothing pvmm left behind
 * (its Unix socket) stops the next pvmm from relaying on the same path.
 */
TEST_F_TIMEOUT(pvmm, sigkill_leaves_no_stale_state, 300)
{
	struct guest *g = &self->g;
	char line[64];
	int fd, status;

	ASSERT_EQ(0, guest_start(g, "pvmkit.vsock=serve:1234"));
	ASSERT_TRUE(guest_wait_for(g, "listening on port 1234", BOOT_TIMEOUT_MS));
	ASSERT_EQ(0, kill(g->pid, SIGKILL));
	ASSERT_EQ(g->pid, waitpid(g->pid, &status, 0));
	ASSERT_TRUE(WIFSIGNALED(status));
	close(g->out);
	g->pid = 0;

	ASSERT_EQ(0, guest_start(g, "pvmkit.vsock=serve:1234"));
	ASSERT_TRUE(guest_listening(_metadata, g));
	fd = uds_connect(UDS_PATH);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, host_connect(fd, 1234, line, sizeof(line)));
	EXPECT_EQ(0, strncmp(line, "OK ", 3));
	EXPECT_EQ(0, host_echo(fd, 4096));
	close(fd);
	EXPECT_EQ(0, guest_wait_exit(g, 60000));
}

/* How many file descriptors @pid has open; -1 if unknown. */
static int fd_count(pid_t pid)
{
	char path[64];
	struct dirent *d;
	DIR *dir;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	dir = opendir(path);
	if (!dir)
		return -1;
	while ((d = readdir(dir)))
		n += d->d_name[0] != '.';
	closedir(dir);
	return n;
}

/*
 * pvmm's fd count once it is at most @max, or what it is after 20 s: the
 * clients it closes are gone only once it has seen them.
 */
static int fd_count_settled(struct guest *g, int max)
{
	long long deadline = now_ms() + 20000;
	int n;

	while ((n = fd_count(g->pid)) > max && now_ms() < deadline)
		guest_wait_for(g, "\1never\1", 50);	/* keep pvmm unblocked */
	return n;
}

/*
 * A client that sends @len bytes of @line: true if pvmm (or the guest)
 * closes it without "OK", within 10 s.
 */
static bool refused(struct guest *g, const void *line, size_t len)
{
	struct pollfd pfd = { .events = POLLIN };
	char buf[64];
	ssize_t n = 1;

	pfd.fd = uds_connect(UDS_PATH);
	if (pfd.fd < 0)
		return false;
	/* An 8 KiB line may be cut short by pvmm closing: that is fine. */
	send(pfd.fd, line, len, MSG_NOSIGNAL);
	if (poll(&pfd, 1, 10000) == 1)
		n = read(pfd.fd, buf, sizeof(buf));
	close(pfd.fd);
	guest_wait_for(g, "\1never\1", 0);
	return n == 0 || (n < 0 && errno == ECONNRESET);
}

#define HALF_OPEN	300

/*
 * What a hostile or broken host client can do to pvmm's socket: nine bad
 * CONNECT lines, each closed without OK; then HALF_OPEN clients that send
 * "CONN" and hold on, while a good client connects and echoes 4 KiB. Every
 * half-open client is closed (the oldest when the table is full, the rest
 * at the 2 s deadline), pvmm's fds come back to where they were, and it
 * exits 0 when the guest powers off.
 */
static void vsock_abuse(struct __test_metadata *_metadata, struct guest *g,
			enum guest_kind kind)
{
	static const struct {
		const char *what, *line;
		size_t len;
	} bad[] = {
		{ "no newline", "CONNECT 1234", 12 },
		{ "not a number", "CONNECT abc\n", 12 },
		{ "too large", "CONNECT 4294967296\n", 19 },
		{ "negative", "CONNECT -1\n", 11 },
		{ "lowercase", "connect 1234\n", 13 },
		{ "NUL", "CONNECT 12\00034\n", 14 },
		{ "nobody listening", "CONNECT 4321\n", 13 },
		{ "empty", "\n", 1 },
	};
	static char long_line[8192];
	int half[HALF_OPEN], fd, fds, i, closed = 0;
	char line[64];
	bool ok;

	ASSERT_EQ(0, guest_start_kind(g, "pvmkit.vsock=serve:1234", kind));
	ASSERT_TRUE(guest_listening(_metadata, g));
	fds = fd_count(g->pid);
	ASSERT_LT(0, fds);

	for (i = 0; i < (int)ARRAY_SIZE(bad); i++) {
		ok = refused(g, bad[i].line, bad[i].len);
		if (!ok)
			TH_LOG("bad CONNECT: %s", bad[i].what);
		EXPECT_TRUE(ok);
	}
	memset(long_line, 'A', sizeof(long_line));
	EXPECT_TRUE(refused(g, long_line, sizeof(long_line)))
		TH_LOG("bad CONNECT: 8 KiB line");

	for (i = 0; i < HALF_OPEN; i++) {
		half[i] = uds_connect(UDS_PATH);
		ASSERT_LE(0, half[i]) TH_LOG("half-open client %d", i);
		ASSERT_EQ(4, write(half[i], "CONN", 4));
		if (!(i % 32))
			guest_wait_for(g, "\1never\1", 0);
	}
	fd = uds_connect(UDS_PATH);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, host_connect(fd, 1234, line, sizeof(line)));
	EXPECT_EQ(0, strncmp(line, "OK ", 3)) TH_LOG("reply: %s", line);
	EXPECT_EQ(0, host_echo(fd, 4096));

	/* Every half-open client closed by pvmm; the good one still open. */
	EXPECT_GE(fds + 1 + 2, fd_count_settled(g, fds + 1));
	for (i = 0; i < HALF_OPEN; i++) {
		if (read(half[i], line, sizeof(line)) <= 0)
			closed++;
		close(half[i]);
	}
	EXPECT_EQ(HALF_OPEN, closed);
	close(fd);
	if (!guest_wait_for(g, "pvmkit-guest: served", 30000))
		guest_dump(_metadata, g);
	EXPECT_EQ(0, guest_wait_exit(g, 30000));
}

TEST_F_TIMEOUT(pvmm, vsock_abuse, 300)
{
	vsock_abuse(_metadata, &self->g, GUEST_USER_VSOCK);
}

TEST_F_TIMEOUT(pvmm, protected_vsock_abuse, 300)
{
	if (!pvm_loaded())
		SKIP(return, "pvm.ko is not loaded");
	vsock_abuse(_metadata, &self->g, GUEST_PROTECTED);
}

/* One bad client of four kinds, picked by @i; true if refused. */
static bool one_bad(struct guest *g, int i)
{
	int fd;

	switch (i % 4) {
	case 0:
		return refused(g, "CONNECT x\n", 10);
	case 1:
		return refused(g, "CONNECT 4321\n", 13);
	case 2:
		fd = uds_connect(UDS_PATH);	/* half a line, then gone */
		if (fd < 0 || write(fd, "CONNE", 5) != 5)
			return false;
		close(fd);
		return true;
	default:
		fd = uds_connect(UDS_PATH);	/* gone without a word */
		if (fd < 0)
			return false;
		close(fd);
		return true;
	}
}

/* A good client: CONNECT, OK, 64 bytes echoed, closed. */
static bool one_good(void)
{
	char line[64];
	bool ok;
	int fd = uds_connect(UDS_PATH);

	if (fd < 0)
		return false;
	ok = !host_connect(fd, 1234, line, sizeof(line)) &&
	     !strncmp(line, "OK ", 3) && !host_echo(fd, 64);
	close(fd);
	return ok;
}

#define CYCLES_WARM	10

/*
 * PVMM_VSOCK_CYCLES (200; make fuzz runs 10000) cycles of one bad client
 * and one good one: pvmm's fd count ends within 2 of where it was before
 * the first, and its anonymous memory (RssAnon: its heap, not guest
 * memory) within 256 KiB of where it was after CYCLES_WARM cycles.
 */
TEST_F_TIMEOUT(pvmm, vsock_cycles_leak_nothing, 3600)
{
	const char *env = getenv("PVMM_VSOCK_CYCLES");
	int cycles = env ? atoi(env) : 200, i, fds, bad = 0, good = 0;
	struct guest *g = &self->g;
	char extra[64], status[64];
	long rss;

	ASSERT_LT(CYCLES_WARM, cycles);
	snprintf(extra, sizeof(extra), "pvmkit.vsock=serve:1234:%d", cycles);
	ASSERT_EQ(0, guest_start(g, extra));
	ASSERT_TRUE(guest_listening(_metadata, g));
	snprintf(status, sizeof(status), "/proc/%d/status", (int)g->pid);
	fds = fd_count(g->pid);
	ASSERT_LT(0, fds);
	rss = 0;
	for (i = 0; i < cycles; i++) {
		if (i == CYCLES_WARM)
			rss = proc_kib(status, "RssAnon");
		bad += one_bad(g, i);
		if (!one_good()) {
			TH_LOG("cycle %d: the good client failed: %s", i,
			       strerror(errno));
			guest_wait_for(g, "\1never\1", 1000);
			guest_dump(_metadata, g);
			break;
		}
		good++;
		guest_wait_for(g, "\1never\1", 0);
		if (i % 1000 == 999)
			TH_LOG("%d cycles: %d bad and %d good refused or served, pvmm has %d fds",
			       i + 1, bad, good, fd_count(g->pid));
	}
	EXPECT_EQ(cycles, bad);
	EXPECT_EQ(cycles, good);
	EXPECT_GE(fds + 2, fd_count_settled(g, fds));
	EXPECT_GE(rss + 256, proc_kib(status, "RssAnon"));
	TH_LOG("%d cycles: pvmm fds %d -> %d, RssAnon %ld -> %ld kB", cycles,
	       fds, fd_count(g->pid), rss, proc_kib(status, "RssAnon"));
	if (!guest_wait_for(g, "pvmkit-guest: served", 30000))
		guest_dump(_metadata, g);
	EXPECT_EQ(0, guest_wait_exit(g, 30000));
}

/* Host to guest over vhost-vsock: AF_VSOCK to the guest's CID. */
TEST_F_TIMEOUT(pvmm, vhost_host_to_guest, 180)
{
	struct guest *g = &self->g;
	int fd;

	if (access(VHOST_VSOCK, R_OK | W_OK))
		SKIP(return, "no %s", VHOST_VSOCK);
	ASSERT_EQ(0, guest_start_backend(g, "pvmkit.vsock=serve:1234", true));
	ASSERT_TRUE(guest_listening(_metadata, g));

	fd = vsock_connect(atoi(GUEST_CID), 1234);
	ASSERT_LE(0, fd) TH_LOG("connect: %s", strerror(errno));
	echo_until_served(_metadata, g, fd);
}

/* Guest to host over vhost-vsock: the guest reaches a CID 2 listener. */
TEST_F_TIMEOUT(pvmm, vhost_guest_to_host, 180)
{
	const char *msg = "hello-over-vhost";
	struct guest *g = &self->g;
	char buf[64] = "";
	int lfd, fd;

	if (access(VHOST_VSOCK, R_OK | W_OK))
		SKIP(return, "no %s", VHOST_VSOCK);
	lfd = vsock_listen(5679);
	ASSERT_LE(0, lfd) TH_LOG("listen: %s", strerror(errno));
	ASSERT_EQ(0, guest_start_backend(g, "pvmkit.vsock=connect:5679:hello-over-vhost",
					 true));
	fd = accept_timeout(lfd, BOOT_TIMEOUT_MS);
	if (fd < 0)
		guest_dump(_metadata, g);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, read_full(fd, buf, strlen(msg)));
	EXPECT_STREQ(msg, buf);
	ASSERT_EQ((ssize_t)strlen(msg), write(fd, buf, strlen(msg)));
	if (!guest_wait_for(g, "pvmkit-guest: echo ok", 30000))
		guest_dump(_metadata, g);
	EXPECT_NE(NULL, strstr(g->log, "pvmkit-guest: echo ok"));
	EXPECT_EQ(0, guest_wait_exit(g, 30000));
	close(fd);
	close(lfd);
}

/* vhost would read all of a protected guest's memory: refused up front. */
TEST(vhost_refused_for_protected)
{
	char out[512] = "";
	int pipefd[2], status, lines = 0;
	ssize_t n, len = 0;
	pid_t pid;
	char *p;

	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		dup2(pipefd[1], STDERR_FILENO);
		execl(PVMM, PVMM, "run", "--kernel", GUEST_KERNEL, "--protected",
		      "--vsock-cid", GUEST_CID, "--vsock-backend", "vhost",
		      (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	while ((n = read(pipefd[0], out + len, sizeof(out) - 1 - len)) > 0)
		len += n;
	close(pipefd[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(2, WEXITSTATUS(status));
	for (p = out; *p; p++)
		lines += *p == '\n';
	EXPECT_EQ(1, lines) TH_LOG("output: %s", out);
	EXPECT_NE(NULL, strstr(out, "protected")) TH_LOG("output: %s", out);
}

/* Bad command lines: one line on stderr and a non-zero exit, no VM. */
TEST(cli_errors)
{
	static const char *const bad[][6] = {
		{ "run", NULL },
		{ "run", "--kernel", "/nonexistent", NULL },
		{ "run", "--kernel", GUEST_KERNEL, "--mem", "0", NULL },
		{ "run", "--kernel", GUEST_KERNEL, "--cpus", "x", NULL },
		{ "frobnicate", NULL },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		char *argv[8] = { PVMM };
		int status, j;
		pid_t pid;

		for (j = 0; bad[i][j]; j++)
			argv[j + 1] = (char *)bad[i][j];
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			int null = open("/dev/null", O_WRONLY);

			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
			execv(PVMM, argv);
			_exit(127);
		}
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		ASSERT_TRUE(WIFEXITED(status));
		EXPECT_NE(0, WEXITSTATUS(status)) TH_LOG("case %u", i);
		EXPECT_NE(127, WEXITSTATUS(status));
	}
}

TEST_HARNESS_MAIN
