// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket: its wire format, and "pvmm list", "console" and
 * "stop" against real control servers over Unix sockets, each served by
 * its own event loop thread and backed by a virtio-console driven by a
 * fake guest.
 */
#include "kselftest_harness.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "control.h"
#include "exit_code.h"
#include "fake_guest.h"
#include "log.h"
#include "vmctl.h"

#define FEAT_V1		BIT_ULL(VIRTIO_F_VERSION_1)
#define TEST_CID	3
#define WAIT_MS		10000
#define BIG_CHUNK	(64 * 1024)
#define BIG_TOTAL	(4 * 1024 * 1024)

/* One pretend "pvmm run": event loop thread, console, control socket. */
struct vm_sim {
	struct eventloop el;
	struct control ctl;
	struct fake_guest g;
	struct fake_ring r[CONSOLE_VQ_NR];
	struct console_dev con;
	pthread_t thread;
	bool running;
	bool ignore_stop;
	bool destroyed;			/* past the stand-in for vm_destroy() */
	int exit_code;
	int out_fd;			/* "pvmm's stdout": a file */
	u64 rx_addr[8];
};

FIXTURE(ctl) {
	char dir[64];
	char out_path[96];
	struct vm_sim vm;
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
	poll(NULL, 0, ms);
}

/* What the VM exited with, as the sim thread stored it (-1: not yet). */
static int exit_code(struct vm_sim *s)
{
	return __atomic_load_n(&s->exit_code, __ATOMIC_SEQ_CST);
}

static void sim_exit(void *opaque, int code)
{
	struct vm_sim *s = opaque;

	__atomic_store_n(&s->exit_code, code, __ATOMIC_SEQ_CST);
	if (!s->ignore_stop) {
		el_stop(&s->el);
	}
}

/*
 * run() and teardown() of run.c, as far as the control socket goes, with
 * vm_destroy() taking a while.
 */
static void *sim_thread(void *opaque)
{
	struct vm_sim *s = opaque;

	el_run(&s->el);
	control_close(&s->ctl);
	sleep_ms(100);
	__atomic_store_n(&s->destroyed, true, __ATOMIC_SEQ_CST);
	control_cleanup(&s->ctl);
	return NULL;
}

static int sim_start(struct vm_sim *s, const char *dir, const char *out,
		     u64 cid, u64 pid, bool prot)
{
	struct control_cfg cfg = {
		.dir = dir,
		.info = { .cid = cid, .pid = pid, .protected = prot,
			  .cpus = 2, .mem_mib = 256 },
		.console = &s->con,
		.exit_cb = sim_exit,
		.exit_opaque = s,
	};

	memset(s, 0, sizeof(*s));
	s->exit_code = -1;
	s->out_fd = open(out, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (s->out_fd < 0 || el_init(&s->el)) {
		return -1;
	}
	fg_init(&s->g);
	fg_ring_init(&s->g, &s->r[CONSOLE_VQ_RX], 8);
	fg_ring_init(&s->g, &s->r[CONSOLE_VQ_TX], 8);
	console_dev_init(&s->con, 0, &s->g.mem, s->out_fd);
	if (!(fg_driver_init(&s->con.vdev, FEAT_V1, s->r, CONSOLE_VQ_NR) &
	      VIRTIO_CONFIG_S_DRIVER_OK) ||
	    control_start(&s->ctl, &s->el, &cfg) ||
	    pthread_create(&s->thread, NULL, sim_thread, s)) {
		return -1;
	}
	s->running = true;
	return 0;
}

static void sim_join(struct vm_sim *s)
{
	if (s->running) {
		el_stop(&s->el);
		pthread_join(s->thread, NULL);
		s->running = false;
	}
}

static void sim_free(struct vm_sim *s)
{
	sim_join(s);
	el_destroy(&s->el);
	fg_free(&s->g);
	close(s->out_fd);
}

/* The guest writes @len bytes at @gpa to hvc0. */
static void guest_write_at(struct vm_sim *s, u64 gpa, u32 len)
{
	struct fake_ring *r = &s->r[CONSOLE_VQ_TX];
	struct fg_buf b = { .addr = gpa, .len = len };
	u32 id, used;

	fg_add_chain(&s->g, r, &b, 1);
	fg_wr(&s->con.vdev, VIRTIO_MMIO_QUEUE_NOTIFY, CONSOLE_VQ_TX);
	while (fg_get_used(&s->g, r, &id, &used)) {
		;
	}
}

static void guest_write(struct vm_sim *s, const char *text)
{
	guest_write_at(s, fg_put(&s->g, text, strlen(text)), strlen(text));
}

/* The guest posts a buffer for input. */
static void guest_post_rx(struct vm_sim *s)
{
	struct fg_buf b = { .addr = fg_alloc(&s->g, 256), .len = 256,
			    .write = true };
	u16 head = fg_add_chain(&s->g, &s->r[CONSOLE_VQ_RX], &b, 1);

	s->rx_addr[head] = b.addr;
	fg_wr(&s->con.vdev, VIRTIO_MMIO_QUEUE_NOTIFY, CONSOLE_VQ_RX);
}

/* Wait for the guest's next input buffer to come back; copy it to @buf. */
static int guest_read(struct vm_sim *s, char *buf, size_t size)
{
	long long deadline = now_ms() + WAIT_MS;
	u32 id, len;

	while (!fg_get_used(&s->g, &s->r[CONSOLE_VQ_RX], &id, &len)) {
		if (now_ms() > deadline) {
			return -1;
		}
		sleep_ms(5);
	}
	len = min_u32(len, size - 1);
	memcpy(buf, fg_hva(&s->g, s->rx_addr[id]), len);
	buf[len] = '\0';
	return len;
}

static int raw_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Read until EOF or @size bytes, within WAIT_MS. Returns the count. */
static ssize_t read_until_eof(int fd, char *buf, size_t size)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	size_t got = 0;
	ssize_t n;

	while (got < size && poll(&pfd, 1, WAIT_MS) == 1) {
		n = read(fd, buf + got, size - got);
		if (n <= 0) {
			break;
		}
		got += n;
	}
	buf[got < size ? got : size - 1] = '\0';
	return got;
}

