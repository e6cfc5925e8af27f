// SPDX-License-Identifier: GPL-2.0
/*
 * pvmm's lifecycle commands end to end: "pvmm list", "pvmm console ID" and
 * "pvmm stop ID" against running pvmms, a normal VM and a pVM at once;
 * a stale control socket left by a SIGKILLed pvmm; unknown IDs and bad
 * command lines.
 *
 * The guests run pvmkit.console=echo (scripts/initramfs/guest-init): they
 * answer each line on their console with "pvmkit-guest: got <line>".
 * Every pvmm here registers in RT_DIR ($PVMM_RUNTIME_DIR).
 */
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "pvm_util.h"
#include "pvmm_guest.h"

#define RT_DIR		"/tmp/pvmm-ctl-test"
#define UDS_A		"/tmp/pvmm-ctl-a.vsock"
#define UDS_B		"/tmp/pvmm-ctl-b.vsock"
#define ECHO_READY	"pvmkit-guest: console echo ready"
/* Two guests boot at once on the two CPUs, one of them a pVM. */
#define BOTH_BOOT_MS	(3 * BOOT_TIMEOUT_MS)
#define CMD_TIMEOUT_MS	120000
#define EXIT_STOPPED	5	/* pvmm run: ended by pvmm stop */
#define EXIT_NO_VM	6	/* pvmm console, stop: no such VM */

/* What a pvmm command printed, and how it ended. */
struct cmd {
	int status;		/* exit status, or -1 */
	char out[4096];
	char err[1024];
};

/* One row of "pvmm list". */
struct row {
	char cid[16];
	int pid;
	char prot[8];
	unsigned int cpus;
	unsigned long long mem;
	unsigned long long uptime;
};

static void drain(int fd, char *buf, size_t size, size_t *len, bool *open)
{
	ssize_t n = read(fd, buf + *len, size - 1 - *len);

	if (n <= 0) {
		*open = false;
		return;
	}
	*len += n;
	buf[*len] = '\0';
}

/* Run "pvmm <args>" with stdin /dev/null, and wait for it. */
static void run_pvmm(struct cmd *c, const char *const *args)
{
	const char *argv[8] = { PVMM };
	int out[2], err[2], status, i;
	long long deadline = now_ms() + CMD_TIMEOUT_MS;
	size_t olen = 0, elen = 0;
	bool oopen = true, eopen = true;
	pid_t pid;

	for (i = 0; args[i] && i < 6; i++)
		argv[i + 1] = args[i];
	c->status = -1;
	c->out[0] = '\0';
	c->err[0] = '\0';
	if (pipe(out) || pipe(err))
		return;
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		dup2(null, STDIN_FILENO);
		dup2(out[1], STDOUT_FILENO);
		dup2(err[1], STDERR_FILENO);
		execv(PVMM, (char **)argv);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	while ((oopen || eopen) && now_ms() < deadline) {
		struct pollfd p[2] = {
			{ .fd = oopen ? out[0] : -1, .events = POLLIN },
			{ .fd = eopen ? err[0] : -1, .events = POLLIN },
		};

		if (poll(p, 2, 1000) < 0)
			break;
		if (p[0].revents)
			drain(out[0], c->out, sizeof(c->out), &olen, &oopen);
		if (p[1].revents)
			drain(err[0], c->err, sizeof(c->err), &elen, &eopen);
	}
	close(out[0]);
	close(err[0]);
	if (oopen || eopen)
		kill(pid, SIGKILL);
	if (waitpid(pid, &status, 0) == pid && WIFEXITED(status))
		c->status = WEXITSTATUS(status);
}

