// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket of "pvmm run". Everything here runs on the I/O
 * thread, apart from control_close() and control_cleanup(), which run once
 * the event loop has stopped. Nothing a client does can block pvmm: all
 * sockets are non-blocking, a reply that does not fit at once closes the
 * client, and the console copy cuts off a client that does not keep up
 * (console.c).
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "control.h"
#include "exit_code.h"
#include "log.h"

#define CONTROL_READ_MAX	4096

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* A reply, whole or not at all. */
static int reply(struct control_client *cl, const char *s)
{
	size_t len = strlen(s);

	return send(cl->fd, s, len, MSG_DONTWAIT | MSG_NOSIGNAL) ==
	       (ssize_t)len ? 0 : -1;
}

static void client_close(struct control_client *cl)
{
	struct control *c = cl->ctl;

	if (cl->state == CONTROL_FREE) {
		return;
	}
	if (cl == c->console_client) {
		console_dev_set_tee(c->cfg.console, -1);
		c->console_client = NULL;
	}
	el_del(c->el, cl->fd);
	close(cl->fd);
	cl->fd = -1;
	cl->state = CONTROL_FREE;
}

static void do_info(struct control_client *cl)
{
	struct control *c = cl->ctl;
	struct cw_info info = c->cfg.info;
	char line[CW_LINE_MAX];

	info.uptime_s = (mono_ms() - c->start_ms) / 1000;
	if (cw_format_info(&info, line, sizeof(line)) > 0) {
		reply(cl, line);
	}
	client_close(cl);
}

/* One console client at a time; what came after its request is input. */
static void do_console(struct control_client *cl, const char *rest,
		       size_t len)
{
	struct control *c = cl->ctl;

	if (!c->cfg.console || c->console_client) {
		reply(cl, c->cfg.console ? "ERR console busy\n" :
					   "ERR no console\n");
		client_close(cl);
		return;
	}
	if (reply(cl, "OK\n")) {
		client_close(cl);
		return;
	}
	cl->state = CONTROL_CONSOLE;
	c->console_client = cl;
	console_dev_set_tee(c->cfg.console, cl->fd);
	if (len) {
		console_dev_input(c->cfg.console, rest, len);
	}
}

/* The client stays connected: it sees EOF once pvmm has torn down. */
static void do_stop(struct control_client *cl)
{
	struct control *c = cl->ctl;

	reply(cl, "OK\n");
	cl->state = CONTROL_STOP;
	c->cfg.exit_cb(c->cfg.exit_opaque, PVMM_EXIT_STOPPED);
}

static void request_event(struct control_client *cl)
{
	enum cw_request req;
	ssize_t n;
	int ret;

	n = read(cl->fd, cl->buf + cl->len, sizeof(cl->buf) - cl->len);
	if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
		return;
	}
	if (n <= 0) {
		client_close(cl);
		return;
	}
	cl->len += n;
	ret = cw_parse_request(cl->buf, cl->len, &req);
	if (!ret) {
		return;
	}
	if (ret < 0) {
		reply(cl, ret == -E2BIG ? "ERR request too long\n" :
					  "ERR unknown request\n");
		client_close(cl);
	} else if (req == CW_REQ_INFO) {
		do_info(cl);
	} else if (req == CW_REQ_CONSOLE) {
		do_console(cl, cl->buf + ret, cl->len - ret);
	} else {
		do_stop(cl);
	}
}

static void client_event(void *opaque, int fd, u32 events)
{
	struct control_client *cl = opaque;
	u8 buf[CONTROL_READ_MAX];
	ssize_t n;

	(void)events;
	if (cl->state == CONTROL_REQUEST) {
		request_event(cl);
		return;
	}
	n = read(fd, buf, sizeof(buf));
	if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
		return;
	}
	if (n <= 0) {
		client_close(cl);
	} else if (cl->state == CONTROL_CONSOLE) {
		console_dev_input(cl->ctl->cfg.console, buf, n);
	}
}