/* Connect, send @req, and read what comes back until EOF. */
static ssize_t raw_request(const char *path, const char *req, char *buf,
			   size_t size)
{
	int fd = raw_connect(path);
	ssize_t n;

	if (fd < 0) {
		return -1;
	}
	if (write(fd, req, strlen(req)) != (ssize_t)strlen(req)) {
		close(fd);
		return -1;
	}
	n = read_until_eof(fd, buf, size);
	close(fd);
	return n;
}

/* A socket file at @path with nothing listening: connect is refused. */
static int dead_socket(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	int ret;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	ret = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
	return ret;
}

static pid_t dead_pid(void)
{
	pid_t pid = fork();

	if (!pid) {
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	return pid;
}

static void sock_path(const char *dir, u64 pid, char *buf, size_t size)
{
	cw_sock_path(dir, pid, buf, size);
}

static bool exists(const char *path)
{
	struct stat st;

	return !lstat(path, &st);
}

static void rm_dir(const char *dir)
{
	char path[512];
	struct dirent *de;
	DIR *d = opendir(dir);

	while (d && (de = readdir(d))) {
		if (de->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			unlink(path);
		}
	}
	if (d) {
		closedir(d);
	}
	rmdir(dir);
}

/* "pvmm list" into @buf. Returns its exit status. */
static int list(const char *dir, char *buf, size_t size)
{
	FILE *f = fmemopen(buf, size, "w");
	int ret;

	ret = vmctl_list(dir, f);
	fclose(f);
	return ret;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++) {
		n += *s == '\n';
	}
	return n;
}

