// SPDX-License-Identifier: GPL-2.0
/*
 * vsock stream protocol state machine (no I/O of its own).
 */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/vm_sockets.h>

#include "log.h"
#include "vsock.h"

#define SHUTDOWN_BOTH	(VIRTIO_VSOCK_SHUTDOWN_RCV | VIRTIO_VSOCK_SHUTDOWN_SEND)

void vsock_hdr_decode(const struct virtio_vsock_hdr *raw, struct vsock_pkt *p)
{
	p->src_cid = le64toh(raw->src_cid);
	p->dst_cid = le64toh(raw->dst_cid);
	p->src_port = le32toh(raw->src_port);
	p->dst_port = le32toh(raw->dst_port);
	p->len = le32toh(raw->len);
	p->type = le16toh(raw->type);
	p->op = le16toh(raw->op);
	p->flags = le32toh(raw->flags);
	p->buf_alloc = le32toh(raw->buf_alloc);
	p->fwd_cnt = le32toh(raw->fwd_cnt);
}

void vsock_hdr_encode(const struct vsock_pkt *p, struct virtio_vsock_hdr *raw)
{
	raw->src_cid = htole64(p->src_cid);
	raw->dst_cid = htole64(p->dst_cid);
	raw->src_port = htole32(p->src_port);
	raw->dst_port = htole32(p->dst_port);
	raw->len = htole32(p->len);
	raw->type = htole16(p->type);
	raw->op = htole16(p->op);
	raw->flags = htole32(p->flags);
	raw->buf_alloc = htole32(p->buf_alloc);
	raw->fwd_cnt = htole32(p->fwd_cnt);
}

void vsock_init(struct vsock *vs, u64 guest_cid,
		const struct vsock_backend_ops *ops, void *opaque)
{
	memset(vs, 0, sizeof(*vs));
	vs->guest_cid = guest_cid;
	vs->ops = ops;
	vs->opaque = opaque;
	vs->next_local_port = VSOCK_HOST_PORT_BASE;
}

unsigned int vsock_nr_conns(const struct vsock *vs)
{
	unsigned int i, n = 0;

	for (i = 0; i < VSOCK_MAX_CONNS; i++) {
		if (vs->conn[i].state != VS_FREE) {
			n++;
		}
	}
	return n;
}

static struct vsock_conn *find_conn(struct vsock *vs, u32 local, u32 peer)
{
	struct vsock_conn *c;
	unsigned int i;

	for (i = 0; i < VSOCK_MAX_CONNS; i++) {
		c = &vs->conn[i];
		if (c->state != VS_FREE && c->local_port == local &&
		    c->peer_port == peer) {
			return c;
		}
	}
	return NULL;
}

struct vsock_conn *vsock_find_handle(struct vsock *vs, int handle)
{
	unsigned int i;

	for (i = 0; i < VSOCK_MAX_CONNS; i++) {
		if (vs->conn[i].state != VS_FREE &&
		    vs->conn[i].handle == handle) {
			return &vs->conn[i];
		}
	}
	return NULL;
}

static struct vsock_conn *alloc_conn(struct vsock *vs)
{
	unsigned int i;

	for (i = 0; i < VSOCK_MAX_CONNS; i++) {
		if (vs->conn[i].state == VS_FREE) {
			memset(&vs->conn[i], 0, sizeof(vs->conn[i]));
			vs->conn[i].handle = -1;
			return &vs->conn[i];
		}
	}
	return NULL;
}

static void close_conn(struct vsock *vs, struct vsock_conn *c)
{
	if (c->handle >= 0) {
		vs->ops->close(vs->opaque, c->handle);
	}
	free(c->buf);
	free(c->stage);
	memset(c, 0, sizeof(*c));
	c->state = VS_FREE;
}

/* An RST for a connection we do not (or no longer) keep state for. */
static void queue_rst(struct vsock *vs, u32 local_port, u32 peer_port)
{
	struct vsock_pkt *p;

	if (vs->nr_orphans == VSOCK_MAX_ORPHANS) {
		log_guest("vsock: too many pending resets, one dropped");
		return;
	}
	p = &vs->orphan[vs->nr_orphans++];
	memset(p, 0, sizeof(*p));
	p->src_cid = VMADDR_CID_HOST;
	p->dst_cid = vs->guest_cid;
	p->src_port = local_port;
	p->dst_port = peer_port;
	p->type = VIRTIO_VSOCK_TYPE_STREAM;
	p->op = VIRTIO_VSOCK_OP_RST;
}

