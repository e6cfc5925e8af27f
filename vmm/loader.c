// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel and initrd loading. Each failure is logged as one line.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "loader.h"
#include "log.h"

struct image_file {
	const char *what;
	const char *path;
	int fd;
	u64 size;
};

static int open_image(struct image_file *f)
{
	struct stat st;

	f->fd = open(f->path, O_RDONLY | O_CLOEXEC);
	if (f->fd < 0 || fstat(f->fd, &st)) {
		pr_err("%s '%s': %s", f->what, f->path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		pr_err("%s '%s': not a regular file", f->what, f->path);
		return -1;
	}
	f->size = st.st_size;
	return 0;
}

static int read_at(struct image_file *f, void *dst, u64 len, u64 off)
{
	u8 *p = dst;
	ssize_t n;

	while (len) {
		n = pread(f->fd, p, len, off);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			pr_err("%s '%s': %s", f->what, f->path,
			       n ? strerror(errno) : "file shrank while reading");
			return -1;
		}
		p += n;
		off += n;
		len -= n;
	}
	return 0;
}

static int parse_kernel(struct image_file *k, struct arm64_image *img)
{
	u8 hdr[ARM64_IMAGE_HDR_SIZE];
	const char *why;

	if (k->size < sizeof(hdr)) {
		pr_err("kernel '%s': too small for an arm64 Image", k->path);
		return -1;
	}
	if (read_at(k, hdr, sizeof(hdr), 0)) {
		return -1;
	}
	if (arm64_image_parse(hdr, sizeof(hdr), k->size, img, &why)) {
		pr_err("kernel '%s': %s", k->path, why);
		return -1;
	}
	return 0;
}

static int copy_in(struct image_file *f, const struct gmem *ram, u64 gpa)
{
	u8 *dst = gmem_ptr(ram, gpa, f->size);

	if (!dst) {
		pr_err("%s '%s': does not fit in guest RAM", f->what, f->path);
		return -1;
	}
	return read_at(f, dst, f->size, 0);
}

static int load(struct boot_images *b, const struct gmem *ram,
		struct image_file *k, struct image_file *i)
{
	struct boot_layout_req req = {
		.ram_base = ram->gpa,
		.ram_size = ram->size,
		.pool_size = b->pool_size,
		.dice_size = b->dice_size,
	};

	if (open_image(k) || parse_kernel(k, &req.image)) {
		return -1;
	}
	if (i->path && open_image(i)) {
		return -1;
	}
	req.file_size = k->size;
	req.initrd_size = i->size;
	if (boot_layout(&req, &b->layout)) {
		pr_err("kernel, initrd and device tree do not fit in %llu MiB of RAM",
		       ram->size / SZ_1M);
		return -1;
	}
	b->kernel_size = k->size;
	b->initrd_size = i->size;
	if (copy_in(k, ram, b->layout.kernel)) {
		return -1;
	}
	return i->path ? copy_in(i, ram, b->layout.initrd) : 0;
}

int load_images(struct boot_images *b, const struct gmem *ram)
{
	struct image_file k = { "kernel", b->kernel, -1, 0 };
	struct image_file i = { "initrd", b->initrd, -1, 0 };
	int ret;

	ret = load(b, ram, &k, &i);
	if (k.fd >= 0) {
		close(k.fd);
	}
	if (i.fd >= 0) {
		close(i.fd);
	}
	return ret;
}
