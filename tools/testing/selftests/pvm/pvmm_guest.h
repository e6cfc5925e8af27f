/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test guest that pvmm boots, seen from the tests: start pvmm on the
 * pvmkit Image and guest initramfs, read what it prints, wait for it to
 * end; and the Unix-socket side of pvmm's vsock relay.
 *
 * The guest's init (scripts/initramfs/guest-init) takes its role from
 * pvmkit.* words on its command line and prints progress lines on hvc0,
 * which pvmm copies to its stdout.
 */
#ifndef PVMM_GUEST_H
#define PVMM_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define PVMM		"/usr/bin/pvmm"
#define GUEST_KERNEL	"/pvmkit/Image"
#define GUEST_INITRD	"/pvmkit/guest.cpio.gz"
#define UDS_PATH	"/tmp/pvmm-test.vsock"
#define GUEST_CID	"3"
#define BOOT_TIMEOUT_MS	90000
#define OUT_MAX		(64 * 1024)
#define GUEST_MAX_ARGS	40	/* pvmm's argument vector, at most */

struct guest {
	pid_t pid;
	int out;		/* pvmm's stdout and stderr */
	char log[OUT_MAX];
	size_t len;
};

/* How pvmm runs the guest's vsock, and whether the guest is protected. */
enum guest_kind {
	GUEST_USER_VSOCK,	/* pvmm's own vsock device */
	GUEST_VHOST_VSOCK,	/* the kernel's vhost-vsock */
	GUEST_PROTECTED,	/* a pVM, with pvmm's vsock, --verbose */
};

struct guest_opts {
	enum guest_kind kind;
	const char *extra;	/* appended to the kernel command line */
	const char *initrd;	/* NULL: GUEST_INITRD */
	unsigned int cpus;	/* 0: pvmm's default */
	const char *const *args;	/* more pvmm run options, NULL-ended */
	const char *cid;	/* NULL: GUEST_CID */
	const char *uds;	/* NULL: UDS_PATH */
	bool no_vsock;		/* no vsock device at all */
};

long long now_ms(void);
int guest_launch(struct guest *g, const struct guest_opts *o);
int guest_start_kind(struct guest *g, const char *extra, enum guest_kind kind);
bool guest_wait_for(struct guest *g, const char *what, int timeout_ms);
int guest_wait_exit(struct guest *g, int timeout_ms);
const char *guest_log_tail(struct guest *g);
void guest_measurement(struct guest *g, char hex[65]);

int uds_connect(const char *path);
int uds_listen(const char *path);
int accept_timeout(int lfd, int timeout_ms);
ssize_t read_timeout(int fd, void *buf, size_t len);
int read_line(int fd, char *buf, size_t size);
int read_full(int fd, void *buf, size_t len);
int host_connect(int fd, unsigned int port, char *reply, size_t size);

#endif /* PVMM_GUEST_H */