static void reset_conn(struct vsock *vs, struct vsock_conn *c)
{
	queue_rst(vs, c->local_port, c->peer_port);
	close_conn(vs, c);
}

static u32 peer_credit(const struct vsock_conn *c)
{
	u32 in_flight = c->tx_cnt - c->peer_fwd_cnt;

	if (in_flight > c->peer_buf_alloc) {
		return 0;
	}
	return c->peer_buf_alloc - in_flight;
}

static void credit_check(struct vsock_conn *c)
{
	if (c->fwd_cnt - c->fwd_cnt_sent >= VSOCK_BUF_ALLOC / 4) {
		c->pending |= VS_PEND_CREDIT;
	}
}

static int ring_put(struct vsock_conn *c, const u8 *data, u32 len)
{
	u32 tail, n;

	if (!c->buf) {
		c->buf = malloc(VSOCK_BUF_ALLOC);
		if (!c->buf) {
			return -ENOMEM;
		}
	}
	while (len) {
		tail = (c->buf_head + c->buf_len) % VSOCK_BUF_ALLOC;
		n = min_u32(len, VSOCK_BUF_ALLOC - tail);
		memcpy(c->buf + tail, data, n);
		c->buf_len += n;
		data += n;
		len -= n;
	}
	return 0;
}

/* The bytes of @iov's @nr pieces past the first @skip, into the ring. */
static int ring_put_iov(struct vsock_conn *c, const struct iovec *iov,
			unsigned int nr, size_t skip)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		if (skip >= iov[i].iov_len) {
			skip -= iov[i].iov_len;
			continue;
		}
		if (ring_put(c, (const u8 *)iov[i].iov_base + skip,
			     iov[i].iov_len - skip)) {
			return -ENOMEM;
		}
		skip = 0;
	}
	return 0;
}

/* The ring's bytes, oldest first, as one piece or two. Returns how many. */
static unsigned int ring_iov(const struct vsock_conn *c, struct iovec *iov)
{
	u32 first = min_u32(c->buf_len, VSOCK_BUF_ALLOC - c->buf_head);

	iov[0].iov_base = c->buf + c->buf_head;
	iov[0].iov_len = first;
	iov[1].iov_base = c->buf;
	iov[1].iov_len = c->buf_len - first;
	return iov[1].iov_len ? 2 : 1;
}

/*
 * Once everything the guest sent has reached the host, carry out the
 * guest's shutdown. Returns -1 if the connection is gone.
 */
static int after_flush(struct vsock *vs, struct vsock_conn *c)
{
	if (c->buf_len) {
		return 0;
	}
	if (c->state == VS_CLOSING) {
		reset_conn(vs, c);
		return -1;
	}
	if ((c->peer_shutdown & VIRTIO_VSOCK_SHUTDOWN_SEND) &&
	    !c->host_wr_shut) {
		c->host_wr_shut = true;
		vs->ops->shutdown_wr(vs->opaque, c->handle);
	}
	return 0;
}

/*
 * Write buffered bytes to the host, in one call: what it does not take
 * waits for the next writable event. Returns -1 if the connection is gone.
 */
static int flush(struct vsock *vs, struct vsock_conn *c)
{
	struct iovec iov[2];
	long n;

	if (c->buf_len) {
		n = vs->ops->send(vs->opaque, c->handle, iov,
				  ring_iov(c, iov));
		if (n < 0 && n != -EAGAIN) {
			reset_conn(vs, c);
			return -1;
		}
		if (n > 0) {
			c->buf_head = (c->buf_head + n) % VSOCK_BUF_ALLOC;
			c->buf_len -= n;
			c->fwd_cnt += n;
		}
	}
	credit_check(c);
	return after_flush(vs, c);
}

/*
 * Data from the guest, in @nr pieces: straight to the host while nothing
 * is waiting before it, and what the host does not take into the ring.
 */
