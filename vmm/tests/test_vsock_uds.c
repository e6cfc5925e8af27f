// SPDX-License-Identifier: GPL-2.0
/*
 * Firecracker's host protocol over real Unix sockets: a host client's
 * "CONNECT <port>\n" and "OK <port>\n", a guest connecting to "<path>_P",
 * data both ways, and a stale socket left by a killed pvmm.
 */
#include "kselftest_harness.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <linux/vm_sockets.h>

#include "fake_guest.h"
#include "log.h"
#include "vsock_uds.h"

#define CID	9
#define HDR	sizeof(struct virtio_vsock_hdr)

struct uds_env {
	char dir[64];
	char path[128];
	struct fake_guest g;
	struct fake_ring r[VSOCK_VQ_NR];
	struct vsock_dev *d;
	struct eventloop el;
	struct vsock_uds u;
	u64 rx_addr[64];
	unsigned int rx_next;
};

FIXTURE(uds) {
	struct uds_env e;
};

static void add_rx_bufs(struct uds_env *s, unsigned int n)
{
	struct fg_buf b;

	while (n--) {
		b.addr = fg_alloc(&s->g, 4096);
		b.len = 4096;
		b.write = true;
		s->rx_addr[fg_add_chain(&s->g, &s->r[VSOCK_VQ_RX], &b, 1)] =
			b.addr;
	}
}

FIXTURE_SETUP(uds)
{
	struct uds_env *s = &self->e;
	unsigned int i;

	log_set_level(LOG_ERR);
	snprintf(s->dir, sizeof(s->dir), "/tmp/pvmm-uds-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(s->dir));
	snprintf(s->path, sizeof(s->path), "%s/v.sock", s->dir);
	fg_init(&s->g);
	for (i = 0; i < VSOCK_VQ_NR; i++) {
		fg_ring_init(&s->g, &s->r[i], 64);
	}
	s->d = calloc(1, sizeof(*s->d));
	ASSERT_EQ(0, el_init(&s->el));
	vsock_dev_init(s->d, CID, 0, &s->g.mem, &vsock_uds_ops,
		       &s->u);
	ASSERT_EQ(0, vsock_uds_init(&s->u, s->path, &s->el,
				    s->d));
	ASSERT_EQ(0, vsock_uds_listen(&s->u));
	fg_driver_init(&s->d->vdev, BIT_ULL(VIRTIO_F_VERSION_1), s->r,
		       VSOCK_VQ_NR);
	add_rx_bufs(s, 16);
}

FIXTURE_TEARDOWN(uds)
{
	struct uds_env *s = &self->e;
	char p[160];

	vsock_reset(&s->d->vs);
	vsock_uds_cleanup(&s->u);
	el_destroy(&s->el);
	free(s->d);
	fg_free(&s->g);
	snprintf(p, sizeof(p), "%s/v.sock_53", s->dir);
	unlink(p);
	rmdir(s->dir);
}

/* Let the I/O side run until nothing happens for a moment. */
static void spin(struct eventloop *el)
{
	int i;

	for (i = 0; i < 20; i++) {
		el_run_once(el, 10);
	}
}

/* Next packet the guest received, payload copied to @data. */
static bool guest_rx(struct uds_env *s, struct vsock_pkt *p, void *data)
{
	u32 id, len;

	if (!fg_get_used(&s->g, &s->r[VSOCK_VQ_RX], &id, &len) || len < HDR) {
		return false;
	}
	vsock_hdr_decode(fg_hva(&s->g, s->rx_addr[id]), p);
	if (data) {
		memcpy(data, (u8 *)fg_hva(&s->g, s->rx_addr[id]) + HDR,
		       len - HDR);
	}
	add_rx_bufs(s, 1);
	return true;
}

static void guest_tx_flags(struct uds_env *s, u16 op, u32 flags,
			   u32 src, u32 dst, const char *data)
{
	u32 len = data ? strlen(data) : 0;
	struct vsock_pkt p = {
		.src_cid = CID, .dst_cid = VMADDR_CID_HOST, .src_port = src,
		.dst_port = dst, .len = len, .type = VIRTIO_VSOCK_TYPE_STREAM,
		.op = op, .flags = flags, .buf_alloc = 65536,
	};
	u8 pkt[HDR + 256];
	struct fg_buf b;

	vsock_hdr_encode(&p, (struct virtio_vsock_hdr *)pkt);
	if (len) {
		memcpy(pkt + HDR, data, len);
	}
	b.addr = fg_put(&s->g, pkt, HDR + len);
	b.len = HDR + len;
	b.write = false;
	fg_add_chain(&s->g, &s->r[VSOCK_VQ_TX], &b, 1);
	fg_wr(&s->d->vdev, VIRTIO_MMIO_QUEUE_NOTIFY, VSOCK_VQ_TX);
}

static void guest_tx(struct uds_env *s, u16 op, u32 src, u32 dst,
		     const char *data)
{
	guest_tx_flags(s, op, 0, src, dst, data);
}

static int unix_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

static int unix_listen(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 4)) {
		close(fd);
		return -1;
	}
	return fd;
}

