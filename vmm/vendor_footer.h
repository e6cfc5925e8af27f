/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The footer of a pvmkit vendor image (tools/pvm-mkvendor writes it).
 *
 * A vendor image is a filesystem, then its dm-verity hash tree (no verity
 * superblock), then one 4 KiB block whose first bytes are this footer, all
 * little-endian. The footer says how to set up dm-verity; the root digest
 * in it is only what the image's builder computed. pvmm copies it into the
 * guest's device tree, where a protected VM's measurement covers it, and
 * the guest trusts only that copy: a host that changes the image or the
 * footer's salt or sizes makes verity fail, not succeed.
 */
#ifndef PVMM_VENDOR_FOOTER_H
#define PVMM_VENDOR_FOOTER_H

#include "base.h"

#define VENDOR_FOOTER_MAGIC	"PVMVNDR1"
#define VENDOR_FOOTER_VERSION	1
#define VENDOR_FOOTER_BLOCK	4096
#define VENDOR_ALG_MAX		32
#define VENDOR_DIGEST_MAX	64
#define VENDOR_SALT_MAX		64

struct vendor_footer_raw {
	char magic[8];
	__le32 version;
	__le32 data_block_size;
	__le32 hash_block_size;
	__le32 digest_len;
	__le32 salt_len;
	__le32 reserved;
	__le64 data_blocks;
	__le64 hash_offset;		/* bytes from the start of the image */
	char algorithm[VENDOR_ALG_MAX];	/* NUL-padded, e.g. "sha256" */
	u8 root_digest[VENDOR_DIGEST_MAX];
	u8 salt[VENDOR_SALT_MAX];
};

/* A checked footer, in host byte order. */
struct vendor_footer {
	u32 data_block_size;
	u32 hash_block_size;
	u32 digest_len;
	u32 salt_len;
	u64 data_blocks;
	u64 hash_offset;
	char algorithm[VENDOR_ALG_MAX];	/* NUL-terminated */
	u8 root_digest[VENDOR_DIGEST_MAX];
	u8 salt[VENDOR_SALT_MAX];
};

int vendor_footer_parse(const void *block, u64 image_size,
			struct vendor_footer *f, const char **why);
int vendor_footer_read(int fd, struct vendor_footer *f, const char **why);

#endif /* PVMM_VENDOR_FOOTER_H */