FIXTURE_SETUP(ctl)
{
	log_set_level(LOG_ERR);
	snprintf(self->dir, sizeof(self->dir), "/tmp/pvmm-ctl-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->out_path, sizeof(self->out_path), "%s.out", self->dir);
	ASSERT_EQ(0, sim_start(&self->vm, self->dir, self->out_path, TEST_CID,
			       getpid(), false));
}

FIXTURE_TEARDOWN(ctl)
{
	sim_free(&self->vm);
	unlink(self->out_path);
	rm_dir(self->dir);
}

TEST(runtime_dir)
{
	char buf[CW_PATH_MAX];

	ASSERT_EQ(0, cw_runtime_dir("/x/y", "/run/user/7", buf, sizeof(buf)));
	EXPECT_STREQ("/x/y", buf);
	ASSERT_EQ(0, cw_runtime_dir(NULL, "/run/user/7", buf, sizeof(buf)));
	EXPECT_STREQ("/run/user/7/pvmm", buf);
	ASSERT_EQ(0, cw_runtime_dir("", "/run/user/7", buf, sizeof(buf)));
	EXPECT_STREQ("/run/user/7/pvmm", buf);
	ASSERT_EQ(0, cw_runtime_dir(NULL, NULL, buf, sizeof(buf)));
	EXPECT_STREQ("/run/pvmm", buf);
	/* A relative XDG_RUNTIME_DIR is ignored; a relative own dir is not. */
	ASSERT_EQ(0, cw_runtime_dir(NULL, "rel", buf, sizeof(buf)));
	EXPECT_STREQ("/run/pvmm", buf);
	EXPECT_EQ(-EINVAL, cw_runtime_dir("rel", NULL, buf, sizeof(buf)));
	EXPECT_EQ(-ENAMETOOLONG, cw_runtime_dir(NULL, "/run/user/7", buf, 10));
}

TEST(sock_names)
{
	char buf[CW_PATH_MAX], big[200], wide[200];
	u64 pid;

	ASSERT_EQ(0, cw_parse_sock_name("1234.sock", &pid));
	EXPECT_EQ(1234ULL, pid);
	EXPECT_NE(0, cw_parse_sock_name("0.sock", &pid));
	EXPECT_NE(0, cw_parse_sock_name("0123.sock", &pid));
	EXPECT_NE(0, cw_parse_sock_name(".sock", &pid));
	EXPECT_NE(0, cw_parse_sock_name("12.sock.tmp", &pid));
	EXPECT_NE(0, cw_parse_sock_name("12x.sock", &pid));
	EXPECT_NE(0, cw_parse_sock_name("-12.sock", &pid));
	EXPECT_NE(0, cw_parse_sock_name("99999999999.sock", &pid));
	EXPECT_NE(0, cw_parse_sock_name("README", &pid));
	ASSERT_EQ(0, cw_sock_path("/run/pvmm", 42, buf, sizeof(buf)));
	EXPECT_STREQ("/run/pvmm/42.sock", buf);
	/* Too long for a sockaddr_un, even with room in @buf. */
	memset(big, 'a', sizeof(big));
	big[0] = '/';
	big[120] = '\0';
	EXPECT_EQ(-ENAMETOOLONG, cw_sock_path(big, 42, wide, sizeof(wide)));
	EXPECT_EQ(-EINVAL, cw_sock_path("", 42, buf, sizeof(buf)));
}

TEST(requests)
{
	char big[CW_LINE_MAX + 8];
	enum cw_request req;

	EXPECT_EQ(5, cw_parse_request("INFO\n", 5, &req));
	EXPECT_EQ(CW_REQ_INFO, req);
	EXPECT_EQ(5, cw_parse_request("STOP\nxyz", 8, &req));
	EXPECT_EQ(CW_REQ_STOP, req);
	EXPECT_EQ(8, cw_parse_request("CONSOLE\nhello\n", 14, &req));
	EXPECT_EQ(CW_REQ_CONSOLE, req);
	EXPECT_EQ(0, cw_parse_request("CONS", 4, &req));
	EXPECT_EQ(0, cw_parse_request("", 0, &req));
	EXPECT_EQ(-EINVAL, cw_parse_request("INFO x\n", 7, &req));
	EXPECT_EQ(-EINVAL, cw_parse_request("INFO\r\n", 6, &req));
	EXPECT_EQ(-EINVAL, cw_parse_request("info\n", 5, &req));
	EXPECT_EQ(-EINVAL, cw_parse_request("\n", 1, &req));
	EXPECT_EQ(-EINVAL, cw_parse_request("IN\0FO\n", 6, &req));
	memset(big, 'A', sizeof(big));
	EXPECT_EQ(0, cw_parse_request(big, CW_LINE_MAX - 1, &req));
	EXPECT_EQ(-E2BIG, cw_parse_request(big, CW_LINE_MAX, &req));
	big[CW_LINE_MAX] = '\n';
	EXPECT_EQ(-E2BIG, cw_parse_request(big, sizeof(big), &req));
	EXPECT_STREQ("STOP\n", cw_request_line(CW_REQ_STOP));
}

TEST(info_round_trip)
{
	struct cw_info in = { .cid = 0xfffffffeULL, .pid = 0x7fffffff,
			      .protected = true, .cpus = 64,
			      .mem_mib = 1ULL << 20, .uptime_s = ~0ULL }, out;
	char line[CW_LINE_MAX];
	int n;

	n = cw_format_info(&in, line, sizeof(line));
	ASSERT_LT(0, n);
	ASSERT_EQ('\n', line[n - 1]);
	line[n - 1] = '\0';
	ASSERT_EQ(0, cw_parse_info(line, &out));
	EXPECT_EQ(0, memcmp(&in, &out, sizeof(in)));
	EXPECT_EQ(-ENOSPC, cw_format_info(&in, line, 20));
	/* Any order, and unknown fields are skipped. */
	ASSERT_EQ(0, cw_parse_info("OK uptime_s=9 new=x mem_mib=16 cpus=1 protected=0 pid=7 cid=0",
				   &out));
	EXPECT_EQ(0ULL, out.cid);
	EXPECT_EQ(7ULL, out.pid);
	EXPECT_EQ(9ULL, out.uptime_s);
	EXPECT_FALSE(out.protected);
}

TEST(info_malformed)
{
	static const char *const bad[] = {
		"OK cid=3 pid=7 protected=0 cpus=1 mem_mib=16",
		"OK cid=3 pid=7 protected=0 cpus=1 mem_mib=16 uptime_s=1 cid=3",
		"OK cid=3 pid=7 protected=2 cpus=1 mem_mib=16 uptime_s=1",
		"OK cid=2 pid=7 protected=0 cpus=1 mem_mib=16 uptime_s=1",
		"OK cid=3 pid=0 protected=0 cpus=1 mem_mib=16 uptime_s=1",
		"OK cid=3 pid=-7 protected=0 cpus=1 mem_mib=16 uptime_s=1",
		"OK cid=3 pid=7 protected=0 cpus=0 mem_mib=16 uptime_s=1",
		"OK cid=3 pid=7 protected=0 cpus=1 mem_mib=16 uptime_s=",
		"OK cid=3 pid=7 protected=0 cpus=1 mem_mib=16 uptime_s=99999999999999999999",
		"OK cid=3 pid=7 protected=0 cpus=1  mem_mib=16 uptime_s=1",
		"OK cid=3 pid=7 protected=0 cpus=1 mem_mib 16 uptime_s=1",
		"OK cid=3 pid=7 protected=0 cpus=1 mem_mib=16 uptime_s=1x",
		"ERR cid=3 pid=7 protected=0 cpus=1 mem_mib=16 uptime_s=1",
		"OK",
		"",
	};
	struct cw_info out;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, cw_parse_info(bad[i], &out)) {
			TH_LOG("accepted: '%s'", bad[i]);
		}
	}
}

