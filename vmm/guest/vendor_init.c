// SPDX-License-Identifier: GPL-2.0
/*
 * pvm-vendor-init: the guest's first-stage init for a vendor partition.
 *
 * Runs inside the guest that pvmm boots with --vendor. It takes the
 * dm-verity root digest from the device tree (/avf/...; measured for a
 * protected VM), finds the disk whose virtio-blk serial is "vendor", reads
 * the rest of the verity parameters from the image's footer, builds a
 * read-only dm-verity device over the disk through the device-mapper
 * ioctls, mounts it on /vendor and loads every module in
 * /vendor/lib/modules. Without a digest, or when the device or the mount
 * fails, nothing is mounted and one line on the console says why.
 *
 * Exit status: 0 mounted (even if a module failed to load: that is said),
 * 1 nothing mounted.
 */
#include <dirent.h>
#include <limits.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <linux/dm-ioctl.h>

#include "../vendor_footer.h"

#define DIGEST_PATH	"/proc/device-tree/avf/vendor_hashtree_descriptor_root_digest"
#define VENDOR_SERIAL	"vendor"
#define DM_NAME		"vendor"
#define MOUNT_POINT	"/vendor"
#define MODULE_DIR	"/vendor/lib/modules"
#define DM_BUF_SIZE	16384

struct vendor {
	char disk[PATH_MAX];		/* /dev/vdX */
	u8 digest[VENDOR_DIGEST_MAX];
	size_t digest_len;
	struct vendor_footer footer;
	char dm_dev[64];		/* /dev/dm-N */
};

static void say(const char *fmt, ...) __printf(1, 2);

static void say(const char *fmt, ...)
{
	va_list ap;

	printf("pvmkit-vendor: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static int read_digest(struct vendor *v)
{
	u8 buf[VENDOR_DIGEST_MAX + 1];	/* one more: to see a longer one */
	ssize_t n;
	int fd;

	fd = open(DIGEST_PATH, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		say("no vendor digest in the device tree; /vendor not mounted");
		return -1;
	}
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n <= 0 || n > (ssize_t)sizeof(v->digest)) {
		say("vendor digest in the device tree is %zd bytes; /vendor not mounted",
		    n);
		return -1;
	}
	memcpy(v->digest, buf, n);
	v->digest_len = n;
	return 0;
}

static bool serial_is(const char *blk, const char *want)
{
	char path[PATH_MAX], buf[32] = "";
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/block/%s/serial", blk);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return false;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0) {
		return false;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return !strcmp(buf, want);
}

static int find_disk(struct vendor *v)
{
	struct dirent *e;
	DIR *d = opendir("/sys/block");
	int ret = -1;

	while (d && (e = readdir(d))) {
		if (!strncmp(e->d_name, "vd", 2) &&
		    serial_is(e->d_name, VENDOR_SERIAL)) {
			snprintf(v->disk, sizeof(v->disk), "/dev/%s",
				 e->d_name);
			ret = 0;
			break;
		}
	}
	if (d) {
		closedir(d);
	}
	if (ret) {
		say("no disk with serial \"%s\"; /vendor not mounted",
		    VENDOR_SERIAL);
	}
	return ret;
}

static int read_footer(struct vendor *v)
{
	const char *why = NULL;
	int fd = open(v->disk, O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0) {
		say("%s: %s; /vendor not mounted", v->disk, strerror(errno));
		return -1;
	}
	ret = vendor_footer_read(fd, &v->footer, &why);
	close(fd);
	if (ret) {
		say("%s: %s; /vendor not mounted", v->disk, why);
		return -1;
	}
	if (v->footer.digest_len != v->digest_len ||
	    memcmp(v->footer.root_digest, v->digest, v->digest_len)) {
		say("the image's footer names another digest; verifying against the device tree's");
	}
	return 0;
}

static void hex(char *out, const u8 *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		sprintf(out + 2 * i, "%02x", p[i]);
	}
	out[2 * len] = '\0';
}

/* "1 dev hashdev dbs hbs blocks hash_start alg digest salt" */
static void verity_params(const struct vendor *v, char *out, size_t size)
{
	const struct vendor_footer *f = &v->footer;
	char digest[2 * VENDOR_DIGEST_MAX + 1], salt[2 * VENDOR_SALT_MAX + 1];

	hex(digest, v->digest, v->digest_len);
	hex(salt, f->salt, f->salt_len);
	snprintf(out, size, "1 %s %s %u %u %llu %llu %s %s %s", v->disk,
		 v->disk, f->data_block_size, f->hash_block_size,
		 (unsigned long long)f->data_blocks,
		 (unsigned long long)(f->hash_offset / f->hash_block_size),
		 f->algorithm, digest, f->salt_len ? salt : "-");
}

