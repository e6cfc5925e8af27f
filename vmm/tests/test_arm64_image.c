// SPDX-License-Identifier: GPL-2.0
/*
 * arm64 Image header parsing and the boot memory layout.
 */
#include "kselftest_harness.h"

#include <endian.h>

#include "arm64_image.h"

#define RAM	0x80000000ULL

static void make_hdr(u8 *h, u64 text_offset, u64 image_size, u64 flags)
{
	u64 v;
	u32 magic = htole32(0x644d5241);

	memset(h, 0, ARM64_IMAGE_HDR_SIZE);
	v = htole64(text_offset);
	memcpy(h + 8, &v, 8);
	v = htole64(image_size);
	memcpy(h + 16, &v, 8);
	v = htole64(flags);
	memcpy(h + 24, &v, 8);
	memcpy(h + 56, &magic, 4);
}

TEST(parse_modern_header)
{
	u8 h[ARM64_IMAGE_HDR_SIZE];
	struct arm64_image img;
	const char *why;

	make_hdr(h, 0, 0x2000000, 0xa);
	ASSERT_EQ(0, arm64_image_parse(h, sizeof(h), 0x1500000, &img, &why));
	EXPECT_EQ(0U, img.text_offset);
	EXPECT_EQ(0x2000000U, img.image_size);
	EXPECT_EQ(0xaU, img.flags);
}

TEST(parse_old_header)
{
	u8 h[ARM64_IMAGE_HDR_SIZE];
	struct arm64_image img;
	const char *why;

	make_hdr(h, 0, 0, 0);
	ASSERT_EQ(0, arm64_image_parse(h, sizeof(h), 0x123456, &img, &why));
	EXPECT_EQ(0x80000U, img.text_offset);
	EXPECT_EQ(0x123456U, img.image_size);
}

TEST(parse_rejects)
{
	u8 h[ARM64_IMAGE_HDR_SIZE];
	struct arm64_image img;
	const char *why = NULL;

	make_hdr(h, 0, 0x100000, 0);
	h[56] = 'X';
	EXPECT_EQ(-EINVAL, arm64_image_parse(h, sizeof(h), 10, &img, &why));
	EXPECT_NE(NULL, why);
	make_hdr(h, 0, 0x100000, 1);		/* big endian */
	EXPECT_EQ(-EINVAL, arm64_image_parse(h, sizeof(h), 10, &img, &why));
	make_hdr(h, 0x80010, 0x100000, 0);	/* misaligned text_offset */
	EXPECT_EQ(-EINVAL, arm64_image_parse(h, sizeof(h), 10, &img, &why));
	make_hdr(h, 0, 0x100000, 0);
	EXPECT_EQ(-EINVAL, arm64_image_parse(h, 63, 10, &img, &why));
}

TEST(image_size_never_below_file_size)
{
	u8 h[ARM64_IMAGE_HDR_SIZE];
	struct arm64_image img;
	const char *why;

	make_hdr(h, 0, 0x1000, 0);
	ASSERT_EQ(0, arm64_image_parse(h, sizeof(h), 0x5000, &img, &why));
	EXPECT_EQ(0x5000U, img.image_size);
}

static struct boot_layout_req req(u64 ram_mib, u64 image, u64 initrd,
				  u64 pool)
{
	struct boot_layout_req r = {
		.ram_base = RAM,
		.ram_size = ram_mib * SZ_1M,
		.image = { .text_offset = 0, .image_size = image },
		.file_size = image,
		.initrd_size = initrd,
		.pool_size = pool,
	};

	return r;
}

TEST(layout_follows_boot_protocol)
{
	struct boot_layout_req r = req(256, 0x2000000, 0x345678, 0);
	struct boot_layout l;
	u64 end = RAM + 256 * SZ_1M;

	ASSERT_EQ(0, boot_layout(&r, &l));
	EXPECT_EQ(RAM, l.kernel);
	EXPECT_TRUE(is_aligned(l.kernel, SZ_2M));
	/* DTB: 8-byte aligned, inside RAM, alone in its 2 MiB block. */
	EXPECT_TRUE(is_aligned(l.dtb, 8));
	EXPECT_EQ(align_down(l.dtb, SZ_2M),
		  align_down(l.dtb + ARM64_DTB_MAX - 1, SZ_2M));
	EXPECT_LE(l.dtb + ARM64_DTB_MAX, end);
	/* initrd between kernel and DTB, no overlap. */
	EXPECT_GE(l.initrd, l.kernel_end);
	EXPECT_LE(l.initrd + 0x345678, l.dtb);
	EXPECT_TRUE(is_aligned(l.initrd, SZ_4K));
}

TEST(layout_text_offset)
{
	struct boot_layout_req r = req(64, 0x100000, 0, 0);
	struct boot_layout l;

	r.image.text_offset = 0x80000;
	ASSERT_EQ(0, boot_layout(&r, &l));
	EXPECT_EQ(RAM + 0x80000, l.kernel);
	EXPECT_EQ(RAM + 0x180000, l.kernel_end);
}

TEST(layout_with_pool)
{
	struct boot_layout_req r = req(256, 0x2000000, 0x100000,
				       32 * SZ_1M);
	struct boot_layout l;

	ASSERT_EQ(0, boot_layout(&r, &l));
	EXPECT_TRUE(is_aligned(l.pool, SZ_2M));
	EXPECT_LE(l.pool + 32 * SZ_1M, l.dtb);
	EXPECT_LE(l.initrd + 0x100000, l.pool);
	EXPECT_GE(l.initrd, l.kernel_end);
}

/* The DICE region: its own pages, between the DTB block and the pool. */
TEST(layout_with_dice_region)
{
	struct boot_layout_req r = req(256, 0x2000000, 0x100000,
				       32 * SZ_1M);
	struct boot_layout l;

	r.dice_size = SZ_4K;
	ASSERT_EQ(0, boot_layout(&r, &l));
	EXPECT_EQ(l.dtb - SZ_4K, l.dice);
	EXPECT_LE(l.pool + 32 * SZ_1M, l.dice);
	EXPECT_LE(l.initrd + 0x100000, l.pool);
	r.dice_size = SZ_4K + 1;		/* not whole pages */
	EXPECT_EQ(-ENOMEM, boot_layout(&r, &l));
}

TEST(layout_too_small)
{
	struct boot_layout_req r = req(32, 0x1000000, 0x1000000, 0);
	struct boot_layout l;

	EXPECT_EQ(-ENOMEM, boot_layout(&r, &l));
	r = req(32, 0x2000000, 0, 0);		/* kernel hits the DTB */
	EXPECT_EQ(-ENOMEM, boot_layout(&r, &l));
	r = req(32, 0x100000, 0, 64 * SZ_1M);	/* pool larger than RAM */
	EXPECT_EQ(-ENOMEM, boot_layout(&r, &l));
	r = req(32, 0x100000, 0, 0);
	r.image.image_size = ~0ULL - 0x1000;	/* wraps */
	EXPECT_EQ(-ENOMEM, boot_layout(&r, &l));
	r = req(3, 0x1000, 0, 0);		/* RAM not 2 MiB multiple */
	EXPECT_EQ(-EINVAL, boot_layout(&r, &l));
}

TEST_HARNESS_MAIN
