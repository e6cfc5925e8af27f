/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The I/O thread: an epoll loop that dispatches by file descriptor.
 *
 * Callbacks are found by fd at dispatch time rather than through a pointer
 * stored in the epoll event, so an fd removed by another thread while its
 * event is in flight is simply skipped.
 */
#ifndef PVMM_EVENTLOOP_H
#define PVMM_EVENTLOOP_H

#include <pthread.h>

#include "base.h"

#define EL_MAX_FDS	1024

typedef void (*el_cb_t)(void *opaque, int fd, u32 events);

struct el_entry {
	el_cb_t cb;
	void *opaque;
};

struct eventloop {
	int epfd;
	int stop_fd;			/* eventfd: written to stop the loop */
	pthread_mutex_t lock;
	struct el_entry entry[EL_MAX_FDS];
};

int el_init(struct eventloop *el);
void el_destroy(struct eventloop *el);
int el_add(struct eventloop *el, int fd, u32 events, el_cb_t cb,
	   void *opaque);
void el_del(struct eventloop *el, int fd);
int el_run_once(struct eventloop *el, int timeout_ms);
int el_run(struct eventloop *el);
void el_stop(struct eventloop *el);

#endif /* PVMM_EVENTLOOP_H */