static void guest_rw(struct vsock *vs, struct vsock_conn *c,
		     const struct vsock_pkt *p, const struct iovec *iov,
		     unsigned int nr)
{
	u32 len = p->len;
	long n = 0;

	if (c->state != VS_ESTABLISHED ||
	    (c->peer_shutdown & VIRTIO_VSOCK_SHUTDOWN_SEND)) {
		log_guest("vsock: data on port %u in wrong state", c->local_port);
		reset_conn(vs, c);
		return;
	}
	if (len > VSOCK_BUF_ALLOC - c->buf_len) {
		log_guest("vsock: guest exceeded its credit on port %u",
			  c->local_port);
		reset_conn(vs, c);
		return;
	}
	c->rx_cnt += len;
	if (!c->buf_len && len) {
		n = vs->ops->send(vs->opaque, c->handle, iov, nr);
		if (n < 0 && n != -EAGAIN) {
			reset_conn(vs, c);
			return;
		}
		n = n < 0 ? 0 : n;
		c->fwd_cnt += n;
	}
	if ((u32)n < len && ring_put_iov(c, iov, nr, n)) {
		reset_conn(vs, c);
		return;
	}
	credit_check(c);
}

static void guest_shutdown(struct vsock *vs, struct vsock_conn *c,
			   const struct vsock_pkt *p)
{
	if (c->state != VS_ESTABLISHED && c->state != VS_CLOSING) {
		reset_conn(vs, c);
		return;
	}
	c->peer_shutdown |= p->flags & SHUTDOWN_BOTH;
	if (c->peer_shutdown == SHUTDOWN_BOTH) {
		c->state = VS_CLOSING;
	}
	after_flush(vs, c);
}

static void guest_response(struct vsock *vs, struct vsock_conn *c)
{
	if (c->state != VS_CONNECTING) {
		reset_conn(vs, c);
		return;
	}
	c->state = VS_ESTABLISHED;
	if (vs->ops->established(vs->opaque, c->handle, c->local_port) < 0) {
		reset_conn(vs, c);
	}
}

static void guest_request(struct vsock *vs, const struct vsock_pkt *p)
{
	struct vsock_conn *c = alloc_conn(vs);
	int handle;

	if (!c) {
		log_guest("vsock: connection limit reached, port %u refused",
			  p->dst_port);
		queue_rst(vs, p->dst_port, p->src_port);
		return;
	}
	handle = vs->ops->connect(vs->opaque, p->dst_port);
	if (handle < 0) {
		pr_info("vsock: guest connection to port %u refused",
			p->dst_port);
		queue_rst(vs, p->dst_port, p->src_port);
		return;
	}
	c->state = VS_ESTABLISHED;
	c->handle = handle;
	c->local_port = p->dst_port;
	c->peer_port = p->src_port;
	c->peer_buf_alloc = p->buf_alloc;
	c->peer_fwd_cnt = p->fwd_cnt;
	c->pending = VS_PEND_RESPONSE;
}

static void conn_pkt(struct vsock *vs, struct vsock_conn *c,
		     const struct vsock_pkt *p, const struct iovec *payload,
		     unsigned int nr)
{
	c->peer_buf_alloc = p->buf_alloc;
	c->peer_fwd_cnt = p->fwd_cnt;
	switch (p->op) {
	case VIRTIO_VSOCK_OP_RESPONSE:
		guest_response(vs, c);
		break;
	case VIRTIO_VSOCK_OP_RW:
		guest_rw(vs, c, p, payload, nr);
		break;
	case VIRTIO_VSOCK_OP_SHUTDOWN:
		guest_shutdown(vs, c, p);
		break;
	case VIRTIO_VSOCK_OP_RST:
		close_conn(vs, c);
		break;
	case VIRTIO_VSOCK_OP_CREDIT_UPDATE:
		break;
	case VIRTIO_VSOCK_OP_CREDIT_REQUEST:
		c->pending |= VS_PEND_CREDIT;
		break;
	default:	/* REQUEST on a live connection, unknown ops */
		log_guest("vsock: op %u on port %u, connection reset", p->op,
			  c->local_port);
		reset_conn(vs, c);
		break;
	}
}

/*
 * One packet from the guest's tx queue. The @nr pieces of @payload hold
 * p->len bytes; the caller has checked that the chain had that many.
 */
