// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: hostile host clients on pvmm's vsock Unix socket.
 *
 * Real Unix sockets, pvmm's real event loop and socket front end, and a
 * scripted guest over fake virtqueues. Each input is a list of steps:
 * clients connect, send arbitrary bytes (CONNECT lines or not), read,
 * half-close and close; the guest accepts or refuses connection requests,
 * sends data and drains its receive queue; pvmm's event loop runs between
 * steps, and CONNECT deadlines expire now and then. At the end every
 * client closes and the device is reset: pvmm must then hold exactly the
 * file descriptors it held before the input, and no connection.
 * Built with ASan and UBSan.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <linux/virtio_config.h>
#include <linux/vm_sockets.h>

#include "../tests/fake_guest.h"
#include "log.h"
#include "vsock_uds.h"

#define CID		9
#define HDR		sizeof(struct virtio_vsock_hdr)
#define NR_CLIENTS	24	/* more than UDS_MAX_PENDING */
#define NR_RX		32	/* receive buffers, on a ring of RING_SIZE */
#define RING_SIZE	64
#define MAX_STEPS	256
#define MAX_SEND	255
#define MAX_GUEST_CONNS	8

struct guest_conn {
	u32 host_port, guest_port;
};

struct env {
	char path[108];
	struct fake_guest g;
	struct fake_ring r[VSOCK_VQ_NR];
	struct vsock_dev *d;
	struct eventloop el;
	struct vsock_uds u;
	u64 rx_addr[RING_SIZE];
	int client[NR_CLIENTS];
	struct guest_conn conn[MAX_GUEST_CONNS];
	unsigned int nr_conns;
};

/* The input, a byte at a time; zeros once it runs out. */
struct input {
	const u8 *p;
	size_t left;
};

static u8 next(struct input *in)
{
	if (!in->left) {
		return 0;
	}
	in->left--;
	return *in->p++;
}

static int nr_open_fds(void)
{
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *d;
	int n = 0;

	if (!dir) {
		abort();
	}
	while ((d = readdir(dir))) {
		n += d->d_name[0] != '.';
	}
	closedir(dir);
	return n;
}

static void add_rx(struct env *e, u64 addr)
{
	struct fg_buf b = { .addr = addr, .len = 4096, .write = true };

	e->rx_addr[fg_add_chain(&e->g, &e->r[VSOCK_VQ_RX], &b, 1)] = addr;
	fg_wr(&e->d->vdev, VIRTIO_MMIO_QUEUE_NOTIFY, VSOCK_VQ_RX);
}

static void guest_tx(struct env *e, u16 op, const struct guest_conn *c,
		     const void *data, u32 len)
{
	struct vsock_pkt p = {
		.src_cid = CID, .dst_cid = VMADDR_CID_HOST,
		.src_port = c->guest_port, .dst_port = c->host_port,
		.len = len, .type = VIRTIO_VSOCK_TYPE_STREAM, .op = op,
		.buf_alloc = 65536,
	};
	u8 pkt[HDR + MAX_SEND];
	struct fg_buf b;

	vsock_hdr_encode(&p, (struct virtio_vsock_hdr *)pkt);
	if (len) {
		memcpy(pkt + HDR, data, len);
	}
	b.addr = fg_put(&e->g, pkt, HDR + len);
	b.len = HDR + len;
	b.write = false;
	fg_add_chain(&e->g, &e->r[VSOCK_VQ_TX], &b, 1);
	fg_wr(&e->d->vdev, VIRTIO_MMIO_QUEUE_NOTIFY, VSOCK_VQ_TX);
}

/* The guest reads what came; @accept says whether it takes requests. */
static void guest_drain(struct env *e, bool accept)
{
	struct guest_conn c;
	struct vsock_pkt p;
	u32 id, len;

	while (fg_get_used(&e->g, &e->r[VSOCK_VQ_RX], &id, &len)) {
		if (id >= RING_SIZE || !e->rx_addr[id]) {
			abort();	/* the device made up a descriptor */
		}
		if (len >= HDR) {
			vsock_hdr_decode(fg_hva(&e->g, e->rx_addr[id]), &p);
			c.host_port = p.src_port;
			c.guest_port = p.dst_port;
			if (p.op == VIRTIO_VSOCK_OP_REQUEST) {
				guest_tx(e, accept ? VIRTIO_VSOCK_OP_RESPONSE :
					 VIRTIO_VSOCK_OP_RST, &c, NULL, 0);
				if (accept && e->nr_conns < MAX_GUEST_CONNS) {
					e->conn[e->nr_conns++] = c;
				}
			}
		}
		add_rx(e, e->rx_addr[id]);
	}
}

static void run_loop(struct env *e, unsigned int rounds)
{
	while (rounds--) {
		el_run_once(&e->el, 0);
	}
}