TEST(replies_and_ids)
{
	const char *rest;
	struct cw_id id;

	EXPECT_EQ(0, cw_parse_reply("OK", &rest));
	EXPECT_STREQ("", rest);
	EXPECT_EQ(0, cw_parse_reply("OK cid=3", &rest));
	EXPECT_STREQ("cid=3", rest);
	EXPECT_EQ(-EREMOTEIO, cw_parse_reply("ERR console busy", &rest));
	EXPECT_STREQ("console busy", rest);
	EXPECT_EQ(-EPROTO, cw_parse_reply("OKAY", &rest));
	EXPECT_EQ(-EPROTO, cw_parse_reply("", &rest));

	ASSERT_EQ(0, cw_parse_id("3", &id));
	EXPECT_EQ(CW_ID_CID, id.kind);
	EXPECT_EQ(3ULL, id.value);
	ASSERT_EQ(0, cw_parse_id("4294967294", &id));
	ASSERT_EQ(0, cw_parse_id("pid:1", &id));
	EXPECT_EQ(CW_ID_PID, id.kind);
	EXPECT_EQ(1ULL, id.value);
	EXPECT_NE(0, cw_parse_id("2", &id));
	EXPECT_NE(0, cw_parse_id("4294967295", &id));
	EXPECT_NE(0, cw_parse_id("pid:0", &id));
	EXPECT_NE(0, cw_parse_id("pid:", &id));
	EXPECT_NE(0, cw_parse_id("pid:-1", &id));
	EXPECT_NE(0, cw_parse_id("pid:2147483648", &id));
	EXPECT_NE(0, cw_parse_id("", &id));
	EXPECT_NE(0, cw_parse_id(" 3", &id));
	EXPECT_NE(0, cw_parse_id("+3", &id));
	EXPECT_NE(0, cw_parse_id("cid:3", &id));
}