static void dm_init(struct dm_ioctl *io, size_t size)
{
	memset(io, 0, size);
	io->version[0] = DM_VERSION_MAJOR;
	io->version[1] = 0;
	io->version[2] = 0;
	io->data_size = size;
	io->data_start = sizeof(*io);
	snprintf(io->name, sizeof(io->name), "%s", DM_NAME);
}

static int dm_load_table(int ctl, const struct vendor *v, u64 sectors)
{
	static u8 buf[DM_BUF_SIZE];
	struct dm_ioctl *io = (void *)buf;
	struct dm_target_spec *t = (void *)(buf + sizeof(*io));
	char *params = (char *)(t + 1);

	dm_init(io, sizeof(buf));
	io->flags = DM_READONLY_FLAG;
	io->target_count = 1;
	t->sector_start = 0;
	t->length = sectors;
	snprintf(t->target_type, sizeof(t->target_type), "verity");
	verity_params(v, params, sizeof(buf) - (params - (char *)buf));
	return ioctl(ctl, DM_TABLE_LOAD, io);
}

static void dm_remove(int ctl)
{
	struct dm_ioctl io;

	dm_init(&io, sizeof(io));
	ioctl(ctl, DM_DEV_REMOVE, &io);
}

/* Create, load and resume the verity device; its node is v->dm_dev. */
static int dm_create(struct vendor *v)
{
	u64 sectors = v->footer.data_blocks * v->footer.data_block_size / 512;
	struct dm_ioctl io;
	int ctl;

	ctl = open("/dev/mapper/control", O_RDWR | O_CLOEXEC);
	if (ctl < 0) {
		say("/dev/mapper/control: %s; /vendor not mounted",
		    strerror(errno));
		return -1;
	}
	dm_init(&io, sizeof(io));
	if (ioctl(ctl, DM_DEV_CREATE, &io)) {
		say("cannot create the verity device: %s", strerror(errno));
		close(ctl);
		return -1;
	}
	snprintf(v->dm_dev, sizeof(v->dm_dev), "/dev/dm-%u",
		 minor(io.dev));
	if (dm_load_table(ctl, v, sectors)) {
		say("verity table refused: %s; /vendor not mounted",
		    strerror(errno));
		dm_remove(ctl);
		close(ctl);
		return -1;
	}
	dm_init(&io, sizeof(io));
	if (ioctl(ctl, DM_DEV_SUSPEND, &io)) {
		say("cannot start the verity device: %s", strerror(errno));
		dm_remove(ctl);
		close(ctl);
		return -1;
	}
	close(ctl);
	return 0;
}

static int mount_vendor(const struct vendor *v)
{
	mkdir(MOUNT_POINT, 0755);
	if (mount(v->dm_dev, MOUNT_POINT, "erofs", MS_RDONLY | MS_NODEV,
		  NULL)) {
		say("mounting %s (verity over %s) failed: %s; /vendor not mounted",
		    v->dm_dev, v->disk, strerror(errno));
		return -1;
	}
	say("/vendor mounted from %s, verified against the device tree's digest",
	    v->disk);
	return 0;
}

static void load_module(const char *name)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", MODULE_DIR, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || syscall(SYS_finit_module, fd, "", 0)) {
		say("module %s not loaded: %s", name, strerror(errno));
	} else {
		say("module %s loaded", name);
	}
	if (fd >= 0) {
		close(fd);
	}
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_module(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return n > 3 && !strcmp(e->d_name + n - 3, ".ko");
}

static void load_modules(void)
{
	struct dirent **list;
	int i, n;

	n = scandir(MODULE_DIR, &list, is_module, by_name);
	for (i = 0; i < n; i++) {
		load_module(list[i]->d_name);
		free(list[i]);
	}
	if (n >= 0) {
		free(list);
	}
}

int main(void)
{
	static struct vendor v;

	if (read_digest(&v) || find_disk(&v) || read_footer(&v) ||
	    dm_create(&v) || mount_vendor(&v)) {
		return 1;
	}
	load_modules();
	return 0;
}
