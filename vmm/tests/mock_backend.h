/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A scripted vsock host backend for the unit tests and the fuzzer: handles
 * are small integers, "host sockets" are byte buffers.
 */
#ifndef PVMM_TESTS_MOCK_BACKEND_H
#define PVMM_TESTS_MOCK_BACKEND_H

#include <errno.h>
#include <string.h>

#include "vsock.h"

#define MOCK_HANDLES	(VSOCK_MAX_CONNS + 8)
#define MOCK_BUF	(256 * 1024)

struct mock_sock {
	bool open;
	bool refuse;		/* connect() to this port fails */
	bool shut_wr;
	bool eof;		/* host side closed its write end */
	int err;		/* send/recv fail with this */
	u32 port;
	u32 established_port;
	size_t send_room;	/* bytes send() takes before EAGAIN */
	size_t sent_len;
	unsigned int sends;		/* send() calls */
	unsigned int last_pieces;	/* the last one's iovec count */
	u8 sent[MOCK_BUF];
	size_t recv_len;
	size_t recv_off;
	unsigned int recvs;	/* calls of recv() */
	u8 recv[MOCK_BUF];
};

struct mock {
	struct mock_sock s[MOCK_HANDLES];
	unsigned int connects;
	unsigned int closes;
	u32 refuse_port;	/* connect() to this port fails */
};

static inline int mock_connect(void *opaque, u32 port)
{
	struct mock *m = opaque;
	int h;

	m->connects++;
	if (port == m->refuse_port) {
		return -ECONNREFUSED;
	}
	for (h = 0; h < MOCK_HANDLES; h++) {
		if (!m->s[h].open) {
			memset(&m->s[h], 0, sizeof(m->s[h]));
			m->s[h].open = true;
			m->s[h].port = port;
			m->s[h].send_room = MOCK_BUF;
			return h;
		}
	}
	return -EMFILE;
}

static inline int mock_established(void *opaque, int h, u32 local_port)
{
	struct mock *m = opaque;

	m->s[h].established_port = local_port;
	return 0;
}

/* One piece of a send: as much of it as there is room for. */
static inline size_t mock_take(struct mock_sock *s, const struct iovec *iov)
{
	size_t n = iov->iov_len < s->send_room ? iov->iov_len : s->send_room;

	if (n > MOCK_BUF - s->sent_len) {
		n = MOCK_BUF - s->sent_len;
	}
	memcpy(s->sent + s->sent_len, iov->iov_base, n);
	s->sent_len += n;
	s->send_room -= n;
	return n;
}

static inline long mock_send(void *opaque, int h, const struct iovec *iov,
			     unsigned int nr)
{
	struct mock_sock *s = &((struct mock *)opaque)->s[h];
	unsigned int i;
	size_t n = 0, got;

	if (s->err) {
		return -s->err;
	}
	s->sends++;
	s->last_pieces = nr;
	for (i = 0; i < nr; i++) {
		got = mock_take(s, &iov[i]);
		n += got;
		if (got < iov[i].iov_len) {
			break;
		}
	}
	return n ? (long)n : -EAGAIN;
}

static inline long mock_recv(void *opaque, int h, void *buf, size_t len)
{
	struct mock_sock *s = &((struct mock *)opaque)->s[h];
	size_t n = s->recv_len - s->recv_off;

	s->recvs++;
	if (s->err) {
		return -s->err;
	}
	if (!n) {
		return s->eof ? 0 : -EAGAIN;
	}
	n = n < len ? n : len;
	memcpy(buf, s->recv + s->recv_off, n);
	s->recv_off += n;
	return n;
}

static inline void mock_shutdown_wr(void *opaque, int h)
{
	((struct mock *)opaque)->s[h].shut_wr = true;
}

static inline void mock_close(void *opaque, int h)
{
	struct mock *m = opaque;

	m->s[h].open = false;
	m->closes++;
}

/* Data the "host" has for the guest on handle @h. */
static inline void mock_host_write(struct mock *m, int h, const void *d,
				   size_t len)
{
	memcpy(m->s[h].recv + m->s[h].recv_len, d, len);
	m->s[h].recv_len += len;
}

static const struct vsock_backend_ops mock_ops = {
	.connect = mock_connect,
	.established = mock_established,
	.send = mock_send,
	.recv = mock_recv,
	.shutdown_wr = mock_shutdown_wr,
	.close = mock_close,
};

#endif /* PVMM_TESTS_MOCK_BACKEND_H */