/* Two VMs listed by pid, with each one's fields. */
TEST_F(ctl, list_shows_each_vm)
{
	struct vm_sim *other = malloc(sizeof(*other));
	char out[1024], other_out[128], cid[16], prot[8];
	unsigned long long pid, cpus, mem, up;
	const char *row;
	int n;

	ASSERT_NE(NULL, other);
	snprintf(other_out, sizeof(other_out), "%s.out2", self->dir);
	/* Our parent, the harness, is alive as long as we are. */
	ASSERT_EQ(0, sim_start(other, self->dir, other_out, 0, getppid(),
			       true));
	ASSERT_EQ(0, list(self->dir, out, sizeof(out)));
	sim_free(other);
	free(other);
	unlink(other_out);
	ASSERT_EQ(3, count_lines(out)) TH_LOG("%s", out);
	EXPECT_EQ(0, strncmp(out, "CID", 3));
	row = strchr(out, '\n') + 1;
	/* By pid: the harness before us. */
	n = sscanf(row, "%15s %llu %7s %llu %llu %llu", cid, &pid, prot,
		   &cpus, &mem, &up);
	ASSERT_EQ(6, n);
	EXPECT_STREQ("-", cid);
	EXPECT_EQ((unsigned long long)getppid(), pid);
	EXPECT_STREQ("yes", prot);
	EXPECT_EQ(2ULL, cpus);
	EXPECT_EQ(256ULL, mem);
	EXPECT_GE(5ULL, up);
	row = strchr(row, '\n') + 1;
	n = sscanf(row, "%15s %llu %7s %llu %llu %llu", cid, &pid, prot,
		   &cpus, &mem, &up);
	ASSERT_EQ(6, n);
	EXPECT_STREQ("3", cid);
	EXPECT_EQ((unsigned long long)getpid(), pid);
	EXPECT_STREQ("no", prot);
}

/*
 * Entries left by killed pvmms are removed: one whose process is gone, and
 * one whose process lives but where nothing listens. Other files stay.
 */
TEST_F(ctl, stale_entries_removed)
{
	char gone[CW_PATH_MAX], refused[CW_PATH_MAX], other[CW_PATH_MAX];
	char odd[CW_PATH_MAX], out[512];
	struct vmctl_vm *vms;
	int fd;

	sock_path(self->dir, dead_pid(), gone, sizeof(gone));
	ASSERT_EQ(0, dead_socket(gone));
	sock_path(self->dir, 1, refused, sizeof(refused));
	ASSERT_EQ(0, dead_socket(refused));
	snprintf(other, sizeof(other), "%s/notes.txt", self->dir);
	snprintf(odd, sizeof(odd), "%s/0042.sock", self->dir);
	fd = open(other, O_CREAT | O_WRONLY, 0600);
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(0, dead_socket(odd));

	ASSERT_EQ(1, vmctl_scan(self->dir, &vms));
	EXPECT_EQ((u64)getpid(), vms[0].info.pid);
	free(vms);
	EXPECT_FALSE(exists(gone));
	EXPECT_FALSE(exists(refused));
	EXPECT_TRUE(exists(other));
	EXPECT_TRUE(exists(odd));
	ASSERT_EQ(0, list(self->dir, out, sizeof(out)));
	EXPECT_EQ(2, count_lines(out));
}

