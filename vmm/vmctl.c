// SPDX-License-Identifier: GPL-2.0
/*
 * "pvmm list", "pvmm console ID", "pvmm stop ID": see vmctl.h. Each error
 * is one line on stderr; the exit status is from exit_code.h.
 */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include "exit_code.h"
#include "log.h"
#include "vmctl.h"

#define VMCTL_IO_MAX	4096

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Wait for @fd to be readable until @deadline: 0, or -ETIMEDOUT. */
static int wait_readable(int fd, long long deadline)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	long long left;
	int n;

	do {
		left = deadline - mono_ms();
		if (left < 0) {
			left = 0;
		}
		n = poll(&pfd, 1, (int)left);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		return -errno;
	}
	return n ? 0 : -ETIMEDOUT;
}

/*
 * One line, without its '\n', read a byte at a time so that nothing after
 * it is taken. Returns 0, -ETIMEDOUT, -ECONNRESET (EOF) or -EPROTO.
 */
static int read_line(int fd, char *buf, size_t size, long long deadline)
{
	size_t i = 0;
	ssize_t n;
	int ret;

	while (i + 1 < size) {
		ret = wait_readable(fd, deadline);
		if (ret) {
			return ret;
		}
		n = read(fd, buf + i, 1);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			return n ? -errno : -ECONNRESET;
		}
		if (buf[i] == '\n') {
			buf[i] = '\0';
			return 0;
		}
		i++;
	}
	return -EPROTO;
}

/*
 * Write all of @buf to @fd, a socket (no SIGPIPE: an error instead) or
 * not. Returns 0 or -errno.
 */
static int put_all(int fd, const void *buf, size_t len, bool is_socket)
{
	const u8 *p = buf;
	ssize_t n;

	while (len) {
		n = is_socket ? send(fd, p, len, MSG_NOSIGNAL) :
				write(fd, p, len);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0) {
			return -errno;
		}
		p += n;
		len -= n;
	}
	return 0;
}

static int send_all(int fd, const void *buf, size_t len)
{
	return put_all(fd, buf, len, true);
}

static int write_all(int fd, const void *buf, size_t len)
{
	return put_all(fd, buf, len, false);
}

/* A connection to the control socket at @path: an fd, or -errno. */
static int ctl_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, err;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		return -ENAMETOOLONG;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		return -errno;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

/*
 * Send @req to the pvmm at @path and read its reply line into @line.
 * Returns the connection, left open, or -errno.
 */
static int ctl_request(const char *path, enum cw_request req, char *line,
		       size_t size)
{
	const char *s = cw_request_line(req);
	int fd, ret;

	fd = ctl_connect(path);
	if (fd < 0) {
		return fd;
	}
	ret = send_all(fd, s, strlen(s));
	if (!ret) {
		ret = read_line(fd, line, size,
				mono_ms() + VMCTL_REPLY_TIMEOUT_MS);
	}
	if (ret) {
		close(fd);
		return ret;
	}
	return fd;
}

/* Ask the pvmm at @vm->path for its INFO: 0 or -errno. */
static int ask_info(struct vmctl_vm *vm, u64 pid)
{
	char line[CW_LINE_MAX];
	const char *rest;
	int fd;

	fd = ctl_request(vm->path, CW_REQ_INFO, line, sizeof(line));
	if (fd < 0) {
		return fd;
	}
	close(fd);
	if (cw_parse_reply(line, &rest) || cw_parse_info(line, &vm->info) ||
	    vm->info.pid != pid) {
		return -EPROTO;
	}
	return 0;
}

/*
 * The VM behind <dir>/<pid>.sock. Returns 0 (@vm filled in), -ENOENT if
 * there is none, or -errno if it does not answer as a pvmm should. An
 * entry whose pvmm is dead (no such process, or nothing listening) was
 * left by a killed pvmm: it is removed, and is -ENOENT.
 */