void vsock_guest_pkt(struct vsock *vs, const struct vsock_pkt *p,
		     const struct iovec *payload, unsigned int nr)
{
	struct vsock_conn *c;

	if (p->src_cid != vs->guest_cid || p->dst_cid != VMADDR_CID_HOST) {
		log_guest("vsock: packet from cid %llu to cid %llu dropped",
			  p->src_cid, p->dst_cid);
		return;
	}
	c = find_conn(vs, p->dst_port, p->src_port);
	if (p->type != VIRTIO_VSOCK_TYPE_STREAM) {
		log_guest("vsock: socket type %u not supported", p->type);
		if (c) {
			reset_conn(vs, c);
		} else if (p->op != VIRTIO_VSOCK_OP_RST) {
			queue_rst(vs, p->dst_port, p->src_port);
		}
		return;
	}
	if (c) {
		conn_pkt(vs, c, p, payload, nr);
	} else if (p->op == VIRTIO_VSOCK_OP_REQUEST) {
		guest_request(vs, p);
	} else if (p->op != VIRTIO_VSOCK_OP_RST) {
		queue_rst(vs, p->dst_port, p->src_port);
	}
}

static void make_hdr(struct vsock *vs, struct vsock_conn *c,
		     struct vsock_pkt *p, u16 op)
{
	memset(p, 0, sizeof(*p));
	p->src_cid = VMADDR_CID_HOST;
	p->dst_cid = vs->guest_cid;
	p->src_port = c->local_port;
	p->dst_port = c->peer_port;
	p->type = VIRTIO_VSOCK_TYPE_STREAM;
	p->op = op;
	p->buf_alloc = VSOCK_BUF_ALLOC;
	p->fwd_cnt = c->fwd_cnt;
	c->fwd_cnt_sent = c->fwd_cnt;
	c->pending &= ~VS_PEND_CREDIT;
}

/*
 * Up to @n bytes of host data into @payload, as recv() returns. A guest's rx
 * buffers are small (Linux posts 4 KiB ones), so rather than one recv() per
 * buffer, one recv() reads up to VSOCK_STAGE bytes, as many as the guest
 * has credit for, into the connection's stage, and the next buffers take
 * them from there. A buffer as large as the stage gets a recv() of its own.
 */
static long host_read(struct vsock *vs, struct vsock_conn *c, u8 *payload,
		      u32 n)
{
	long r;

	if (!c->stage_len) {
		if (!c->stage && n < VSOCK_STAGE) {
			c->stage = malloc(VSOCK_STAGE);
		}
		if (!c->stage || n >= VSOCK_STAGE) {
			return vs->ops->recv(vs->opaque, c->handle, payload, n);
		}
		r = vs->ops->recv(vs->opaque, c->handle, c->stage,
				  min_u32(peer_credit(c), VSOCK_STAGE));
		if (r <= 0) {
			return r;
		}
		c->stage_head = 0;
		c->stage_len = r;
	}
	n = min_u32(n, c->stage_len);
	memcpy(payload, c->stage + c->stage_head, n);
	c->stage_head += n;
	c->stage_len -= n;
	return n;
}

/* Data from the host, if it has some and the guest has room. */
static int conn_data(struct vsock *vs, struct vsock_conn *c,
		     struct vsock_pkt *p, void *payload, u32 max)
{
	u32 n = min_u32(peer_credit(c), max);
	long r;

	if (c->state != VS_ESTABLISHED ||
	    (!c->host_readable && !c->stage_len) || c->host_eof ||
	    (c->peer_shutdown & VIRTIO_VSOCK_SHUTDOWN_RCV) || !n) {
		return -ENOENT;
	}
	r = host_read(vs, c, payload, n);
	if (r > 0) {
		make_hdr(vs, c, p, VIRTIO_VSOCK_OP_RW);
		p->len = r;
		c->tx_cnt += r;
		return r;
	}
	c->host_readable = false;
	if (!r) {
		c->host_eof = true;
		make_hdr(vs, c, p, VIRTIO_VSOCK_OP_SHUTDOWN);
		p->flags = VIRTIO_VSOCK_SHUTDOWN_SEND;
		return 0;
	}
	if (r != -EAGAIN) {
		reset_conn(vs, c);
	}
	return -ENOENT;
}

static int conn_next_pkt(struct vsock *vs, struct vsock_conn *c,
			 struct vsock_pkt *p, void *payload, u32 max)
{
	int ret;