#define TIMED_OUT	(-2)

/* Read what is there within 200 ms; TIMED_OUT if nothing came. */
static ssize_t read_some(int fd, char *buf, size_t len)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	if (poll(&pfd, 1, 200) != 1) {
		return TIMED_OUT;
	}
	return read(fd, buf, len);
}

/* Closed by the other end: EOF, or a reset if it left data unread. */
static bool closed_by_peer(int fd)
{
	char buf[8];
	ssize_t n = read_some(fd, buf, sizeof(buf));

	return !n || (n == -1 && errno == ECONNRESET);
}

TEST_F(uds, host_initiated_echo)
{
	struct uds_env *s = &self->e;
	struct vsock_pkt p;
	char buf[64] = { 0 }, want[32];
	int fd = unix_connect(s->path);

	ASSERT_GE(fd, 0);
	ASSERT_EQ(11, write(fd, "CONNECT 52\n", 11));
	ASSERT_EQ(4, write(fd, "ping", 4));	/* before the OK, too */
	spin(&s->el);
	ASSERT_TRUE(guest_rx(s, &p, NULL));
	ASSERT_EQ(VIRTIO_VSOCK_OP_REQUEST, p.op);
	EXPECT_EQ(52U, p.dst_port);
	EXPECT_EQ((u64)CID, p.dst_cid);
	guest_tx(s, VIRTIO_VSOCK_OP_RESPONSE, 52, p.src_port, NULL);
	snprintf(want, sizeof(want), "OK %u\n", p.src_port);
	ASSERT_EQ((ssize_t)strlen(want), read_some(fd, buf, strlen(want)));
	EXPECT_STREQ(want, buf);
	spin(&s->el);
	ASSERT_TRUE(guest_rx(s, &p, buf));
	EXPECT_EQ(VIRTIO_VSOCK_OP_RW, p.op);
	ASSERT_EQ(4U, p.len);
	EXPECT_EQ(0, memcmp(buf, "ping", 4));
	guest_tx(s, VIRTIO_VSOCK_OP_RW, 52, p.src_port, "pong");
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(4, read_some(fd, buf, sizeof(buf)));
	EXPECT_STREQ("pong", buf);
	/* Host closes: the guest hears SHUTDOWN. */
	close(fd);
	spin(&s->el);
	ASSERT_TRUE(guest_rx(s, &p, NULL));
	EXPECT_EQ(VIRTIO_VSOCK_OP_SHUTDOWN, p.op);
}

TEST_F(uds, guest_initiated_echo)
{
	struct uds_env *s = &self->e;
	char path[160], buf[16] = { 0 };
	struct vsock_pkt p;
	int lfd, fd;

	snprintf(path, sizeof(path), "%s_53", s->path);
	lfd = unix_listen(path);
	ASSERT_GE(lfd, 0);
	guest_tx(s, VIRTIO_VSOCK_OP_REQUEST, 4000, 53, NULL);
	ASSERT_TRUE(guest_rx(s, &p, NULL));
	EXPECT_EQ(VIRTIO_VSOCK_OP_RESPONSE, p.op);
	fd = accept(lfd, NULL, NULL);
	ASSERT_GE(fd, 0);
	guest_tx(s, VIRTIO_VSOCK_OP_RW, 4000, 53, "hi");
	EXPECT_EQ(2, read_some(fd, buf, sizeof(buf)));
	EXPECT_STREQ("hi", buf);
	ASSERT_EQ(3, write(fd, "yo!", 3));
	spin(&s->el);
	ASSERT_TRUE(guest_rx(s, &p, buf));
	EXPECT_EQ(VIRTIO_VSOCK_OP_RW, p.op);
	EXPECT_EQ(0, memcmp(buf, "yo!", 3));
	/* Guest closes both ways: host sees EOF, guest gets RST. */
	guest_tx_flags(s, VIRTIO_VSOCK_OP_SHUTDOWN,
		       VIRTIO_VSOCK_SHUTDOWN_RCV | VIRTIO_VSOCK_SHUTDOWN_SEND,
		       4000, 53, NULL);
	EXPECT_EQ(0, read_some(fd, buf, sizeof(buf)));
	ASSERT_TRUE(guest_rx(s, &p, NULL));
	EXPECT_EQ(VIRTIO_VSOCK_OP_RST, p.op);
	EXPECT_EQ(0U, vsock_nr_conns(&s->d->vs));
	close(fd);
	close(lfd);
}