static int probe(const char *dir, u64 pid, struct vmctl_vm *vm)
{
	int ret;

	memset(vm, 0, sizeof(*vm));
	ret = cw_sock_path(dir, pid, vm->path, sizeof(vm->path));
	if (ret) {
		return ret;
	}
	if (kill((pid_t)pid, 0) && errno == ESRCH) {
		unlink(vm->path);
		return -ENOENT;
	}
	ret = ask_info(vm, pid);
	if (ret == -ECONNREFUSED) {
		unlink(vm->path);
		return -ENOENT;
	}
	return ret;
}

static int by_pid(const void *a, const void *b)
{
	const struct vmctl_vm *x = a, *y = b;

	return x->info.pid < y->info.pid ? -1 : x->info.pid > y->info.pid;
}

static int add_vm(struct vmctl_vm **vms, unsigned int *n,
		  const struct vmctl_vm *vm)
{
	struct vmctl_vm *p = realloc(*vms, (*n + 1) * sizeof(*p));

	if (!p) {
		return -ENOMEM;
	}
	p[(*n)++] = *vm;
	*vms = p;
	return 0;
}

/*
 * The running VMs registered in @dir, by pid, in *@vms (to be freed).
 * Stale entries are removed; one that does not answer gets a warning.
 * Returns how many, or -errno.
 */
int vmctl_scan(const char *dir, struct vmctl_vm **vms)
{
	unsigned int n = 0;
	struct vmctl_vm vm;
	struct dirent *de;
	DIR *d;
	u64 pid;
	int ret = 0;

	*vms = NULL;
	d = opendir(dir);
	if (!d) {
		return errno == ENOENT ? 0 : -errno;
	}
	while (!ret && (de = readdir(d))) {
		if (cw_parse_sock_name(de->d_name, &pid)) {
			continue;
		}
		ret = probe(dir, pid, &vm);
		if (!ret) {
			ret = add_vm(vms, &n, &vm);
		} else if (ret != -ENOENT) {
			pr_warn("%s: %s", vm.path, strerror(-ret));
		}
		ret = ret == -ENOMEM ? ret : 0;
	}
	closedir(d);
	if (ret) {
		free(*vms);
		*vms = NULL;
		return ret;
	}
	if (n) {
		qsort(*vms, n, sizeof(**vms), by_pid);
	}
	return n;
}

int vmctl_list(const char *dir, FILE *out)
{
	struct vmctl_vm *vms;
	char cid[24];
	int i, n;

	n = vmctl_scan(dir, &vms);
	if (n < 0) {
		pr_err("list: %s: %s", dir, strerror(-n));
		return PVMM_EXIT_ERROR;
	}
	fprintf(out, "%-10s %-8s %-9s %5s %7s %8s\n", "CID", "PID",
		"PROTECTED", "VCPUS", "MEM_MIB", "UPTIME_S");
	for (i = 0; i < n; i++) {
		const struct cw_info *v = &vms[i].info;

		snprintf(cid, sizeof(cid), "%llu", v->cid);
		fprintf(out, "%-10s %-8llu %-9s %5llu %7llu %8llu\n",
			v->cid ? cid : "-", v->pid, v->protected ? "yes" : "no",
			v->cpus, v->mem_mib, v->uptime_s);
	}
	free(vms);
	return fflush(out) ? PVMM_EXIT_ERROR : 0;
}

static void id_str(const struct cw_id *id, char *buf, size_t size)
{
	snprintf(buf, size, "%s %llu", id->kind == CW_ID_CID ? "CID" : "pid",
		 id->value);
}

/* The VM with vsock CID @cid: 0, or an exit status after one line. */
static int find_cid(const char *cmd, const char *dir, u64 cid,
		    struct vmctl_vm *vm)
{
	struct vmctl_vm *vms;
	int i, n, found = 0;

