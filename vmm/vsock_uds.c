// SPDX-License-Identifier: GPL-2.0
/*
 * Unix socket backend for the vsock device (Firecracker's host protocol).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>

#include "log.h"
#include "vsock_uds.h"

#define CONN_EVENTS	(EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET)

static int set_addr(struct sockaddr_un *sa, const char *path)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path)) {
		return -ENAMETOOLONG;
	}
	memcpy(sa->sun_path, path, strlen(path) + 1);
	return 0;
}

/*
 * Room in a host stream for twice the guest's credit window: what the host
 * client has not read yet waits in the socket rather than in pvmm's ring,
 * and sends seldom fail with EAGAIN, after which a Unix socket reports
 * writable only once three quarters of it are free again. The kernel caps
 * the size at net.core.wmem_max (and doubles it); if it refuses, the
 * default stays.
 */
static void size_send_buffer(int fd)
{
	int size = 2 * VSOCK_BUF_ALLOC;

	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
}

/* Events on an established (or connecting) stream. */
static void conn_event(void *opaque, int fd, u32 events)
{
	struct vsock_uds *u = opaque;
	bool rd = events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR);
	bool wr = events & (EPOLLOUT | EPOLLHUP | EPOLLERR);

	vsock_dev_lock(u->dev);
	vsock_host_event(&u->dev->vs, fd, rd, wr);
	vsock_dev_pump(u->dev);
	vsock_dev_unlock(u->dev);
}

static int uds_connect(void *opaque, u32 port)
{
	struct vsock_uds *u = opaque;
	struct sockaddr_un sa;
	char path[sizeof(sa.sun_path) + 16];
	int fd, ret;

	snprintf(path, sizeof(path), "%s_%u", u->path, port);
	ret = set_addr(&sa, path);
	if (ret) {
		return ret;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		return -errno;
	}
	size_send_buffer(fd);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		ret = -errno;
		close(fd);
		return ret;
	}
	ret = el_add(u->el, fd, CONN_EVENTS, conn_event, u);
	if (ret) {
		close(fd);
		return ret;
	}
	return fd;
}

static int uds_established(void *opaque, int fd, u32 local_port)
{
	char line[24];
	int n;

	(void)opaque;
	n = snprintf(line, sizeof(line), "OK %u\n", local_port);
	if (send(fd, line, n, MSG_NOSIGNAL | MSG_DONTWAIT) != n) {
		return -EIO;
	}
	return 0;
}

static long uds_send(void *opaque, int fd, const struct iovec *iov,
		     unsigned int nr)
{
	struct msghdr msg = {
		.msg_iov = (struct iovec *)iov,
		.msg_iovlen = nr,
	};
	ssize_t n;

	(void)opaque;
	n = sendmsg(fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
	return n < 0 ? -errno : n;
}

static long uds_recv(void *opaque, int fd, void *buf, size_t len)
{
	ssize_t n;

	(void)opaque;
	n = recv(fd, buf, len, MSG_DONTWAIT);
	return n < 0 ? -errno : n;
}

static void uds_shutdown_wr(void *opaque, int fd)
{
	(void)opaque;
	shutdown(fd, SHUT_WR);
}

static void uds_close(void *opaque, int fd)
{
	struct vsock_uds *u = opaque;

	el_del(u->el, fd);
	close(fd);
}

const struct vsock_backend_ops vsock_uds_ops = {
	.connect = uds_connect,
	.established = uds_established,
	.send = uds_send,
	.recv = uds_recv,
	.shutdown_wr = uds_shutdown_wr,
	.close = uds_close,
};

static struct uds_pending *find_pending(struct vsock_uds *u, int fd)
{
	unsigned int i;

	for (i = 0; i < UDS_MAX_PENDING; i++) {
		if (u->pend[i].fd == fd) {
			return &u->pend[i];
		}
	}
	return NULL;
}

static void drop_pending(struct vsock_uds *u, struct uds_pending *p)
{
	el_del(u->el, p->fd);
	close(p->fd);
	p->fd = -1;
}

static u64 now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000 + (u64)ts.tv_nsec / 1000000;
}

/* The pending client that has waited longest, or NULL if there is none. */
static struct uds_pending *oldest_pending(struct vsock_uds *u)
{
	struct uds_pending *oldest = NULL;
	unsigned int i;

	for (i = 0; i < UDS_MAX_PENDING; i++) {
		if (u->pend[i].fd >= 0 &&
		    (!oldest || u->pend[i].seq < oldest->seq)) {
			oldest = &u->pend[i];
		}
	}
	return oldest;
}

/* Set the timer to the oldest pending client's deadline, or disarm it. */
static void arm_deadline(struct vsock_uds *u)
{
	struct uds_pending *p = oldest_pending(u);
	struct itimerspec its = { 0 };
	u64 now = now_ms(), due;

	if (p) {
		due = p->accepted_ms + u->connect_timeout_ms;
		due = due > now ? due - now : 1;
		its.it_value.tv_sec = due / 1000;
		its.it_value.tv_nsec = (due % 1000) * 1000000;
	}
	if (timerfd_settime(u->timer_fd, 0, &its, NULL)) {
		pr_warn("vsock: cannot arm the CONNECT deadline: %s",
			strerror(errno));
	}
}

/* Close every pending client whose CONNECT deadline has passed. */
static void deadline_event(void *opaque, int fd, u32 events)
{
	struct vsock_uds *u = opaque;
	u64 expirations, now = now_ms();
	unsigned int i;

	(void)events;
	if (read(fd, &expirations, sizeof(expirations)) < 0 &&
	    errno != EAGAIN) {
		pr_warn("vsock: CONNECT deadline timer: %s", strerror(errno));
	}
	for (i = 0; i < UDS_MAX_PENDING; i++) {
		if (u->pend[i].fd >= 0 &&
		    now - u->pend[i].accepted_ms >= u->connect_timeout_ms) {
			log_client("vsock: no CONNECT line within %u ms, closed",
				   u->connect_timeout_ms);
			drop_pending(u, &u->pend[i]);
		}
	}
	arm_deadline(u);
}