/* run_pvmm() with the arguments, NULL-ended, as a list; its status. */
static __attribute__((sentinel)) int pvmm_cmd(struct cmd *c, ...)
{
	const char *args[8];
	va_list ap;
	int n = 0;

	va_start(ap, c);
	while (n < 7 && (args[n] = va_arg(ap, const char *)))
		n++;
	args[n] = NULL;
	va_end(ap);
	run_pvmm(c, args);
	return c->status;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* The row of @list for @pid. */
static bool find_row(const char *list, pid_t pid, struct row *r)
{
	const char *p = strchr(list, '\n');

	while (p && p[1]) {
		p++;
		if (sscanf(p, "%15s %d %7s %u %llu %llu", r->cid, &r->pid,
			   r->prot, &r->cpus, &r->mem, &r->uptime) == 6 &&
		    r->pid == pid)
			return true;
		p = strchr(p, '\n');
	}
	return false;
}

/*
 * "pvmm console <id>" as a struct guest (its output is read the same
 * way); *@in is its stdin.
 */
static int console_start(struct guest *c, int *in, const char *id)
{
	int ip[2], op[2];

	if (pipe2(ip, O_CLOEXEC) || pipe2(op, O_CLOEXEC))
		return -1;
	c->len = 0;
	c->log[0] = '\0';
	c->pid = fork();
	if (c->pid < 0)
		return -1;
	if (c->pid == 0) {
		dup2(ip[0], STDIN_FILENO);
		dup2(op[1], STDOUT_FILENO);
		dup2(op[1], STDERR_FILENO);
		execl(PVMM, PVMM, "console", id, (char *)NULL);
		_exit(127);
	}
	close(ip[0]);
	close(op[1]);
	c->out = op[0];
	*in = ip[1];
	return 0;
}

static int count_socks(void)
{
	struct dirent *de;
	DIR *d = opendir(RT_DIR);
	int n = 0;

	while (d && (de = readdir(d)))
		n += !!strstr(de->d_name, ".sock");
	if (d)
		closedir(d);
	return n;
}

static void rm_rt_dir(void)
{
	char path[512];
	struct dirent *de;
	DIR *d = opendir(RT_DIR);

	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), RT_DIR "/%s", de->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(RT_DIR);
}

static void reap(struct guest *g)
{
	int status;

	if (g->pid > 0 && waitpid(g->pid, &status, WNOHANG) == 0) {
		kill(g->pid, SIGKILL);
		waitpid(g->pid, &status, 0);
	}
	g->pid = 0;
}

FIXTURE(ctl) {
	struct guest a, b, con;
};

FIXTURE_SETUP(ctl)
{
	self->a.pid = 0;
	self->b.pid = 0;
	self->con.pid = 0;
	rm_rt_dir();
	unlink(UDS_A);
	unlink(UDS_B);
	ASSERT_EQ(0, setenv("PVMM_RUNTIME_DIR", RT_DIR, 1));
}

FIXTURE_TEARDOWN(ctl)
{
	reap(&self->con);
	reap(&self->a);
	reap(&self->b);
	rm_rt_dir();
	unlink(UDS_A);
	unlink(UDS_B);
}

static void dump(struct __test_metadata *_metadata, const char *what,
		 struct guest *g)
{
	TH_LOG("%s output (tail):\n%s", what, guest_log_tail(g));
}

/*
 * "pvmm console <id>" on a guest: a line goes in, the guest's answer comes
 * out, to the client and to pvmm's own stdout; the client ends with 0 at
 * EOF on its stdin.
 */
static void console_echo(struct __test_metadata *_metadata, struct guest *g,
			 struct guest *con, const char *id, const char *word)
{
	char line[64], answer[96];
	int in;

	snprintf(line, sizeof(line), "%s\n", word);
	snprintf(answer, sizeof(answer), "pvmkit-guest: got %s", word);
	ASSERT_EQ(0, console_start(con, &in, id));
	ASSERT_EQ((ssize_t)strlen(line), write(in, line, strlen(line)));
	if (!guest_wait_for(con, answer, 30000))
		dump(_metadata, "pvmm console", con);
	EXPECT_NE(NULL, strstr(con->log, answer));
	if (!guest_wait_for(g, answer, 30000))
		dump(_metadata, "pvmm run", g);
	EXPECT_NE(NULL, strstr(g->log, answer));
	close(in);
	EXPECT_EQ(0, guest_wait_exit(con, 30000))
		dump(_metadata, "pvmm console", con);
	con->pid = 0;
}