	n = vmctl_scan(dir, &vms);
	if (n < 0) {
		pr_err("%s: %s: %s", cmd, dir, strerror(-n));
		return PVMM_EXIT_ERROR;
	}
	for (i = 0; i < n; i++) {
		if (vms[i].info.cid != cid) {
			continue;
		}
		if (found++) {
			pr_err("%s: CID %llu names more than one VM (pids %llu and %llu): use pid:N",
			       cmd, cid, vm->info.pid, vms[i].info.pid);
			free(vms);
			return PVMM_EXIT_ERROR;
		}
		*vm = vms[i];
	}
	free(vms);
	if (!found) {
		pr_err("%s: no running VM has CID %llu", cmd, cid);
		return PVMM_EXIT_NO_VM;
	}
	return 0;
}

/* The VM @id names: 0, or an exit status after one line on stderr. */
static int resolve(const char *cmd, const char *dir, const struct cw_id *id,
		   struct vmctl_vm *vm)
{
	int ret;

	if (id->kind == CW_ID_CID) {
		return find_cid(cmd, dir, id->value, vm);
	}
	ret = probe(dir, id->value, vm);
	if (ret == -ENOENT) {
		pr_err("%s: no running VM has pid %llu", cmd, id->value);
		return PVMM_EXIT_NO_VM;
	}
	if (ret) {
		pr_err("%s: %s: %s", cmd, vm->path, strerror(-ret));
		return PVMM_EXIT_ERROR;
	}
	return 0;
}

/*
 * Send @req to the VM @id names and check that it says OK: the open
 * connection, or minus an exit status after one line on stderr.
 */
static int open_vm(const char *cmd, const char *dir, const struct cw_id *id,
		   enum cw_request req, struct vmctl_vm *vm)
{
	char line[CW_LINE_MAX], name[32];
	const char *rest;
	int fd, ret;

	ret = resolve(cmd, dir, id, vm);
	if (ret) {
		return -ret;
	}
	id_str(id, name, sizeof(name));
	fd = ctl_request(vm->path, req, line, sizeof(line));
	if (fd < 0) {
		pr_err("%s: %s: %s", cmd, name, strerror(-fd));
		return -PVMM_EXIT_ERROR;
	}
	if (cw_parse_reply(line, &rest)) {
		pr_err("%s: %s: %s", cmd, name, rest);
		close(fd);
		return -PVMM_EXIT_ERROR;
	}
	return fd;
}

/*
 * The console connection ended while stdin was still open: if the VM's
 * socket is gone, the VM ended (0); if it is still there, pvmm cut this
 * client off because it did not keep up with the guest's output.
 */
static int console_ended(const char *path)
{
	int fd = ctl_connect(path);

	if (fd < 0) {
		return 0;
	}
	close(fd);
	pr_err("console: pvmm cut this client off (it did not read the guest's output fast enough)");
	return PVMM_EXIT_ERROR;
}

/* Socket to @out_fd. Returns 1 at EOF, 0, or an exit status. */
static int relay_out(int sfd, int out_fd)
{
	u8 buf[VMCTL_IO_MAX];
	ssize_t n;

	n = read(sfd, buf, sizeof(buf));
	if (n < 0 && errno == EINTR) {
		return 0;
	}
	if (n <= 0) {
		return 1;
	}
	if (write_all(out_fd, buf, n)) {
		pr_err("console: output: %s", strerror(errno));
		return PVMM_EXIT_ERROR;
	}
	return 0;
}

/* @in_fd to the socket. Returns 1 at EOF (or if pvmm is gone), or 0. */
static int relay_in(int sfd, int in_fd)
{
	u8 buf[VMCTL_IO_MAX];
	ssize_t n;

	n = read(in_fd, buf, sizeof(buf));
	if (n < 0 && errno == EINTR) {
		return 0;
	}
	if (n <= 0 || send_all(sfd, buf, n)) {
		return 1;
	}
	return 0;
}

/*
 * Copy both ways until pvmm closes the connection. At EOF on @in_fd, tell
 * pvmm (a half close) and take the output it still sends until it closes.
 */
