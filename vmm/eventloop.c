// SPDX-License-Identifier: GPL-2.0
/*
 * epoll loop with fd-indexed dispatch.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>

#include "eventloop.h"
#include "log.h"

int el_init(struct eventloop *el)
{
	memset(el, 0, sizeof(*el));
	el->stop_fd = -1;
	pthread_mutex_init(&el->lock, NULL);
	el->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (el->epfd < 0) {
		return -errno;
	}
	el->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (el->stop_fd < 0) {
		return -errno;
	}
	return el_add(el, el->stop_fd, EPOLLIN, NULL, NULL);
}

void el_destroy(struct eventloop *el)
{
	close(el->stop_fd);
	close(el->epfd);
}

int el_add(struct eventloop *el, int fd, u32 events, el_cb_t cb,
	   void *opaque)
{
	struct epoll_event ev = { .events = events, .data.fd = fd };

	if (fd < 0 || fd >= EL_MAX_FDS) {
		return -EMFILE;
	}
	pthread_mutex_lock(&el->lock);
	el->entry[fd].cb = cb;
	el->entry[fd].opaque = opaque;
	pthread_mutex_unlock(&el->lock);
	if (epoll_ctl(el->epfd, EPOLL_CTL_ADD, fd, &ev)) {
		el_del(el, fd);
		return -errno;
	}
	return 0;
}

/* Must be called before the fd is closed. */
void el_del(struct eventloop *el, int fd)
{
	if (fd < 0 || fd >= EL_MAX_FDS) {
		return;
	}
	epoll_ctl(el->epfd, EPOLL_CTL_DEL, fd, NULL);
	pthread_mutex_lock(&el->lock);
	el->entry[fd].cb = NULL;
	el->entry[fd].opaque = NULL;
	pthread_mutex_unlock(&el->lock);
}

/* Async-signal-safe. */
void el_stop(struct eventloop *el)
{
	u64 one = 1;

	if (write(el->stop_fd, &one, sizeof(one)) < 0) {
		return;
	}
}

static void dispatch(struct eventloop *el, const struct epoll_event *ev)
{
	int fd = ev->data.fd;
	struct el_entry e;

	pthread_mutex_lock(&el->lock);
	e = el->entry[fd];
	pthread_mutex_unlock(&el->lock);
	if (e.cb) {
		e.cb(e.opaque, fd, ev->events);
	}
}

/*
 * Wait up to @timeout_ms (-1: forever) and dispatch what came. Returns 1
 * once el_stop() was called, 0 otherwise, or -errno if epoll fails.
 */
int el_run_once(struct eventloop *el, int timeout_ms)
{
	struct epoll_event ev[32];
	int i, n;

	n = epoll_wait(el->epfd, ev, ARRAY_SIZE(ev), timeout_ms);
	if (n < 0 && errno == EINTR) {
		return 0;
	}
	if (n < 0) {
		pr_err("epoll_wait: %s", strerror(errno));
		return -errno;
	}
	for (i = 0; i < n; i++) {
		if (ev[i].data.fd == el->stop_fd) {
			return 1;
		}
		dispatch(el, &ev[i]);
	}
	return 0;
}

/* Runs until el_stop(). Returns 0, or -errno if epoll fails. */
int el_run(struct eventloop *el)
{
	int ret;

	do {
		ret = el_run_once(el, -1);
	} while (!ret);
	return ret < 0 ? ret : 0;
}
