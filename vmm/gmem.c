// SPDX-License-Identifier: GPL-2.0
/*
 * Bounds-checked translation of guest physical addresses.
 */
#include <errno.h>

#include "gmem.h"

/*
 * Return the host address of [gpa, gpa + len) or NULL if any byte of it is
 * outside @m. Written so that no sum can overflow.
 */
void *gmem_ptr(const struct gmem *m, u64 gpa, u64 len)
{
	u64 off;

	if (!m->hva || gpa < m->gpa) {
		return NULL;
	}
	off = gpa - m->gpa;
	if (off > m->size || len > m->size - off) {
		return NULL;
	}
	return m->hva + off;
}

/* Describe the part [gpa, gpa + size) of @m as its own window. */
int gmem_sub(const struct gmem *m, u64 gpa, u64 size, struct gmem *sub)
{
	u8 *p = gmem_ptr(m, gpa, size);

	if (!p || !size) {
		return -EINVAL;
	}
	sub->gpa = gpa;
	sub->size = size;
	sub->hva = p;
	return 0;
}
