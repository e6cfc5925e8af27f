/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host side of vsock over Unix sockets, compatible with Firecracker:
 *  - a host client connects to the socket at <path> and sends
 *    "CONNECT <port>\n"; once the guest accepts it reads "OK <host_port>\n"
 *    and then has a byte stream to guest port <port>;
 *  - a guest connecting to CID 2 port P is connected to "<path>_P".
 */
#ifndef PVMM_VSOCK_UDS_H
#define PVMM_VSOCK_UDS_H

#include <sys/un.h>

#include "connect_line.h"
#include "eventloop.h"
#include "vsock_dev.h"

/*
 * Clients that have not sent their CONNECT line yet: at most
 * UDS_MAX_PENDING at once, each for at most connect_timeout_ms (by
 * default UDS_CONNECT_TIMEOUT_MS). A newcomer to a full table closes the
 * client that has waited longest, so a flood of silent clients cannot
 * keep out one that sends its line promptly.
 */
#define UDS_MAX_PENDING		16
#define UDS_CONNECT_TIMEOUT_MS	2000

struct uds_pending {
	int fd;
	u64 seq;		/* accept order: the oldest has the lowest */
	u64 accepted_ms;	/* CLOCK_MONOTONIC */
	size_t len;
	char line[CONNECT_LINE_MAX];
};

struct vsock_uds {
	struct eventloop *el;
	struct vsock_dev *dev;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int listen_fd;
	int timer_fd;		/* fires at the next CONNECT deadline */
	u32 connect_timeout_ms;
	u64 next_seq;
	struct uds_pending pend[UDS_MAX_PENDING];
};

extern const struct vsock_backend_ops vsock_uds_ops;

int vsock_uds_init(struct vsock_uds *u, const char *path,
		   struct eventloop *el, struct vsock_dev *dev);
int vsock_uds_listen(struct vsock_uds *u);
void vsock_uds_cleanup(struct vsock_uds *u);

#endif /* PVMM_VSOCK_UDS_H */
