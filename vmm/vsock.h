/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vsock stream protocol between the guest and the host, without any
 * I/O: packets from the guest go in through vsock_guest_pkt(), their
 * payload in as many pieces as the guest split it into, packets for
 * the guest come out of vsock_next_pkt(), and the host side is reached
 * through struct vsock_backend_ops, whose "handles" are opaque integers (the
 * Unix socket backend uses file descriptors, the unit tests use fakes).
 *
 * Credit: we tell the guest how much it may send (buf_alloc) and how much
 * we forwarded (fwd_cnt); bytes the host cannot take yet are kept, up to
 * buf_alloc, and a guest that sends beyond its credit is reset. We send the
 * guest at most what its own buf_alloc/fwd_cnt allow.
 */
#ifndef PVMM_VSOCK_H
#define PVMM_VSOCK_H

#include <sys/uio.h>
#include <linux/virtio_vsock.h>

#include "base.h"

#define VSOCK_MAX_CONNS		64
#define VSOCK_BUF_ALLOC		(256 * 1024)
#define VSOCK_MAX_PAYLOAD	(64 * 1024)
/* Host data read ahead of the guest's rx buffers, per connection. */
#define VSOCK_STAGE		(64 * 1024)
#define VSOCK_MAX_ORPHANS	32
#define VSOCK_HOST_PORT_BASE	BIT(30)

/* A virtio_vsock_hdr in host byte order. */
struct vsock_pkt {
	u64 src_cid;
	u64 dst_cid;
	u32 src_port;
	u32 dst_port;
	u32 len;
	u16 type;
	u16 op;
	u32 flags;
	u32 buf_alloc;
	u32 fwd_cnt;
};

struct vsock_backend_ops {
	/* Guest connects to host port @port: a handle >= 0, or -errno. */
	int (*connect)(void *opaque, u32 port);
	/* A host-initiated connection got its RESPONSE from the guest. */
	int (*established)(void *opaque, int handle, u32 local_port);
	/*
	 * Bytes written from the @nr pieces of @iov, in order, or -errno
	 * (-EAGAIN when it would block).
	 */
	long (*send)(void *opaque, int handle, const struct iovec *iov,
		     unsigned int nr);
	/* Bytes read, 0 at end of stream, or -errno (-EAGAIN). */
	long (*recv)(void *opaque, int handle, void *buf, size_t len);
	/* The guest will send no more: half-close towards the host. */
	void (*shutdown_wr)(void *opaque, int handle);
	void (*close)(void *opaque, int handle);
};

enum vsock_state {
	VS_FREE,
	VS_REQUEST,		/* host-initiated, REQUEST not sent yet */
	VS_CONNECTING,		/* REQUEST sent, waiting for RESPONSE */
	VS_ESTABLISHED,
	VS_CLOSING,		/* guest shut down both ways, flushing */
};

/* Control packets waiting to go to the guest. */
#define VS_PEND_RESPONSE	BIT(0)
#define VS_PEND_SHUTDOWN	BIT(1)
#define VS_PEND_CREDIT		BIT(2)

struct vsock_conn {
	enum vsock_state state;
	int handle;
	u32 local_port;		/* our port, on CID 2 */
	u32 peer_port;		/* the guest's port */
	u32 pending;
	u32 peer_buf_alloc;
	u32 peer_fwd_cnt;
	u32 tx_cnt;		/* payload bytes sent to the guest */
	u32 rx_cnt;		/* payload bytes received from the guest */
	u32 fwd_cnt;		/* of those, bytes the host has taken */
	u32 fwd_cnt_sent;	/* fwd_cnt as last told to the guest */
	u32 peer_shutdown;	/* VIRTIO_VSOCK_SHUTDOWN_* from the guest */
	bool host_readable;
	bool host_eof;
	bool host_wr_shut;
	u8 *buf;		/* ring of bytes the host has not taken */
	u32 buf_head;
	u32 buf_len;
	u8 *stage;		/* host bytes read, not yet sent to the guest */
	u32 stage_head;
	u32 stage_len;
};

struct vsock {
	u64 guest_cid;
	const struct vsock_backend_ops *ops;
	void *opaque;
	struct vsock_conn conn[VSOCK_MAX_CONNS];
	unsigned int rr;
	struct vsock_pkt orphan[VSOCK_MAX_ORPHANS];
	unsigned int nr_orphans;
	u32 next_local_port;
};

void vsock_hdr_decode(const struct virtio_vsock_hdr *raw, struct vsock_pkt *p);
void vsock_hdr_encode(const struct vsock_pkt *p, struct virtio_vsock_hdr *raw);

void vsock_init(struct vsock *vs, u64 guest_cid,
		const struct vsock_backend_ops *ops, void *opaque);
void vsock_reset(struct vsock *vs);
void vsock_guest_pkt(struct vsock *vs, const struct vsock_pkt *p,
		     const struct iovec *payload, unsigned int nr);
int vsock_next_pkt(struct vsock *vs, struct vsock_pkt *p, void *payload,
		   u32 max_payload);
int vsock_host_connect(struct vsock *vs, int handle, u32 guest_port);
void vsock_host_event(struct vsock *vs, int handle, bool readable,
		      bool writable);
unsigned int vsock_nr_conns(const struct vsock *vs);
struct vsock_conn *vsock_find_handle(struct vsock *vs, int handle);

#endif /* PVMM_VSOCK_H */
