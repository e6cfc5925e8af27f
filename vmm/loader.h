/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loads the kernel Image and the initrd into guest RAM.
 */
#ifndef PVMM_LOADER_H
#define PVMM_LOADER_H

#include "arm64_image.h"
#include "gmem.h"

struct boot_images {
	const char *kernel;
	const char *initrd;		/* NULL: none */
	u64 pool_size;			/* 0: no restricted DMA pool */
	u64 dice_size;			/* 0: no DICE region */
	struct boot_layout layout;	/* out */
	u64 kernel_size;		/* out: of the Image file */
	u64 initrd_size;		/* out */
};

int load_images(struct boot_images *b, const struct gmem *ram);

#endif /* PVMM_LOADER_H */