/* A live process whose socket accepts but never answers: skipped, kept. */
TEST_F(ctl, silent_entry_skipped)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char path[CW_PATH_MAX], out[512];
	long long t0;
	int lfd;

	sock_path(self->dir, getppid(), path, sizeof(path));
	memcpy(sa.sun_path, path, strlen(path) + 1);
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	ASSERT_EQ(0, bind(lfd, (struct sockaddr *)&sa, sizeof(sa)));
	ASSERT_EQ(0, listen(lfd, 4));
	t0 = now_ms();
	ASSERT_EQ(0, list(self->dir, out, sizeof(out)));
	EXPECT_GE(now_ms() - t0, VMCTL_REPLY_TIMEOUT_MS - 100);
	EXPECT_EQ(2, count_lines(out)) TH_LOG("%s", out);
	EXPECT_TRUE(exists(path));
	close(lfd);
}

TEST_F(ctl, stop_ends_the_vm)
{
	struct cw_id id = { CW_ID_CID, TEST_CID };
	char path[CW_PATH_MAX], out[512];

	sock_path(self->dir, getpid(), path, sizeof(path));
	ASSERT_TRUE(exists(path));
	ASSERT_EQ(0, vmctl_stop(self->dir, &id, WAIT_MS));
	EXPECT_EQ(PVMM_EXIT_STOPPED, exit_code(&self->vm));
	/* It returned only once the server had torn down. */
	EXPECT_FALSE(exists(path));
	EXPECT_TRUE(__atomic_load_n(&self->vm.destroyed, __ATOMIC_SEQ_CST));
	EXPECT_EQ(PVMM_EXIT_NO_VM, vmctl_stop(self->dir, &id, WAIT_MS));
	ASSERT_EQ(0, list(self->dir, out, sizeof(out)));
	EXPECT_EQ(1, count_lines(out));
}

TEST_F(ctl, stop_by_pid)
{
	struct cw_id id = { CW_ID_PID, getpid() };

	ASSERT_EQ(0, vmctl_stop(self->dir, &id, WAIT_MS));
	EXPECT_EQ(PVMM_EXIT_STOPPED, exit_code(&self->vm));
}

/* A VM that does not end in time: stop says so and fails. */
TEST_F(ctl, stop_times_out)
{
	struct cw_id id = { CW_ID_CID, TEST_CID };

	self->vm.ignore_stop = true;
	EXPECT_EQ(PVMM_EXIT_ERROR, vmctl_stop(self->dir, &id, 300));
	EXPECT_EQ(PVMM_EXIT_STOPPED, exit_code(&self->vm));
}

TEST_F(ctl, unknown_ids)
{
	struct cw_id cid = { CW_ID_CID, 12345 };
	struct cw_id pid = { CW_ID_PID, dead_pid() };
	struct cw_id none = { CW_ID_CID, TEST_CID };

	EXPECT_EQ(PVMM_EXIT_NO_VM, vmctl_stop(self->dir, &cid, WAIT_MS));
	EXPECT_EQ(PVMM_EXIT_NO_VM, vmctl_stop(self->dir, &pid, WAIT_MS));
	EXPECT_EQ(PVMM_EXIT_NO_VM, vmctl_console(self->dir, &cid, -1, -1));
	EXPECT_EQ(PVMM_EXIT_NO_VM, vmctl_console(self->dir, &pid, -1, -1));
	/* No runtime directory at all: no VMs. */
	EXPECT_EQ(PVMM_EXIT_NO_VM, vmctl_stop("/nonexistent/pvmm", &none,
					      WAIT_MS));
	EXPECT_EQ(-1, exit_code(&self->vm));
}

TEST_F(ctl, bad_requests)
{
	char path[CW_PATH_MAX], buf[512], big[300];
	int fd;

	sock_path(self->dir, getpid(), path, sizeof(path));
	raw_request(path, "HELLO\n", buf, sizeof(buf));
	EXPECT_STREQ("ERR unknown request\n", buf);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	raw_request(path, big, buf, sizeof(buf));
	EXPECT_STREQ("ERR request too long\n", buf);
	/* A request in pieces is still one request. */
	fd = raw_connect(path);
	ASSERT_LE(0, fd);
	ASSERT_EQ(2, write(fd, "IN", 2));
	sleep_ms(50);
	ASSERT_EQ(3, write(fd, "FO\n", 3));
	read_until_eof(fd, buf, sizeof(buf));
	close(fd);
	EXPECT_EQ(0, strncmp(buf, "OK cid=3 ", 9)) TH_LOG("%s", buf);
	EXPECT_EQ(-1, exit_code(&self->vm));
}

