/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The arm64 Image header and where the boot protocol
 * (Documentation/arch/arm64/booting.rst) lets us put the kernel, the
 * initrd and the device tree in guest RAM. Pure functions.
 */
#ifndef PVMM_ARM64_IMAGE_H
#define PVMM_ARM64_IMAGE_H

#include "base.h"

#define ARM64_IMAGE_HDR_SIZE	64
#define ARM64_DTB_MAX		SZ_2M

struct arm64_image {
	u64 text_offset;
	u64 image_size;		/* bytes the kernel needs from its load address */
	u64 flags;
};

struct boot_layout_req {
	u64 ram_base;
	u64 ram_size;
	struct arm64_image image;
	u64 file_size;		/* of the Image file */
	u64 initrd_size;	/* 0: no initrd */
	u64 pool_size;		/* 0: no restricted DMA pool */
	u64 dice_size;		/* 0: no DICE region */
};

struct boot_layout {
	u64 kernel;		/* load address (and entry point) */
	u64 kernel_end;
	u64 initrd;
	u64 dtb;
	u64 pool;
	u64 dice;
};

int arm64_image_parse(const void *hdr, size_t len, u64 file_size,
		      struct arm64_image *img, const char **why);
int boot_layout(const struct boot_layout_req *req, struct boot_layout *l);

#endif /* PVMM_ARM64_IMAGE_H */