TEST_F(uds, guest_connect_without_listener_reset)
{
	struct uds_env *s = &self->e;
	struct vsock_pkt p;

	guest_tx(s, VIRTIO_VSOCK_OP_REQUEST, 4000, 99, NULL);
	ASSERT_TRUE(guest_rx(s, &p, NULL));
	EXPECT_EQ(VIRTIO_VSOCK_OP_RST, p.op);
}

TEST_F(uds, guest_refuses_host_connection)
{
	struct uds_env *s = &self->e;
	struct vsock_pkt p;
	int fd = unix_connect(s->path);

	ASSERT_GE(fd, 0);
	ASSERT_EQ(11, write(fd, "CONNECT 77\n", 11));
	spin(&s->el);
	ASSERT_TRUE(guest_rx(s, &p, NULL));
	guest_tx(s, VIRTIO_VSOCK_OP_RST, 77, p.src_port, NULL);
	EXPECT_TRUE(closed_by_peer(fd));	/* no OK */
	close(fd);
}

TEST_F(uds, malformed_connect_closed)
{
	struct uds_env *s = &self->e;
	struct vsock_pkt p;
	int fd = unix_connect(s->path);

	ASSERT_GE(fd, 0);
	ASSERT_EQ(9, write(fd, "HELLO 1\r\n", 9));
	spin(&s->el);
	EXPECT_TRUE(closed_by_peer(fd));
	EXPECT_FALSE(guest_rx(s, &p, NULL));
	close(fd);
}

/* Open @n clients that send half a CONNECT line and no more. */
static void half_open(struct uds_env *s, int *fds, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		fds[i] = unix_connect(s->path);
		if (fds[i] >= 0 && write(fds[i], "CONN", 4) != 4) {
			close(fds[i]);
			fds[i] = -1;
		}
		/* Within the listen backlog: let pvmm accept them. */
		el_run_once(&s->el, 0);
	}
	spin(&s->el);
}

/*
 * Three times as many silent clients as the table holds: each newcomer
 * closes the one that waited longest, so the oldest two thirds are gone,
 * and a client that then sends its line gets through to the guest.
 */
TEST_F(uds, pending_flood_does_not_lock_out)
{
	struct uds_env *s = &self->e;
	int fds[3 * UDS_MAX_PENDING], fd;
	unsigned int i, closed = 0;
	struct vsock_pkt p;

	half_open(s, fds, ARRAY_SIZE(fds));
	for (i = 0; i < ARRAY_SIZE(fds); i++) {
		ASSERT_GE(fds[i], 0);
		closed += closed_by_peer(fds[i]);
	}
	EXPECT_EQ(2U * UDS_MAX_PENDING, closed);
	EXPECT_TRUE(closed_by_peer(fds[0]));
	EXPECT_FALSE(closed_by_peer(fds[ARRAY_SIZE(fds) - 1]));

	fd = unix_connect(s->path);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(11, write(fd, "CONNECT 52\n", 11));
	spin(&s->el);
	ASSERT_TRUE(guest_rx(s, &p, NULL));
	EXPECT_EQ(VIRTIO_VSOCK_OP_REQUEST, p.op);
	EXPECT_EQ(52U, p.dst_port);
	close(fd);
	for (i = 0; i < ARRAY_SIZE(fds); i++) {
		close(fds[i]);
	}
}

/*
 * A client that has not finished its line by the deadline is closed;
 * one that finished it in time is not.
 */
TEST_F(uds, connect_deadline)
{
	struct uds_env *s = &self->e;
	struct vsock_pkt p;
	int slow, prompt, i;

	s->u.connect_timeout_ms = 100;
	slow = unix_connect(s->path);
	prompt = unix_connect(s->path);
	ASSERT_GE(slow, 0);
	ASSERT_GE(prompt, 0);
	ASSERT_EQ(4, write(slow, "CONN", 4));
	ASSERT_EQ(11, write(prompt, "CONNECT 52\n", 11));
	/* Ten deadlines' worth of event loop, at least. */
	for (i = 0; i < 100; i++) {
		el_run_once(&s->el, 10);
	}
	EXPECT_TRUE(closed_by_peer(slow));
	ASSERT_TRUE(guest_rx(s, &p, NULL));
	EXPECT_EQ(VIRTIO_VSOCK_OP_REQUEST, p.op);
	guest_tx(s, VIRTIO_VSOCK_OP_RESPONSE, 52, p.src_port, NULL);
	spin(&s->el);
	EXPECT_FALSE(closed_by_peer(prompt));
	close(slow);
	close(prompt);
}