/* Clients beyond the table are closed unanswered; the table recovers. */
TEST_F(ctl, too_many_clients)
{
	int idle[CONTROL_MAX_CLIENTS], i, fd;
	char path[CW_PATH_MAX], buf[256];

	sock_path(self->dir, getpid(), path, sizeof(path));
	for (i = 0; i < CONTROL_MAX_CLIENTS; i++) {
		idle[i] = raw_connect(path);
		ASSERT_LE(0, idle[i]);
	}
	fd = raw_connect(path);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, read_until_eof(fd, buf, sizeof(buf)));
	close(fd);
	close(idle[0]);
	for (i = 0; i < 100; i++) {
		raw_request(path, "INFO\n", buf, sizeof(buf));
		if (!strncmp(buf, "OK ", 3)) {
			break;
		}
		sleep_ms(20);
	}
	EXPECT_EQ(0, strncmp(buf, "OK ", 3));
	for (i = 1; i < CONTROL_MAX_CLIENTS; i++) {
		close(idle[i]);
	}
}

struct console_run {
	const char *dir;
	struct cw_id id;
	int in_fd;
	int out_fd;
	int ret;
	bool done;
};

static void *console_thread(void *opaque)
{
	struct console_run *c = opaque;

	c->ret = vmctl_console(c->dir, &c->id, c->in_fd, c->out_fd);
	__atomic_store_n(&c->done, true, __ATOMIC_SEQ_CST);
	return NULL;
}

/* Input reaches the guest; output reaches the client and pvmm's stdout. */
TEST_F(ctl, console_both_ways)
{
	struct console_run c = { .dir = self->dir, .id = { CW_ID_PID, getpid() } };
	int in[2], out[2];
	char buf[256] = "";
	pthread_t t;
	ssize_t n;

	ASSERT_EQ(0, pipe(in));
	ASSERT_EQ(0, pipe(out));
	c.in_fd = in[0];
	c.out_fd = out[1];
	guest_write(&self->vm, "before attach\n");
	ASSERT_EQ(0, pthread_create(&t, NULL, console_thread, &c));
	guest_post_rx(&self->vm);
	ASSERT_EQ(5, write(in[1], "ping\n", 5));
	ASSERT_EQ(5, guest_read(&self->vm, buf, sizeof(buf)));
	EXPECT_STREQ("ping\n", buf);
	/* Attached (input only flows after that): output is copied now. */
	guest_write(&self->vm, "pong\n");
	ASSERT_EQ(5, read(out[0], buf, 5));
	buf[5] = '\0';
	EXPECT_STREQ("pong\n", buf);
	/* EOF on stdin: the client detaches and ends with 0. */
	close(in[1]);
	pthread_join(t, NULL);
	EXPECT_EQ(0, c.ret);
	close(out[1]);
	read_until_eof(out[0], buf, sizeof(buf));
	EXPECT_STREQ("", buf);
	close(in[0]);
	close(out[0]);
	n = pread(self->vm.out_fd, buf, sizeof(buf) - 1, 0);
	ASSERT_LE(0, n);
	buf[n] = '\0';
	EXPECT_EQ(0, strncmp(buf, "before attach\npong\n", 19)) TH_LOG("%s", buf);
	EXPECT_EQ(-1, exit_code(&self->vm));
}

/* The VM ends while a console client is attached: the client ends, 0. */
TEST_F(ctl, console_ends_with_the_vm)
{
	struct console_run c = { .dir = self->dir, .id = { CW_ID_CID, TEST_CID } };
	int in[2], out[2];
	char buf[16];
	pthread_t t;

	ASSERT_EQ(0, pipe(in));
	ASSERT_EQ(0, pipe(out));
	c.in_fd = in[0];
	c.out_fd = out[1];
	ASSERT_EQ(0, pthread_create(&t, NULL, console_thread, &c));
	guest_post_rx(&self->vm);
	ASSERT_EQ(2, write(in[1], "x\n", 2));
	ASSERT_EQ(2, guest_read(&self->vm, buf, sizeof(buf)));
	sim_join(&self->vm);
	pthread_join(t, NULL);
	EXPECT_EQ(0, c.ret);
	close(in[0]);
	close(in[1]);
	close(out[0]);
	close(out[1]);
}