static int relay(int sfd, const char *path, int in_fd, int out_fd)
{
	struct pollfd p[2] = {
		{ .fd = sfd, .events = POLLIN },
		{ .fd = in_fd, .events = POLLIN },
	};
	bool in_open = true;
	int ret;

	for (;;) {
		p[1].fd = in_open ? in_fd : -1;
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR) {
				continue;
			}
			pr_err("console: poll: %s", strerror(errno));
			return PVMM_EXIT_ERROR;
		}
		if (p[0].revents) {
			ret = relay_out(sfd, out_fd);
			if (ret == 1) {
				return in_open ? console_ended(path) : 0;
			}
			if (ret) {
				return ret;
			}
		}
		if (in_open && p[1].revents && relay_in(sfd, in_fd)) {
			shutdown(sfd, SHUT_WR);
			in_open = false;
		}
	}
}

int vmctl_console(const char *dir, const struct cw_id *id, int in_fd,
		  int out_fd)
{
	struct vmctl_vm vm;
	int fd, ret;

	fd = open_vm("console", dir, id, CW_REQ_CONSOLE, &vm);
	if (fd < 0) {
		return -fd;
	}
	ret = relay(fd, vm.path, in_fd, out_fd);
	close(fd);
	return ret;
}

/* pvmm closes a stop waiter's connection when it has torn the VM down. */
int vmctl_stop(const char *dir, const struct cw_id *id, int timeout_ms)
{
	long long deadline = mono_ms() + timeout_ms;
	struct vmctl_vm vm;
	u8 buf[64];
	ssize_t n;
	int fd;

	fd = open_vm("stop", dir, id, CW_REQ_STOP, &vm);
	if (fd < 0) {
		return -fd;
	}
	do {
		if (wait_readable(fd, deadline)) {
			pr_err("stop: the VM (pid %llu) did not end within %d s",
			       vm.info.pid, (timeout_ms + 999) / 1000);
			close(fd);
			return PVMM_EXIT_ERROR;
		}
		n = read(fd, buf, sizeof(buf));
	} while (n > 0 || (n < 0 && errno == EINTR));
	close(fd);
	return 0;
}

bool vmctl_is_command(const char *cmd)
{
	return !strcmp(cmd, "list") || !strcmp(cmd, "console") ||
	       !strcmp(cmd, "stop");
}

/* "console ID" and "stop ID": 0, or -1 after one line. */
static int parse_id_args(int argc, char **argv, struct cw_id *id)
{
	if (argc < 2) {
		pr_err("%s: missing VM ID (a vsock CID, or pid:N)", argv[0]);
		return -1;
	}
	if (argc > 2) {
		pr_err("%s: unexpected argument '%s'", argv[0], argv[2]);
		return -1;
	}
	if (cw_parse_id(argv[1], id)) {
		pr_err("%s: '%s' is not a VM ID (a vsock CID from %d, or pid:N)",
		       argv[0], argv[1], CW_CID_MIN);
		return -1;
	}
	return 0;
}

/* @argv[0] is the command: "list", "console" or "stop". */
int vmctl_main(int argc, char **argv)
{
	char dir[CW_PATH_MAX];
	struct cw_id id;
	int ret;

	if (!strcmp(argv[0], "list") && argc > 1) {
		pr_err("list: unexpected argument '%s'", argv[1]);
		return PVMM_EXIT_USAGE;
	}
	if (strcmp(argv[0], "list") && parse_id_args(argc, argv, &id)) {
		return PVMM_EXIT_USAGE;
	}
	ret = cw_default_runtime_dir(dir, sizeof(dir));
	if (ret) {
		pr_err("%s: runtime directory ($%s): %s", argv[0], CW_ENV_DIR,
		       strerror(-ret));
		return PVMM_EXIT_ERROR;
	}
	signal(SIGPIPE, SIG_IGN);
	if (!strcmp(argv[0], "list")) {
		return vmctl_list(dir, stdout);
	}
	if (!strcmp(argv[0], "console")) {
		return vmctl_console(dir, &id, STDIN_FILENO, STDOUT_FILENO);
	}
	return vmctl_stop(dir, &id, VMCTL_STOP_TIMEOUT_MS);
}