static void client_open(struct env *e, unsigned int k)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	if (e->client[k] >= 0) {
		return;
	}
	e->client[k] = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	memcpy(sa.sun_path, e->path, strlen(e->path) + 1);
	if (e->client[k] >= 0 &&
	    connect(e->client[k], (struct sockaddr *)&sa, sizeof(sa)) &&
	    errno != EAGAIN) {
		close(e->client[k]);
		e->client[k] = -1;
	}
}

static void client_send(struct env *e, unsigned int k, struct input *in)
{
	u8 buf[MAX_SEND];
	unsigned int n = next(in), i;

	for (i = 0; i < n; i++) {
		buf[i] = next(in);
	}
	if (e->client[k] >= 0) {
		send(e->client[k], buf, n, MSG_NOSIGNAL | MSG_DONTWAIT);
	}
}

static void client_close(struct env *e, unsigned int k)
{
	if (e->client[k] >= 0) {
		close(e->client[k]);
		e->client[k] = -1;
	}
}

static void client_read(struct env *e, unsigned int k)
{
	char buf[4096];

	if (e->client[k] >= 0 &&
	    recv(e->client[k], buf, sizeof(buf), MSG_DONTWAIT) == 0) {
		client_close(e, k);	/* pvmm closed it */
	}
}

static void guest_send(struct env *e, struct input *in)
{
	u8 buf[MAX_SEND];
	unsigned int k = next(in), n = next(in) % 64, i;

	for (i = 0; i < n; i++) {
		buf[i] = next(in);
	}
	if (e->nr_conns) {
		guest_tx(e, k & 1 ? VIRTIO_VSOCK_OP_RW :
			 VIRTIO_VSOCK_OP_SHUTDOWN,
			 &e->conn[(k >> 1) % e->nr_conns], buf, n);
	}
}

static void step(struct env *e, struct input *in)
{
	u8 op = next(in);
	unsigned int k = next(in) % NR_CLIENTS;

	switch (op % 9) {
	case 0:
		client_open(e, k);
		break;
	case 1:
	case 2:
		client_send(e, k, in);
		break;
	case 3:
		client_close(e, k);
		break;
	case 4:
		if (e->client[k] >= 0) {
			shutdown(e->client[k], SHUT_WR);
		}
		break;
	case 5:
		client_read(e, k);
		break;
	case 6:
		guest_drain(e, k & 1);
		break;
	case 7:
		guest_send(e, in);
		break;
	default:
		/* Past the 1 ms CONNECT deadline. */
		usleep(1500);
		break;
	}
	run_loop(e, 2);
}

static void env_init(struct env *e)
{
	unsigned int i;

	memset(e->g.ram, 0, FG_RAM_SIZE);
	e->g.next = FG_RAM_BASE;
	for (i = 0; i < VSOCK_VQ_NR; i++) {
		fg_ring_init(&e->g, &e->r[i], RING_SIZE);
	}
	e->d = calloc(1, sizeof(*e->d));
	if (!e->d || el_init(&e->el)) {
		abort();
	}
	vsock_dev_init(e->d, CID, 0, &e->g.mem, &vsock_uds_ops, &e->u);
	if (vsock_uds_init(&e->u, e->path, &e->el, e->d) ||
	    vsock_uds_listen(&e->u)) {
		abort();
	}
	e->u.connect_timeout_ms = 1;
	fg_driver_init(&e->d->vdev, BIT_ULL(VIRTIO_F_VERSION_1), e->r,
		       VSOCK_VQ_NR);
	for (i = 0; i < NR_CLIENTS; i++) {
		e->client[i] = -1;
	}
	e->nr_conns = 0;
	memset(e->rx_addr, 0, sizeof(e->rx_addr));
	for (i = 0; i < NR_RX; i++) {
		add_rx(e, fg_alloc(&e->g, 4096));
	}
}

static void env_fini(struct env *e)
{
	unsigned int i;

	for (i = 0; i < NR_CLIENTS; i++) {
		client_close(e, i);
	}
	run_loop(e, 4);
	vsock_reset(&e->d->vs);
	if (vsock_nr_conns(&e->d->vs)) {
		abort();	/* a connection outlived the reset */
	}
	vsock_uds_cleanup(&e->u);
	el_destroy(&e->el);
	free(e->d);
}

static struct env env;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_set_level(LOG_ERR);
	snprintf(env.path, sizeof(env.path), "/tmp/pvmm-fuzz-uds-%d.sock",
		 (int)getpid());
	fg_init(&env.g);
	return 0;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct input in = { .p = data, .left = size };
	int fds = nr_open_fds();
	unsigned int i;

	env_init(&env);
	for (i = 0; i < MAX_STEPS && in.left; i++) {
		step(&env, &in);
	}
	env_fini(&env);
	if (nr_open_fds() != fds) {
		fprintf(stderr, "fuzz_uds: %d fds open, %d before\n",
			nr_open_fds(), fds);
		abort();
	}
	return 0;
}