/* The CONNECT line is complete: hand the stream to the state machine. */
static void start_host_conn(struct vsock_uds *u, struct uds_pending *p,
			    u32 port)
{
	int fd = p->fd;

	el_del(u->el, fd);
	p->fd = -1;
	vsock_dev_lock(u->dev);
	if (el_add(u->el, fd, CONN_EVENTS, conn_event, u)) {
		close(fd);
	} else if (vsock_host_connect(&u->dev->vs, fd, port)) {
		log_client("vsock: connection limit reached, CONNECT %u refused",
			   port);
		el_del(u->el, fd);
		close(fd);
	} else {
		vsock_dev_pump(u->dev);
	}
	vsock_dev_unlock(u->dev);
}

/*
 * Read the CONNECT line one byte at a time, so that nothing after the
 * newline is consumed here.
 */
static void pending_event(void *opaque, int fd, u32 events)
{
	struct vsock_uds *u = opaque;
	struct uds_pending *p = find_pending(u, fd);
	size_t used;
	ssize_t n;
	u32 port;

	(void)events;
	if (!p) {
		return;
	}
	while (p->len < sizeof(p->line)) {
		n = recv(fd, &p->line[p->len], 1, MSG_DONTWAIT);
		if (n < 0 && errno == EAGAIN) {
			return;
		}
		if (n <= 0) {
			drop_pending(u, p);
			return;
		}
		p->len++;
		switch (connect_line_parse(p->line, p->len, &port, &used)) {
		case CONNECT_LINE_OK:
			start_host_conn(u, p, port);
			return;
		case CONNECT_LINE_BAD:
			log_client("vsock: malformed CONNECT line, closed");
			drop_pending(u, p);
			return;
		case CONNECT_LINE_MORE:
			break;
		}
	}
	drop_pending(u, p);
}

static void listen_event(void *opaque, int lfd, u32 events)
{
	struct vsock_uds *u = opaque;
	struct uds_pending *p;
	int fd;

	(void)events;
	for (;;) {
		fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			return;
		}
		size_send_buffer(fd);
		p = find_pending(u, -1);
		if (!p) {
			log_client("vsock: %u clients before CONNECT, the oldest closed",
				   UDS_MAX_PENDING);
			p = oldest_pending(u);
			drop_pending(u, p);
		}
		p->fd = fd;
		p->len = 0;
		p->seq = u->next_seq++;
		p->accepted_ms = now_ms();
		if (el_add(u->el, fd, EPOLLIN, pending_event, u)) {
			close(fd);
			p->fd = -1;
		}
		arm_deadline(u);
	}
}

int vsock_uds_init(struct vsock_uds *u, const char *path,
		   struct eventloop *el, struct vsock_dev *dev)
{
	unsigned int i;

	memset(u, 0, sizeof(*u));
	u->el = el;
	u->dev = dev;
	u->listen_fd = -1;
	u->timer_fd = -1;
	u->connect_timeout_ms = UDS_CONNECT_TIMEOUT_MS;
	for (i = 0; i < UDS_MAX_PENDING; i++) {
		u->pend[i].fd = -1;
	}
	if (strlen(path) >= sizeof(u->path)) {
		return -ENAMETOOLONG;
	}
	memcpy(u->path, path, strlen(path) + 1);
	return 0;
}

/* A socket left behind by a killed pvmm is replaced; anything else is not. */
static int remove_stale(const char *path)
{
	struct stat st;

	if (lstat(path, &st)) {
		return errno == ENOENT ? 0 : -errno;
	}
	if (!S_ISSOCK(st.st_mode)) {
		return -EEXIST;
	}
	return unlink(path) ? -errno : 0;
}

int vsock_uds_listen(struct vsock_uds *u)
{
	struct sockaddr_un sa;
	int ret;

	ret = set_addr(&sa, u->path);
	if (!ret) {
		ret = remove_stale(u->path);
	}
	if (ret) {
		return ret;
	}
	u->timer_fd = timerfd_create(CLOCK_MONOTONIC,
				     TFD_NONBLOCK | TFD_CLOEXEC);
	if (u->timer_fd < 0) {
		return -errno;
	}
	ret = el_add(u->el, u->timer_fd, EPOLLIN, deadline_event, u);
	if (ret) {
		close(u->timer_fd);
		u->timer_fd = -1;
		return ret;
	}
	u->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK |
			      SOCK_CLOEXEC, 0);
	if (u->listen_fd < 0) {
		return -errno;
	}
	if (bind(u->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(u->listen_fd, 32)) {
		ret = -errno;
		close(u->listen_fd);
		u->listen_fd = -1;
		return ret;
	}
	return el_add(u->el, u->listen_fd, EPOLLIN, listen_event, u);
}

void vsock_uds_cleanup(struct vsock_uds *u)
{
	unsigned int i;

	for (i = 0; i < UDS_MAX_PENDING; i++) {
		if (u->pend[i].fd >= 0) {
			drop_pending(u, &u->pend[i]);
		}
	}
	if (u->timer_fd >= 0) {
		el_del(u->el, u->timer_fd);
		close(u->timer_fd);
		u->timer_fd = -1;
	}
	if (u->listen_fd >= 0) {
		el_del(u->el, u->listen_fd);
		close(u->listen_fd);
		unlink(u->path);
		u->listen_fd = -1;
	}
}
