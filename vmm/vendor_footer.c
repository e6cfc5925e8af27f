// SPDX-License-Identifier: GPL-2.0
/*
 * Decode and check a vendor image's footer. Shared by pvmm (which takes
 * the root digest for the device tree) and the guest's first-stage init
 * (which takes the rest for the dm-verity table).
 */
#include <endian.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "vendor_footer.h"

static bool is_block_size(u32 s)
{
	return s >= 512 && s <= 65536 && !(s & (s - 1));
}

static int check_sizes(const struct vendor_footer *f, u64 image_size,
		       const char **why)
{
	u64 footer_at = image_size - VENDOR_FOOTER_BLOCK;

	if (!is_block_size(f->data_block_size) ||
	    !is_block_size(f->hash_block_size)) {
		*why = "block size is not a power of two from 512 to 65536";
		return -EINVAL;
	}
	if (!f->data_blocks ||
	    f->data_blocks > footer_at / f->data_block_size) {
		*why = "data blocks do not fit in the image";
		return -EINVAL;
	}
	if (f->hash_offset % f->hash_block_size ||
	    f->hash_offset < f->data_blocks * f->data_block_size ||
	    f->hash_offset >= footer_at) {
		*why = "hash tree is not between the data and the footer";
		return -EINVAL;
	}
	return 0;
}

static int check_strings(const struct vendor_footer *f, const char **why)
{
	if (!f->digest_len || f->digest_len > VENDOR_DIGEST_MAX) {
		*why = "bad root digest length";
		return -EINVAL;
	}
	if (f->salt_len > VENDOR_SALT_MAX) {
		*why = "bad salt length";
		return -EINVAL;
	}
	if (!f->algorithm[0] ||
	    strspn(f->algorithm, "abcdefghijklmnopqrstuvwxyz0123456789-") !=
	    strlen(f->algorithm)) {
		*why = "bad hash algorithm name";
		return -EINVAL;
	}
	return 0;
}

/*
 * @block is the image's last VENDOR_FOOTER_BLOCK bytes. Returns 0, or
 * -EINVAL with @why saying what is wrong.
 */
int vendor_footer_parse(const void *block, u64 image_size,
			struct vendor_footer *f, const char **why)
{
	const struct vendor_footer_raw *r = block;

	memset(f, 0, sizeof(*f));
	if (image_size < 2 * VENDOR_FOOTER_BLOCK ||
	    image_size % VENDOR_FOOTER_BLOCK) {
		*why = "image size is not a whole number of 4 KiB blocks";
		return -EINVAL;
	}
	if (memcmp(r->magic, VENDOR_FOOTER_MAGIC, sizeof(r->magic))) {
		*why = "no vendor footer (bad magic)";
		return -EINVAL;
	}
	if (le32toh(r->version) != VENDOR_FOOTER_VERSION) {
		*why = "unknown vendor footer version";
		return -EINVAL;
	}
	f->data_block_size = le32toh(r->data_block_size);
	f->hash_block_size = le32toh(r->hash_block_size);
	f->digest_len = le32toh(r->digest_len);
	f->salt_len = le32toh(r->salt_len);
	f->data_blocks = le64toh(r->data_blocks);
	f->hash_offset = le64toh(r->hash_offset);
	memcpy(f->algorithm, r->algorithm, VENDOR_ALG_MAX - 1);
	memcpy(f->root_digest, r->root_digest, VENDOR_DIGEST_MAX);
	memcpy(f->salt, r->salt, VENDOR_SALT_MAX);
	if (r->algorithm[VENDOR_ALG_MAX - 1]) {
		*why = "hash algorithm name not terminated";
		return -EINVAL;
	}
	if (check_strings(f, why)) {
		return -EINVAL;
	}
	return check_sizes(f, image_size, why);
}

/* Read and check the footer of the image open at @fd. */
int vendor_footer_read(int fd, struct vendor_footer *f, const char **why)
{
	u8 block[VENDOR_FOOTER_BLOCK];
	off_t size = lseek(fd, 0, SEEK_END);

	if (size < VENDOR_FOOTER_BLOCK) {
		*why = "image too small for a vendor footer";
		return -EINVAL;
	}
	if (pread(fd, block, sizeof(block), size - VENDOR_FOOTER_BLOCK) !=
	    (ssize_t)sizeof(block)) {
		*why = "cannot read the vendor footer";
		return -EIO;
	}
	return vendor_footer_parse(block, size, f, why);
}
