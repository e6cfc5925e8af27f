/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A window of guest physical memory mapped into pvmm.
 *
 * Every guest-given address goes through gmem_ptr(), which returns NULL
 * unless the whole range lies inside the window. For a protected VM the
 * devices get a window that covers only the memory the guest shares (the
 * restricted DMA pool), so a descriptor pointing anywhere else fails.
 */
#ifndef PVMM_GMEM_H
#define PVMM_GMEM_H

#include "base.h"

struct gmem {
	u64 gpa;	/* guest physical address of the first byte */
	u64 size;	/* bytes */
	u8 *hva;	/* where the first byte is mapped in pvmm */
};

void *gmem_ptr(const struct gmem *m, u64 gpa, u64 len);
int gmem_sub(const struct gmem *m, u64 gpa, u64 size, struct gmem *sub);

#endif /* PVMM_GMEM_H */