/*
 * A normal VM and a pVM at once: both listed with their fields, each one's
 * console answers, and "pvmm stop" ends both as SIGTERM would: exit 5,
 * every donated page back, nothing left listed or in the runtime
 * directory.
 */
TEST_F_TIMEOUT(ctl, two_vms, 540)
{
	struct guest_opts oa = {
		.kind = GUEST_USER_VSOCK, .extra = "pvmkit.console=echo",
		.cid = "3", .uds = UDS_A,
	};
	struct guest_opts ob = {
		.kind = GUEST_PROTECTED, .extra = "pvmkit.console=echo",
		.cid = "4", .uds = UDS_B, .cpus = 2,
	};
	char pid_id[32];
	struct stat st;
	struct cmd c;
	struct row r;

	if (!pvm_loaded())
		SKIP(return, "pvm.ko is not loaded");
	ASSERT_EQ(0, guest_launch(&self->a, &oa));
	ASSERT_EQ(0, guest_launch(&self->b, &ob));
	if (!guest_wait_for(&self->a, ECHO_READY, BOTH_BOOT_MS))
		dump(_metadata, "VM a", &self->a);
	ASSERT_NE(NULL, strstr(self->a.log, ECHO_READY));
	if (!guest_wait_for(&self->b, ECHO_READY, BOTH_BOOT_MS))
		dump(_metadata, "VM b", &self->b);
	ASSERT_NE(NULL, strstr(self->b.log, ECHO_READY));

	/* pvmm made the runtime directory, for its user only. */
	ASSERT_EQ(0, stat(RT_DIR, &st));
	EXPECT_EQ(0700U, st.st_mode & 0777);

	ASSERT_EQ(0, pvmm_cmd(&c, "list", NULL)) TH_LOG("%s", c.err);
	EXPECT_EQ(3, count_lines(c.out)) TH_LOG("%s", c.out);
	EXPECT_EQ(0, strncmp(c.out, "CID ", 4)) TH_LOG("%s", c.out);
	ASSERT_TRUE(find_row(c.out, self->a.pid, &r)) TH_LOG("%s", c.out);
	EXPECT_STREQ("3", r.cid);
	EXPECT_STREQ("no", r.prot);
	EXPECT_EQ(1U, r.cpus);
	EXPECT_EQ(256ULL, r.mem);
	EXPECT_GT(600ULL, r.uptime);
	ASSERT_TRUE(find_row(c.out, self->b.pid, &r)) TH_LOG("%s", c.out);
	EXPECT_STREQ("4", r.cid);
	EXPECT_STREQ("yes", r.prot);
	EXPECT_EQ(2U, r.cpus);
	EXPECT_EQ(256ULL, r.mem);
	EXPECT_GT(600ULL, r.uptime);

	/* The pVM by its CID, the normal VM by its pid. */
	console_echo(_metadata, &self->b, &self->con, "4", "hello-4");
	snprintf(pid_id, sizeof(pid_id), "pid:%d", self->a.pid);
	console_echo(_metadata, &self->a, &self->con, pid_id, "hello-3");

	EXPECT_EQ(0, pvmm_cmd(&c, "stop", "3", NULL)) TH_LOG("%s", c.err);
	EXPECT_EQ(EXIT_STOPPED, guest_wait_exit(&self->a, 30000))
		dump(_metadata, "VM a", &self->a);
	self->a.pid = 0;
	snprintf(pid_id, sizeof(pid_id), "pid:%d", self->b.pid);
	EXPECT_EQ(0, pvmm_cmd(&c, "stop", pid_id, NULL)) TH_LOG("%s", c.err);
	EXPECT_EQ(EXIT_STOPPED, guest_wait_exit(&self->b, 30000))
		dump(_metadata, "VM b", &self->b);
	self->b.pid = 0;
	EXPECT_EQ(0, pvm_sysfs_long("pages_donated"));

	ASSERT_EQ(0, pvmm_cmd(&c, "list", NULL));
	EXPECT_EQ(1, count_lines(c.out)) TH_LOG("%s", c.out);
	EXPECT_EQ(0, count_socks());
}