/* A host client of guest port @port, accepted by the guest; its fd. */
static int accepted_client(struct uds_env *s, u32 port, u32 *host_port)
{
	struct vsock_pkt p;
	char line[32];
	int fd = unix_connect(s->path);

	if (fd < 0) {
		return -1;
	}
	snprintf(line, sizeof(line), "CONNECT %u\n", port);
	if (write(fd, line, strlen(line)) != (ssize_t)strlen(line)) {
		close(fd);
		return -1;
	}
	spin(&s->el);
	while (guest_rx(s, &p, NULL) && p.op == VIRTIO_VSOCK_OP_CREDIT_UPDATE) {
		;	/* the other connections' */
	}
	if (p.op != VIRTIO_VSOCK_OP_REQUEST) {
		close(fd);
		return -1;
	}
	*host_port = p.src_port;
	guest_tx(s, VIRTIO_VSOCK_OP_RESPONSE, port, p.src_port, NULL);
	spin(&s->el);
	return fd;
}

/*
 * A second connection, host client to guest port 53, still carries data
 * both ways while the first one is stalled; closed after.
 */
static void second_conn_echoes(struct __test_metadata *_metadata,
			       struct uds_env *s)
{
	char buf[4096] = { 0 };
	struct vsock_pkt p;
	u32 port;
	int b;

	b = accepted_client(s, 53, &port);
	ASSERT_GE(b, 0);
	ASSERT_EQ(2, write(b, "hi", 2));
	spin(&s->el);
	while (guest_rx(s, &p, buf) && p.op != VIRTIO_VSOCK_OP_RW) {
		;
	}
	EXPECT_EQ(VIRTIO_VSOCK_OP_RW, p.op);
	EXPECT_EQ(port, p.src_port);
	EXPECT_EQ(0, memcmp(buf, "hi", 2));
	guest_tx(s, VIRTIO_VSOCK_OP_RW, 53, port, "yo");
	memset(buf, 0, sizeof(buf));
	ASSERT_LE(3, read_some(b, buf, sizeof(buf) - 1));
	EXPECT_NE(NULL, strstr(buf, "yo")) TH_LOG("got: %s", buf);
	EXPECT_EQ(2U, vsock_nr_conns(&s->d->vs));
	close(b);
}

/* The data bytes the guest received, until its receive queue is empty. */
static u32 guest_rx_data_bytes(struct uds_env *s)
{
	char buf[4096];
	struct vsock_pkt p;
	u32 got = 0;

	while (guest_rx(s, &p, buf)) {
		if (p.op == VIRTIO_VSOCK_OP_RW) {
			got += p.len;
		}
	}
	return got;
}

/* The send buffer's size that SO_SNDBUF reports for @fd, or -1. */
static int send_buffer(int fd)
{
	int size = 0;
	socklen_t len = sizeof(size);

	return getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, &len) ? -1 : size;
}

/*
 * What SO_SNDBUF gives a Unix stream on this host: by default (@ask 0),
 * or once it asked for @ask bytes. From the kernel itself, not from
 * reading its limits.
 */
static int unix_send_buffer(int ask)
{
	int fds[2], size = -1;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds)) {
		return -1;
	}
	if (!ask || !setsockopt(fds[0], SOL_SOCKET, SO_SNDBUF, &ask,
				sizeof(ask))) {
		size = send_buffer(fds[0]);
	}
	close(fds[0]);
	close(fds[1]);
	return size;
}

/*
 * Both kinds of host stream, accepted and connected, get room for twice
 * the guest's credit window, as far as the kernel gives it.
 */