TEST_F(ctl, console_one_at_a_time)
{
	char path[CW_PATH_MAX], buf[64];
	int a, i;

	sock_path(self->dir, getpid(), path, sizeof(path));
	a = raw_connect(path);
	ASSERT_LE(0, a);
	ASSERT_EQ(8, write(a, "CONSOLE\n", 8));
	ASSERT_EQ(3, read(a, buf, 3));
	EXPECT_EQ(0, memcmp(buf, "OK\n", 3));
	raw_request(path, "CONSOLE\n", buf, sizeof(buf));
	EXPECT_STREQ("ERR console busy\n", buf);
	close(a);
	for (i = 0; i < 100; i++) {
		a = raw_connect(path);
		ASSERT_LE(0, a);
		ASSERT_EQ(8, write(a, "CONSOLE\n", 8));
		ASSERT_EQ(3, read(a, buf, 3));
		close(a);
		if (!memcmp(buf, "OK\n", 3)) {
			break;
		}
		sleep_ms(20);
	}
	EXPECT_EQ(0, memcmp(buf, "OK\n", 3));
}

/*
 * A console client that stops reading: the guest's output never waits for
 * it (this test would hang), pvmm's stdout still gets all of it, and the
 * client is cut off and says so.
 */
TEST_F(ctl, slow_console_client_cut_off)
{
	struct console_run c = { .dir = self->dir, .id = { CW_ID_CID, TEST_CID } };
	u64 chunk = fg_alloc(&self->vm.g, BIG_CHUNK);
	long long deadline;
	size_t got = 0;
	int in[2], out[2];
	char buf[4096];
	struct stat st;
	pthread_t t;
	ssize_t n;
	int i;

	memset(fg_hva(&self->vm.g, chunk), 'z', BIG_CHUNK);
	ASSERT_EQ(0, pipe(in));
	ASSERT_EQ(0, pipe2(out, O_NONBLOCK));
	c.in_fd = in[0];
	c.out_fd = out[1];
	ASSERT_EQ(0, fcntl(out[1], F_SETFL, 0));
	ASSERT_EQ(0, pthread_create(&t, NULL, console_thread, &c));
	guest_post_rx(&self->vm);
	ASSERT_EQ(2, write(in[1], "x\n", 2));
	ASSERT_EQ(2, guest_read(&self->vm, buf, sizeof(buf)));
	/* Nobody reads the client's stdout while the guest writes. */
	for (i = 0; i < BIG_TOTAL / BIG_CHUNK; i++) {
		guest_write_at(&self->vm, chunk, BIG_CHUNK);
	}
	ASSERT_EQ(0, fstat(self->vm.out_fd, &st));
	EXPECT_EQ(BIG_TOTAL, st.st_size);
	deadline = now_ms() + WAIT_MS;
	while (!__atomic_load_n(&c.done, __ATOMIC_SEQ_CST) &&
	       now_ms() < deadline) {
		n = read(out[0], buf, sizeof(buf));
		if (n > 0) {
			got += n;
		} else {
			sleep_ms(5);
		}
	}
	pthread_join(t, NULL);
	EXPECT_EQ(PVMM_EXIT_ERROR, c.ret);
	EXPECT_GT(BIG_TOTAL, got);
	close(in[0]);
	close(in[1]);
	close(out[0]);
	close(out[1]);
	EXPECT_EQ(-1, exit_code(&self->vm));
}

/* Registration fails with one warning; the caller carries on. */
TEST(registration_failure)
{
	struct eventloop el;
	struct control ctl;
	struct control_cfg cfg = {
		.dir = "/dev/null",
		.info = { .pid = getpid(), .cpus = 1, .mem_mib = 16 },
	};

	log_set_level(LOG_ERR);
	ASSERT_EQ(0, el_init(&el));
	EXPECT_EQ(-ENOTDIR, control_start(&ctl, &el, &cfg));
	EXPECT_EQ(NULL, ctl.el);
	control_close(&ctl);
	control_cleanup(&ctl);
	cfg.dir = "/nonexistent/pvmm";
	EXPECT_EQ(-ENOENT, control_start(&ctl, &el, &cfg));
	el_destroy(&el);
}

TEST_HARNESS_MAIN
