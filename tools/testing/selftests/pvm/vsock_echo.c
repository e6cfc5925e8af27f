// SPDX-License-Identifier: GPL-2.0
/*
 * vsock_echo: the guest side of pvmm's vsock tests.
 *
 *   vsock_echo serve PORT [COUNT]   accept COUNT connections (1), one at
 *                                   a time, and echo each to EOF
 *   vsock_echo connect CID PORT MSG send MSG, expect it back, exit 0 if so
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/vm_sockets.h>

static int parse_u32(const char *s, unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *s == '\0' || *end != '\0' || v > 0xffffffffUL)
		return -1;
	*out = v;
	return 0;
}

/* Echo what comes on @fd back to it, until EOF; 0 on EOF. */
static int echo(int fd)
{
	char buf[4096];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (write(fd, buf, n) != n) {
			perror("vsock_echo: write");
			return 1;
		}
	}
	return n < 0;
}

static int serve(unsigned int port, unsigned int count)
{
	struct sockaddr_vm addr = {
		.svm_family = AF_VSOCK,
		.svm_cid = VMADDR_CID_ANY,
		.svm_port = port,
	};
	int lfd, fd, ret = 0;

	lfd = socket(AF_VSOCK, SOCK_STREAM, 0);
	if (lfd < 0 || bind(lfd, (void *)&addr, sizeof(addr)) ||
	    listen(lfd, 1)) {
		perror("vsock_echo: listen");
		return 1;
	}
	printf("vsock_echo: listening on port %u\n", port);
	fflush(stdout);
	while (!ret && count--) {
		fd = accept(lfd, NULL, NULL);
		if (fd < 0) {
			perror("vsock_echo: accept");
			return 1;
		}
		ret = echo(fd);
		close(fd);
	}
	close(lfd);
	return ret;
}

static int connect_echo(unsigned int cid, unsigned int port, const char *msg)
{
	struct sockaddr_vm addr = {
		.svm_family = AF_VSOCK,
		.svm_cid = cid,
		.svm_port = port,
	};
	size_t len = strlen(msg), got = 0;
	char buf[4096];
	ssize_t n;
	int fd;

	if (len == 0 || len > sizeof(buf)) {
		fprintf(stderr, "vsock_echo: message must be 1..%zu bytes\n",
			sizeof(buf));
		return 1;
	}
	fd = socket(AF_VSOCK, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (void *)&addr, sizeof(addr))) {
		perror("vsock_echo: connect");
		return 1;
	}
	if (write(fd, msg, len) != (ssize_t)len) {
		perror("vsock_echo: write");
		return 1;
	}
	while (got < len) {
		n = read(fd, buf + got, len - got);
		if (n <= 0) {
			fprintf(stderr, "vsock_echo: short echo (%zu of %zu)\n",
				got, len);
			return 1;
		}
		got += n;
	}
	close(fd);
	if (memcmp(buf, msg, len)) {
		fprintf(stderr, "vsock_echo: echo differs\n");
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int cid, port, count = 1;

	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "serve") &&
	    !parse_u32(argv[2], &port) &&
	    (argc == 3 || (!parse_u32(argv[3], &count) && count)))
		return serve(port, count);
	if (argc == 5 && !strcmp(argv[1], "connect") &&
	    !parse_u32(argv[2], &cid) && !parse_u32(argv[3], &port))
		return connect_echo(cid, port, argv[4]);
	fprintf(stderr, "usage: vsock_echo serve PORT [COUNT] | connect CID PORT MSG\n");
	return 2;
}