TEST_F(uds, host_streams_hold_the_credit_window)
{
	struct uds_env *s = &self->e;
	char path[160];
	unsigned int i;
	u32 port_a;
	int a, lfd, fd, wanted;

	a = accepted_client(s, 52, &port_a);
	ASSERT_GE(a, 0);
	snprintf(path, sizeof(path), "%s_53", s->path);
	lfd = unix_listen(path);
	ASSERT_GE(lfd, 0);
	guest_tx(s, VIRTIO_VSOCK_OP_REQUEST, 4000, 53, NULL);
	fd = accept(lfd, NULL, NULL);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(2U, vsock_nr_conns(&s->d->vs));
	wanted = unix_send_buffer(2 * VSOCK_BUF_ALLOC);
	ASSERT_GT(wanted, 0);
	/* Or this test could not tell asking from not asking. */
	ASSERT_NE(unix_send_buffer(0), wanted);
	for (i = 0; i < VSOCK_MAX_CONNS; i++) {
		if (s->d->vs.conn[i].state != VS_FREE) {
			EXPECT_EQ(wanted, send_buffer(s->d->vs.conn[i].handle));
		}
	}
	close(fd);
	close(lfd);
	close(a);
}

/*
 * A host client that stops reading: the guest sends until its socket is
 * full (however large wmem_max lets it be) and pvmm keeps 64 KiB, within
 * the credit (test_vsock checks the bound and the reset past it); a
 * second connection, conn[1], still echoes both ways.
 */
TEST_F(uds, stalled_reader_stalls_no_other)
{
	struct uds_env *s = &self->e;
	struct vsock_conn *c;
	char chunk[241];
	u32 port_a;
	int a, i;

	a = accepted_client(s, 52, &port_a);
	ASSERT_GE(a, 0);
	c = &s->d->vs.conn[0];		/* the first connection's slot */
	ASSERT_EQ(VS_ESTABLISHED, c->state);
	memset(chunk, 'x', sizeof(chunk) - 1);
	chunk[sizeof(chunk) - 1] = '\0';
	for (i = 0; c->buf_len < 64 * 1024 && i < 64 * 1024; i++) {
		guest_tx(s, VIRTIO_VSOCK_OP_RW, 52, port_a, chunk);
	}
	ASSERT_LE(64 * 1024U, c->buf_len);
	spin(&s->el);
	second_conn_echoes(_metadata, s);
	close(a);
}

/*
 * A guest that stops taking one connection's data: it gave 64 KiB of
 * credit and never gives more, while the host client sends 1 MiB. pvmm
 * forwards exactly the credit and leaves the rest in the host socket,
 * where the client's writes stop (EAGAIN); a second connection still
 * echoes.
 */
TEST_F(uds, unread_guest_stalls_no_other)
{
	struct uds_env *s = &self->e;
	static char data[1024 * 1024];
	ssize_t sent = 0, n;
	u32 port_a, got = 0;
	int a;

	a = accepted_client(s, 52, &port_a);
	ASSERT_GE(a, 0);
	ASSERT_EQ(0, fcntl(a, F_SETFL, O_NONBLOCK));
	memset(data, 'z', sizeof(data));
	while (sent < (ssize_t)sizeof(data)) {
		n = write(a, data + sent, sizeof(data) - sent);
		if (n < 0) {
			ASSERT_EQ(EAGAIN, errno);
			spin(&s->el);
			got += guest_rx_data_bytes(s);
			n = write(a, data + sent, sizeof(data) - sent);
			if (n < 0) {
				break;	/* pvmm stopped reading: the point */
			}
		}
		sent += n;
	}
	spin(&s->el);
	got += guest_rx_data_bytes(s);
	EXPECT_EQ(65536U, got);
	EXPECT_GT((ssize_t)sizeof(data), sent);
	second_conn_echoes(_metadata, s);
	close(a);
}

TEST(stale_socket_replaced_regular_file_kept)
{
	struct eventloop el;
	struct vsock_uds u;
	char dir[] = "/tmp/pvmm-stale-XXXXXX", path[64];
	int fd;

	log_set_level(LOG_ERR);
	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/v.sock", dir);
	ASSERT_EQ(0, el_init(&el));
	/* A socket file whose owner was killed -9. */
	fd = unix_listen(path);
	ASSERT_GE(fd, 0);
	close(fd);
	ASSERT_EQ(0, vsock_uds_init(&u, path, &el, NULL));
	EXPECT_EQ(0, vsock_uds_listen(&u));
	vsock_uds_cleanup(&u);
	EXPECT_NE(0, access(path, F_OK));	/* cleaned up on exit */
	/* Not a socket: left alone. */
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	close(fd);
	ASSERT_EQ(0, vsock_uds_init(&u, path, &el, NULL));
	EXPECT_EQ(-EEXIST, vsock_uds_listen(&u));
	EXPECT_EQ(0, access(path, F_OK));
	unlink(path);
	rmdir(dir);
	el_destroy(&el);
}

TEST_HARNESS_MAIN