static struct control_client *free_client(struct control *c)
{
	unsigned int i;

	for (i = 0; i < CONTROL_MAX_CLIENTS; i++) {
		if (c->client[i].state == CONTROL_FREE) {
			return &c->client[i];
		}
	}
	return NULL;
}

/* A client beyond CONTROL_MAX_CLIENTS is closed without an answer. */
static void listen_event(void *opaque, int fd, u32 events)
{
	struct control *c = opaque;
	struct control_client *cl;
	int cfd;

	(void)events;
	cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (cfd < 0) {
		return;
	}
	cl = free_client(c);
	if (!cl || el_add(c->el, cfd, EPOLLIN, client_event, cl)) {
		close(cfd);
		return;
	}
	cl->ctl = c;
	cl->state = CONTROL_REQUEST;
	cl->fd = cfd;
	cl->len = 0;
}

/* The runtime directory: created 0700, and must be ours. */
static int make_dir(const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0700) && errno != EEXIST) {
		return -errno;
	}
	if (lstat(dir, &st)) {
		return -errno;
	}
	if (!S_ISDIR(st.st_mode)) {
		return -ENOTDIR;
	}
	return st.st_uid == geteuid() ? 0 : -EACCES;
}

/* Any <pid>.sock with our pid is a dead pvmm's: replaced. */
static int listen_at(struct control *c)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	memcpy(sa.sun_path, c->path, strlen(c->path) + 1);
	c->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			0);
	if (c->lfd < 0) {
		return -errno;
	}
	unlink(c->path);
	if (bind(c->lfd, (struct sockaddr *)&sa, sizeof(sa))) {
		return -errno;
	}
	if (listen(c->lfd, CONTROL_BACKLOG)) {
		unlink(c->path);
		return -errno;
	}
	return 0;
}

/*
 * Register the VM: listen on <cfg->dir>/<pid>.sock. On failure, one
 * warning line; the VM runs on without it.
 */
int control_start(struct control *c, struct eventloop *el,
		  const struct control_cfg *cfg)
{
	int ret;

	memset(c, 0, sizeof(*c));
	c->lfd = -1;
	c->cfg = *cfg;
	c->start_ms = mono_ms();
	ret = make_dir(cfg->dir);
	if (!ret) {
		ret = cw_sock_path(cfg->dir, cfg->info.pid, c->path,
				   sizeof(c->path));
	}
	if (!ret) {
		ret = listen_at(c);
	}
	if (!ret) {
		ret = el_add(el, c->lfd, EPOLLIN, listen_event, c);
	}
	if (ret) {
		pr_warn("control socket in %s: %s (pvmm list, console and stop will not see this VM)",
			cfg->dir, strerror(-ret));
		if (c->lfd >= 0) {
			close(c->lfd);
			unlink(c->path);
		}
		c->lfd = -1;
		return ret;
	}
	c->el = el;
	return 0;
}

/*
 * Unregister: the socket goes first, so that once a client sees its
 * connection close, no new one can reach this pvmm. Stop waiters stay
 * until control_cleanup().
 */
void control_close(struct control *c)
{
	unsigned int i;

	if (!c->el) {
		return;
	}
	if (c->lfd >= 0) {
		unlink(c->path);
		el_del(c->el, c->lfd);
		close(c->lfd);
		c->lfd = -1;
	}
	for (i = 0; i < CONTROL_MAX_CLIENTS; i++) {
		if (c->client[i].state != CONTROL_STOP) {
			client_close(&c->client[i]);
		}
	}
}

/* Last of all: "pvmm stop" sees its connection close, and returns. */
void control_cleanup(struct control *c)
{
	unsigned int i;

	if (!c->el) {
		return;
	}
	control_close(c);
	for (i = 0; i < CONTROL_MAX_CLIENTS; i++) {
		client_close(&c->client[i]);
	}
	c->el = NULL;
}