/*
 * A VM without vsock is listed with CID "-" and found by pid. Once its
 * pvmm is SIGKILLed, its socket stays behind until "pvmm list" removes it;
 * then the VM is unknown.
 */
TEST_F_TIMEOUT(ctl, stale_socket_cleaned, 300)
{
	struct guest_opts o = {
		.kind = GUEST_USER_VSOCK, .extra = "pvmkit.console=echo",
		.no_vsock = true,
	};
	char pid_id[32];
	struct cmd c;
	struct row r;
	int status;

	ASSERT_EQ(0, guest_launch(&self->a, &o));
	if (!guest_wait_for(&self->a, ECHO_READY, BOOT_TIMEOUT_MS))
		dump(_metadata, "VM", &self->a);
	ASSERT_NE(NULL, strstr(self->a.log, ECHO_READY));
	ASSERT_EQ(0, pvmm_cmd(&c, "list", NULL));
	EXPECT_EQ(2, count_lines(c.out)) TH_LOG("%s", c.out);
	ASSERT_TRUE(find_row(c.out, self->a.pid, &r)) TH_LOG("%s", c.out);
	EXPECT_STREQ("-", r.cid);
	EXPECT_STREQ("no", r.prot);
	/* There is no CID to find it by. */
	EXPECT_EQ(EXIT_NO_VM, pvmm_cmd(&c, "stop", "3", NULL));

	snprintf(pid_id, sizeof(pid_id), "pid:%d", self->a.pid);
	ASSERT_EQ(0, kill(self->a.pid, SIGKILL));
	ASSERT_EQ(self->a.pid, waitpid(self->a.pid, &status, 0));
	close(self->a.out);
	self->a.pid = 0;
	EXPECT_EQ(1, count_socks());

	ASSERT_EQ(0, pvmm_cmd(&c, "list", NULL)) TH_LOG("%s", c.err);
	EXPECT_EQ(1, count_lines(c.out)) TH_LOG("%s", c.out);
	EXPECT_STREQ("", c.err);
	EXPECT_EQ(0, count_socks());
	EXPECT_EQ(EXIT_NO_VM, pvmm_cmd(&c, "stop", pid_id, NULL));
	EXPECT_EQ(1, count_lines(c.err)) TH_LOG("%s", c.err);
}

/* Unknown IDs and bad command lines: one line on stderr, a set status. */
TEST_F_TIMEOUT(ctl, unknown_ids_and_usage, 120)
{
	static const char *const usage[][4] = {
		{ "stop", NULL },
		{ "stop", "abc", NULL },
		{ "stop", "2", NULL },
		{ "console", "pid:0", NULL },
		{ "stop", "3", "4", NULL },
		{ "list", "x", NULL },
	};
	struct cmd c;
	unsigned int i;

	EXPECT_EQ(EXIT_NO_VM, pvmm_cmd(&c, "stop", "12345", NULL));
	EXPECT_EQ(1, count_lines(c.err)) TH_LOG("%s", c.err);
	EXPECT_STREQ("", c.out);
	EXPECT_EQ(EXIT_NO_VM, pvmm_cmd(&c, "console", "12345", NULL));
	EXPECT_EQ(1, count_lines(c.err)) TH_LOG("%s", c.err);
	for (i = 0; i < ARRAY_SIZE(usage); i++) {
		run_pvmm(&c, usage[i]);
		EXPECT_EQ(2, c.status) TH_LOG("case %u", i);
		EXPECT_EQ(1, count_lines(c.err)) TH_LOG("case %u: %s", i, c.err);
	}
	/* No VM ever ran: an empty list, not an error. */
	ASSERT_EQ(0, pvmm_cmd(&c, "list", NULL));
	EXPECT_EQ(1, count_lines(c.out));
}

TEST_HARNESS_MAIN
