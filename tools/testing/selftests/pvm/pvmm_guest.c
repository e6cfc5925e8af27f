// SPDX-License-Identifier: GPL-2.0
/*
 * The test guest that pvmm boots, and the host side of its vsock relay:
 * see pvmm_guest.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pvmm_guest.h"

#define IO_TIMEOUT_MS	30000

long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* @o's vsock options, none with no_vsock; returns how many. */
static int vsock_argv(const char **argv, const struct guest_opts *o)
{
	int n = 0;

	if (o->no_vsock)
		return 0;
	argv[n++] = "--vsock-cid";
	argv[n++] = o->cid ? o->cid : GUEST_CID;
	if (o->kind == GUEST_VHOST_VSOCK) {
		argv[n++] = "--vsock-backend";
		argv[n++] = "vhost";
	} else {
		argv[n++] = "--vsock-uds";
		argv[n++] = o->uds ? o->uds : UDS_PATH;
	}
	return n;
}

/* pvmm's argument vector for @o; @cmdline and @cpus are its buffers. */
static void guest_argv(const char **argv, const struct guest_opts *o,
		       const char *cmdline, const char *cpus)
{
	int n = 0, i;

	argv[n++] = PVMM;
	argv[n++] = "run";
	argv[n++] = "--kernel";
	argv[n++] = GUEST_KERNEL;
	argv[n++] = "--initrd";
	argv[n++] = o->initrd ? o->initrd : GUEST_INITRD;
	argv[n++] = "--mem";
	argv[n++] = "256";
	argv[n++] = "--cmdline";
	argv[n++] = cmdline;
	if (o->cpus) {
		argv[n++] = "--cpus";
		argv[n++] = cpus;
	}
	n += vsock_argv(argv + n, o);
	if (o->kind == GUEST_PROTECTED) {
		argv[n++] = "--protected";
		argv[n++] = "--verbose";
	}
	for (i = 0; o->args && o->args[i] && n < GUEST_MAX_ARGS; i++)
		argv[n++] = o->args[i];
	argv[n] = NULL;
}

/* Start pvmm with the test guest, as @o says. */
int guest_launch(struct guest *g, const struct guest_opts *o)
{
	char cmdline[256], cpus[16];
	const char *argv[GUEST_MAX_ARGS + 1];
	int pipefd[2];

	snprintf(cmdline, sizeof(cmdline), "console=hvc0 panic=-1 %s",
		 o->extra ? o->extra : "");
	snprintf(cpus, sizeof(cpus), "%u", o->cpus);
	guest_argv(argv, o, cmdline, cpus);
	if (pipe2(pipefd, O_CLOEXEC))
		return -1;
	g->len = 0;
	g->log[0] = '\0';
	g->pid = fork();
	if (g->pid < 0)
		return -1;
	if (g->pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		dup2(pipefd[1], STDERR_FILENO);
		execv(PVMM, (char **)argv);
		_exit(127);
	}
	close(pipefd[1]);
	g->out = pipefd[0];
	return 0;
}

int guest_start_kind(struct guest *g, const char *extra, enum guest_kind kind)
{
	struct guest_opts o = { .kind = kind, .extra = extra };

	return guest_launch(g, &o);
}

/* Keep the newest half of the log when it fills: pvmm must never block. */
static void guest_log_drop_old(struct guest *g)
{
	size_t keep = sizeof(g->log) / 2;

	memmove(g->log, g->log + g->len - keep, keep);
	g->len = keep;
	g->log[g->len] = '\0';
}

/* Read pvmm's output until it contains what, or timeout_ms passes. */
bool guest_wait_for(struct guest *g, const char *what, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	struct pollfd pfd = { .fd = g->out, .events = POLLIN };
	ssize_t n;

	while (!strstr(g->log, what)) {
		long long left = deadline - now_ms();

		/* With no time left, still take what is there: drain. */
		if (poll(&pfd, 1, left > 0 ? (int)left : 0) <= 0)
			return false;
		if (g->len >= sizeof(g->log) - 1)
			guest_log_drop_old(g);
		n = read(g->out, g->log + g->len, sizeof(g->log) - 1 - g->len);
		if (n <= 0)
			return false;
		g->len += n;
		g->log[g->len] = '\0';
	}
	return true;
}

/* The launch measurement pvmm logged (--verbose), as hex, or "" if none. */
void guest_measurement(struct guest *g, char hex[65])
{
	const char *key = "launch measurement sha256:";
	const char *p = strstr(g->log, key);

	hex[0] = '\0';
	if (p && sscanf(p + strlen(key), "%64[0-9a-f]", hex) != 1)
		hex[0] = '\0';
}

/* The last 2 KiB of what pvmm printed, for logs. */
const char *guest_log_tail(struct guest *g)
{
	return g->len > 2048 ? g->log + g->len - 2048 : g->log;
}

/* Wait for pvmm to exit; returns its exit status, or -1. */
int guest_wait_exit(struct guest *g, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	int status;

	guest_wait_for(g, "\1never\1", 0);
	while (now_ms() < deadline) {
		pid_t r = waitpid(g->pid, &status, WNOHANG);

		if (r == g->pid) {
			close(g->out);
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		}
		guest_wait_for(g, "\1never\1", 100);
	}
	kill(g->pid, SIGKILL);
	waitpid(g->pid, &status, 0);
	close(g->out);
	return -1;
}

int uds_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

int uds_listen(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 1)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* accept() that gives up after timeout_ms. */
int accept_timeout(int lfd, int timeout_ms)
{
	struct pollfd pfd = { .fd = lfd, .events = POLLIN };

	if (poll(&pfd, 1, timeout_ms) != 1)
		return -1;
	return accept(lfd, NULL, NULL);
}

/* read() that gives up, with ETIMEDOUT, after IO_TIMEOUT_MS of silence. */
ssize_t read_timeout(int fd, void *buf, size_t len)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	if (poll(&pfd, 1, IO_TIMEOUT_MS) != 1) {
		errno = ETIMEDOUT;
		return -1;
	}
	return read(fd, buf, len);
}

/* Read one line ending in '\n' into buf (NUL-terminated, without '\n'). */
int read_line(int fd, char *buf, size_t size)
{
	size_t i = 0;

	while (i + 1 < size) {
		if (read_timeout(fd, buf + i, 1) != 1)
			return -1;
		if (buf[i] == '\n') {
			buf[i] = '\0';
			return 0;
		}
		i++;
	}
	return -1;
}

int read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = read_timeout(fd, (char *)buf + got, len - got);
		if (n == 0)
			errno = ECONNRESET;
		if (n <= 0)
			return -1;
		got += n;
	}
	return 0;
}

/* Firecracker's host protocol: "CONNECT <port>\n", answered "OK <n>\n". */
int host_connect(int fd, unsigned int port, char *reply, size_t size)
{
	char line[32];
	int n;

	n = snprintf(line, sizeof(line), "CONNECT %u\n", port);
	if (write(fd, line, n) != n)
		return -1;
	return read_line(fd, reply, size);
}