	if (c->state == VS_REQUEST) {
		make_hdr(vs, c, p, VIRTIO_VSOCK_OP_REQUEST);
		c->state = VS_CONNECTING;
		return 0;
	}
	if (c->state == VS_CONNECTING) {
		return -ENOENT;
	}
	if (c->pending & VS_PEND_RESPONSE) {
		c->pending &= ~VS_PEND_RESPONSE;
		make_hdr(vs, c, p, VIRTIO_VSOCK_OP_RESPONSE);
		return 0;
	}
	ret = conn_data(vs, c, p, payload, max);
	if (ret >= 0 || c->state == VS_FREE) {
		return ret;
	}
	if (c->pending & VS_PEND_CREDIT) {
		make_hdr(vs, c, p, VIRTIO_VSOCK_OP_CREDIT_UPDATE);
		return 0;
	}
	return -ENOENT;
}

static int next_orphan(struct vsock *vs, struct vsock_pkt *p)
{
	if (!vs->nr_orphans) {
		return -ENOENT;
	}
	*p = vs->orphan[0];
	vs->nr_orphans--;
	memmove(&vs->orphan[0], &vs->orphan[1],
		vs->nr_orphans * sizeof(vs->orphan[0]));
	return 0;
}

/*
 * The next packet for the guest, with at most @max_payload bytes of data
 * in @payload. Returns the payload length (p->len), or -ENOENT if there is
 * nothing to send. Connections take turns.
 */
int vsock_next_pkt(struct vsock *vs, struct vsock_pkt *p, void *payload,
		   u32 max_payload)
{
	unsigned int i, idx;
	int ret;

	if (!next_orphan(vs, p)) {
		return 0;
	}
	max_payload = min_u32(max_payload, VSOCK_MAX_PAYLOAD);
	for (i = 0; i < VSOCK_MAX_CONNS; i++) {
		idx = (vs->rr + i) % VSOCK_MAX_CONNS;
		if (vs->conn[idx].state == VS_FREE) {
			continue;
		}
		ret = conn_next_pkt(vs, &vs->conn[idx], p, payload,
				    max_payload);
		if (ret >= 0) {
			vs->rr = (idx + 1) % VSOCK_MAX_CONNS;
			return ret;
		}
		if (!next_orphan(vs, p)) {
			return 0;
		}
	}
	return -ENOENT;
}

static u32 alloc_local_port(struct vsock *vs)
{
	unsigned int i;
	u32 port;

	for (;;) {
		port = vs->next_local_port++;
		if (vs->next_local_port < VSOCK_HOST_PORT_BASE) {
			vs->next_local_port = VSOCK_HOST_PORT_BASE;
		}
		for (i = 0; i < VSOCK_MAX_CONNS; i++) {
			if (vs->conn[i].state != VS_FREE &&
			    vs->conn[i].local_port == port) {
				break;
			}
		}
		if (i == VSOCK_MAX_CONNS) {
			return port;
		}
	}
}

/*
 * A host client asked for guest port @guest_port over @handle. The REQUEST
 * goes out with the next packets; -EBUSY at the connection limit.
 */
int vsock_host_connect(struct vsock *vs, int handle, u32 guest_port)
{
	struct vsock_conn *c = alloc_conn(vs);

	if (!c) {
		return -EBUSY;
	}
	c->state = VS_REQUEST;
	c->handle = handle;
	c->peer_port = guest_port;
	c->local_port = alloc_local_port(vs);
	return 0;
}

/* The backend saw @handle become readable and/or writable. */
void vsock_host_event(struct vsock *vs, int handle, bool readable,
		      bool writable)
{
	struct vsock_conn *c = vsock_find_handle(vs, handle);

	if (!c) {
		return;
	}
	if (writable && flush(vs, c)) {
		return;
	}
	if (readable) {
		c->host_readable = true;
	}
}

/* Device reset: forget all connections. */
void vsock_reset(struct vsock *vs)
{
	unsigned int i;

	for (i = 0; i < VSOCK_MAX_CONNS; i++) {
		if (vs->conn[i].state != VS_FREE) {
			close_conn(vs, &vs->conn[i]);
		}
	}
	vs->nr_orphans = 0;
}
