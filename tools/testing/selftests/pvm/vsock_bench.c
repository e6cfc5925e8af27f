// SPDX-License-Identifier: GPL-2.0
/*
 * vsock_bench: vsock throughput between a guest and the host, and boot
 * timelines, for "make bench".
 *
 * In the guest:
 *   vsock_bench serve PORT
 *	serve requests on vsock PORT until one says QUIT
 * On the host, TARGET is uds:PATH (pvmm's Unix socket, Firecracker's
 * CONNECT protocol) or vsock:CID (AF_VSOCK, for vhost-vsock):
 *   vsock_bench send TARGET PORT BYTES   host to guest; the guest counts
 *   vsock_bench recv TARGET PORT BYTES   guest to host; the host counts
 *   vsock_bench quit TARGET PORT
 *	print "vsock_bench: DIR bytes=N ns=T MiBps=R" and exit 0 if every
 *	byte arrived
 *   vsock_bench stamp -- CMD [ARG...]
 *	run CMD with its stdout and stderr prefixed, line by line, with the
 *	milliseconds since just before it started: "[    12.345] line".
 *	The first line is "[     0.000] stamp: pid N".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/vm_sockets.h>

#define BENCH_MAGIC	0x424d5650	/* "PVMB" */
#define CHUNK		(64 * 1024)
#define LINE_MAX_LEN	4096

enum {
	OP_SINK = 1,		/* the guest reads to EOF, answers the count */
	OP_SOURCE = 2,		/* the guest writes len bytes and closes */
	OP_QUIT = 3,
};

/* Sent first on every connection; little-endian on both ends (arm64). */
struct bench_req {
	uint32_t magic;
	uint32_t op;
	uint64_t len;
};

static char buf[CHUNK];

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *s == '\0' || *s == '-' || *end != '\0' || v > max)
		return -1;
	*out = v;
	return 0;
}

