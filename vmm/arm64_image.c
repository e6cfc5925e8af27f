// SPDX-License-Identifier: GPL-2.0
/*
 * arm64 Image header parsing and boot memory layout.
 */
#include <endian.h>
#include <errno.h>
#include <string.h>

#include "arm64_image.h"

#define ARM64_IMAGE_MAGIC	0x644d5241	/* "ARM\x64" */
#define OFF_TEXT_OFFSET		8
#define OFF_IMAGE_SIZE		16
#define OFF_FLAGS		24
#define OFF_MAGIC		56
#define FLAG_BE			BIT_ULL(0)
#define OLD_TEXT_OFFSET		0x80000

static u64 get_le64(const u8 *p)
{
	u64 v;

	memcpy(&v, p, sizeof(v));
	return le64toh(v);
}

static u32 get_le32(const u8 *p)
{
	u32 v;

	memcpy(&v, p, sizeof(v));
	return le32toh(v);
}

/*
 * Parse the 64-byte header. Kernels before 3.17 have image_size 0: they
 * then use text_offset 0x80000 and need at least the file's size.
 */
int arm64_image_parse(const void *hdr, size_t len, u64 file_size,
		      struct arm64_image *img, const char **why)
{
	const u8 *h = hdr;

	if (len < ARM64_IMAGE_HDR_SIZE ||
	    get_le32(h + OFF_MAGIC) != ARM64_IMAGE_MAGIC) {
		*why = "not an arm64 Image (bad magic)";
		return -EINVAL;
	}
	img->text_offset = get_le64(h + OFF_TEXT_OFFSET);
	img->image_size = get_le64(h + OFF_IMAGE_SIZE);
	img->flags = get_le64(h + OFF_FLAGS);
	if (!img->image_size) {
		img->text_offset = OLD_TEXT_OFFSET;
		img->image_size = file_size;
		img->flags = 0;
	}
	if (img->flags & FLAG_BE) {
		*why = "big-endian kernels are not supported";
		return -EINVAL;
	}
	if (img->text_offset >= SZ_2M || !is_aligned(img->text_offset, SZ_4K)) {
		*why = "text_offset out of range";
		return -EINVAL;
	}
	if (img->image_size < file_size) {
		img->image_size = file_size;
	}
	return 0;
}

/*
 * Kernel at a 2 MiB aligned base plus text_offset at the start of RAM; the
 * device tree in the top 2 MiB block of RAM (so it never straddles a 2 MiB
 * boundary); below it the DICE region, the restricted DMA pool, then the
 * initrd.
 */
int boot_layout(const struct boot_layout_req *r, struct boot_layout *l)
{
	u64 ram_end = r->ram_base + r->ram_size;
	u64 top;

	memset(l, 0, sizeof(*l));
	if (!is_aligned(r->ram_base, SZ_2M) || !is_aligned(r->ram_size, SZ_2M) ||
	    r->ram_size < 2 * SZ_2M || ram_end < r->ram_base) {
		return -EINVAL;
	}
	l->kernel = r->ram_base + r->image.text_offset;
	l->kernel_end = l->kernel + r->image.image_size;
	l->dtb = ram_end - ARM64_DTB_MAX;
	top = l->dtb;
	if (r->dice_size) {
		if (!is_aligned(r->dice_size, SZ_4K) ||
		    r->dice_size > top - r->ram_base) {
			return -ENOMEM;
		}
		l->dice = top - r->dice_size;
		top = l->dice;
	}
	if (r->pool_size) {
		if (r->pool_size > top - r->ram_base) {
			return -ENOMEM;
		}
		l->pool = align_down(top - r->pool_size, SZ_2M);
		top = l->pool;
	}
	if (r->initrd_size) {
		if (r->initrd_size > top - r->ram_base) {
			return -ENOMEM;
		}
		l->initrd = align_down(top - r->initrd_size, SZ_4K);
		top = l->initrd;
	}
	if (l->kernel_end < l->kernel || l->kernel_end > top) {
		return -ENOMEM;
	}
	return 0;
}