/* All @len bytes written from @p (@out) or read into it: 0, or -1. */
static int move_full(int fd, char *p, size_t len, bool out)
{
	ssize_t n;

	while (len) {
		n = out ? write(fd, p, len) : read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

static int write_full(int fd, const void *p, size_t len)
{
	/* move_full() only reads through p when @out is true. */
	return move_full(fd, (char *)p, len, true);
}

static int read_full(int fd, void *p, size_t len)
{
	return move_full(fd, p, len, false);
}

/* Read to EOF; returns the byte count or -1. */
static long long drain(int fd)
{
	long long total = 0;
	ssize_t n;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return total;
		total += n;
	}
}

static int pour(int fd, uint64_t len)
{
	size_t n;

	while (len) {
		n = len < sizeof(buf) ? len : sizeof(buf);
		if (write_full(fd, buf, n))
			return -1;
		len -= n;
	}
	return 0;
}

/* One connection in the guest. Returns 1 on QUIT. */
static int serve_one(int fd)
{
	struct bench_req req;
	uint64_t count;
	long long got;

	if (read_full(fd, &req, sizeof(req)) || req.magic != BENCH_MAGIC) {
		fprintf(stderr, "vsock_bench: bad request\n");
		return 0;
	}
	switch (req.op) {
	case OP_SINK:
		got = drain(fd);
		count = got < 0 ? 0 : got;
		if (write_full(fd, &count, sizeof(count)))
			perror("vsock_bench: sink answer");
		break;
	case OP_SOURCE:
		if (pour(fd, req.len))
			perror("vsock_bench: source");
		break;
	case OP_QUIT:
		return 1;
	default:
		fprintf(stderr, "vsock_bench: unknown op %u\n", req.op);
	}
	return 0;
}

static int serve(unsigned int port)
{
	struct sockaddr_vm addr = {
		.svm_family = AF_VSOCK,
		.svm_cid = VMADDR_CID_ANY,
		.svm_port = port,
	};
	int lfd, fd, quit = 0;

	lfd = socket(AF_VSOCK, SOCK_STREAM, 0);
	if (lfd < 0 || bind(lfd, (void *)&addr, sizeof(addr)) ||
	    listen(lfd, 4)) {
		perror("vsock_bench: listen");
		return 1;
	}
	printf("vsock_bench: listening on port %u\n", port);
	fflush(stdout);
	memset(buf, 0x5a, sizeof(buf));
	while (!quit) {
		fd = accept(lfd, NULL, NULL);
		if (fd < 0) {
			if (errno == EINTR)
				continue;
			perror("vsock_bench: accept");
			return 1;
		}
		quit = serve_one(fd);
		close(fd);
	}
	close(lfd);
	return 0;
}

static int connect_uds(const char *path, unsigned int port)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char line[64];
	size_t i = 0;
	int fd, n;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "vsock_bench: path too long: %s\n", path);
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (void *)&sa, sizeof(sa))) {
		fprintf(stderr, "vsock_bench: connect %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	n = snprintf(line, sizeof(line), "CONNECT %u\n", port);
	if (write_full(fd, line, n))
		goto fail;
	/* "OK <host_port>\n", read byte by byte: data may follow it. */
	while (i < sizeof(line) - 1) {
		if (read(fd, &line[i], 1) != 1)
			goto fail;
		if (line[i++] == '\n')
			break;
	}
	line[i] = '\0';
	if (strncmp(line, "OK ", 3)) {
		fprintf(stderr, "vsock_bench: CONNECT %u refused: '%s'\n",
			port, line);
		close(fd);
		return -1;
	}
	return fd;
fail:
	fprintf(stderr, "vsock_bench: CONNECT %u: no answer\n", port);
	close(fd);
	return -1;
}

static int connect_vsock(unsigned int cid, unsigned int port)
{
	struct sockaddr_vm addr = {
		.svm_family = AF_VSOCK,
		.svm_cid = cid,
		.svm_port = port,
	};
	int fd;

	fd = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (void *)&addr, sizeof(addr))) {
		fprintf(stderr, "vsock_bench: connect vsock %u:%u: %s\n", cid,
			port, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* TARGET is uds:PATH or vsock:CID. */
static int connect_target(const char *target, unsigned int port)
{
	uint64_t cid;

	if (!strncmp(target, "uds:", 4))
		return connect_uds(target + 4, port);
	if (!strncmp(target, "vsock:", 6) &&
	    !parse_u64(target + 6, 0xffffffffULL, &cid))
		return connect_vsock(cid, port);
	fprintf(stderr, "vsock_bench: bad target '%s' (uds:PATH or vsock:CID)\n",
		target);
	return -1;
}

static void report(const char *dir, uint64_t bytes, long long ns)
{
	double mibps = ns > 0 ? bytes / (1024.0 * 1024.0) / (ns / 1e9) : 0;

	printf("vsock_bench: %s bytes=%llu ns=%lld MiBps=%.2f\n", dir,
	       (unsigned long long)bytes, ns, mibps);
}

static int client(const char *cmd, const char *target, unsigned int port,
		  uint64_t len)
{
	struct bench_req req = { .magic = BENCH_MAGIC, .len = len };
	long long t0, got;
	uint64_t count = 0;
	int fd, ret = 1;

	fd = connect_target(target, port);
	if (fd < 0)
		return 1;
	memset(buf, 0xa5, sizeof(buf));
	t0 = now_ns();
	if (!strcmp(cmd, "send")) {
		req.op = OP_SINK;
		if (write_full(fd, &req, sizeof(req)) || pour(fd, len) ||
		    shutdown(fd, SHUT_WR) ||
		    read_full(fd, &count, sizeof(count))) {
			perror("vsock_bench: send");
		} else if (count != len) {
			fprintf(stderr, "vsock_bench: guest got %llu of %llu bytes\n",
				(unsigned long long)count,
				(unsigned long long)len);
		} else {
			report("send", len, now_ns() - t0);
			ret = 0;
		}
	} else if (!strcmp(cmd, "recv")) {
		req.op = OP_SOURCE;
		got = write_full(fd, &req, sizeof(req)) ? -1 : drain(fd);
		if (got < 0) {
			perror("vsock_bench: recv");
		} else if ((uint64_t)got != len) {
			fprintf(stderr, "vsock_bench: got %lld of %llu bytes\n",
				got, (unsigned long long)len);
		} else {
			report("recv", len, now_ns() - t0);
			ret = 0;
		}
	} else {
		req.op = OP_QUIT;
		ret = write_full(fd, &req, sizeof(req)) ? 1 : 0;
	}
	close(fd);
	return ret;
}

static void stamp_line(long long t0, const char *line, size_t len)
{
	long long us = (now_ns() - t0) / 1000;

	printf("[%6lld.%03lld] %.*s\n", us / 1000, us % 1000, (int)len, line);
	fflush(stdout);
}

/* Copy the child's output line by line, stamped; returns its status. */
static int run_stamped(char **argv)
{
	static char line[LINE_MAX_LEN];
	long long t0 = now_ns();
	size_t len = 0, start, i;
	int pfd[2], status;
	char tmp[64];
	ssize_t n;
	pid_t pid;

	if (pipe(pfd)) {
		perror("vsock_bench: pipe");
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		perror("vsock_bench: fork");
		return 1;
	}
	if (pid == 0) {
		dup2(pfd[1], STDOUT_FILENO);
		dup2(pfd[1], STDERR_FILENO);
		close(pfd[0]);
		close(pfd[1]);
		execvp(argv[0], argv);
		perror("vsock_bench: exec");
		_exit(127);
	}
	close(pfd[1]);
	n = snprintf(tmp, sizeof(tmp), "stamp: pid %d", (int)pid);
	stamp_line(t0, tmp, n);
	for (;;) {
		n = read(pfd[0], line + len, sizeof(line) - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
		start = 0;
		for (i = 0; i < len; i++) {
			if (line[i] != '\n')
				continue;
			stamp_line(t0, line + start, i - start);
			start = i + 1;
		}
		memmove(line, line + start, len - start);
		len -= start;
		if (len == sizeof(line)) {
			stamp_line(t0, line, len);
			len = 0;
		}
	}
	if (len)
		stamp_line(t0, line, len);
	if (waitpid(pid, &status, 0) != pid)
		return 1;
	n = snprintf(tmp, sizeof(tmp), "stamp: exit %d",
		     WIFEXITED(status) ? WEXITSTATUS(status) :
		     128 + WTERMSIG(status));
	stamp_line(t0, tmp, n);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

static int bad_usage(void)
{
	fprintf(stderr,
		"usage: vsock_bench serve PORT\n"
		"       vsock_bench send|recv uds:PATH|vsock:CID PORT BYTES\n"
		"       vsock_bench quit uds:PATH|vsock:CID PORT\n"
		"       vsock_bench stamp -- CMD [ARG...]\n");
	return 2;
}

int main(int argc, char **argv)
{
	uint64_t port, len = 0;

	if (argc >= 4 && !strcmp(argv[1], "stamp") && !strcmp(argv[2], "--"))
		return run_stamped(argv + 3);
	if (argc == 3 && !strcmp(argv[1], "serve") &&
	    !parse_u64(argv[2], 0xffffffffULL, &port))
		return serve(port);
	if (argc == 5 && (!strcmp(argv[1], "send") ||
			  !strcmp(argv[1], "recv")) &&
	    !parse_u64(argv[3], 0xffffffffULL, &port) &&
	    !parse_u64(argv[4], UINT64_MAX, &len))
		return client(argv[1], argv[2], port, len);
	if (argc == 4 && !strcmp(argv[1], "quit") &&
	    !parse_u64(argv[3], 0xffffffffULL, &port))
		return client(argv[1], argv[2], port, 0);
	return bad_usage();
}
