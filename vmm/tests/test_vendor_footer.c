// SPDX-License-Identifier: GPL-2.0
/*
 * The vendor image footer: a good one decodes; every field a host could
 * bend out of shape is refused with a reason.
 */
#include "kselftest_harness.h"

#include <endian.h>
#include <sys/mman.h>
#include <unistd.h>

#include "log.h"
#include "vendor_footer.h"

#define DATA_BLOCKS	10
#define HASH_BLOCKS	1
#define IMG_SIZE	((DATA_BLOCKS + HASH_BLOCKS + 1) * 4096ULL)

FIXTURE(footer) {
	u8 block[VENDOR_FOOTER_BLOCK];
	struct vendor_footer_raw *raw;
	struct vendor_footer f;
	const char *why;
};

FIXTURE_SETUP(footer)
{
	struct vendor_footer_raw *r = (void *)self->block;

	memset(self->block, 0, sizeof(self->block));
	memcpy(r->magic, VENDOR_FOOTER_MAGIC, 8);
	r->version = htole32(VENDOR_FOOTER_VERSION);
	r->data_block_size = htole32(4096);
	r->hash_block_size = htole32(4096);
	r->digest_len = htole32(32);
	r->salt_len = htole32(32);
	r->data_blocks = htole64(DATA_BLOCKS);
	r->hash_offset = htole64(DATA_BLOCKS * 4096ULL);
	memcpy(r->algorithm, "sha256", 7);
	memset(r->root_digest, 0xd1, 32);
	memset(r->salt, 0x5a, 32);
	self->raw = r;
	self->why = NULL;
}

FIXTURE_TEARDOWN(footer)
{
}

static int parse(struct _test_data_footer *self, u64 size)
{
	return vendor_footer_parse(self->block, size, &self->f, &self->why);
}

TEST_F(footer, good_footer_decodes)
{
	ASSERT_EQ(0, parse(self, IMG_SIZE));
	EXPECT_EQ(DATA_BLOCKS, self->f.data_blocks);
	EXPECT_EQ(DATA_BLOCKS * 4096ULL, self->f.hash_offset);
	EXPECT_EQ(32, self->f.digest_len);
	EXPECT_EQ(0xd1, self->f.root_digest[31]);
	EXPECT_EQ(0x5a, self->f.salt[0]);
	EXPECT_STREQ("sha256", self->f.algorithm);
}

TEST_F(footer, bad_magic_and_version)
{
	self->raw->magic[7] = '2';
	EXPECT_EQ(-EINVAL, parse(self, IMG_SIZE));
	EXPECT_STREQ("no vendor footer (bad magic)", self->why);
	self->raw->magic[7] = '1';
	self->raw->version = htole32(2);
	EXPECT_EQ(-EINVAL, parse(self, IMG_SIZE));
}

TEST_F(footer, sizes_must_fit_the_image)
{
	EXPECT_EQ(-EINVAL, parse(self, IMG_SIZE + 1));
	EXPECT_EQ(-EINVAL, parse(self, 4096));
	self->raw->data_blocks = htole64(~0ULL);
	EXPECT_EQ(-EINVAL, parse(self, IMG_SIZE));
	self->raw->data_blocks = htole64(DATA_BLOCKS);
	self->raw->hash_offset = htole64(IMG_SIZE - 4096);
	EXPECT_EQ(-EINVAL, parse(self, IMG_SIZE));
	self->raw->hash_offset = htole64(4096);
	EXPECT_EQ(-EINVAL, parse(self, IMG_SIZE));
	self->raw->hash_offset = htole64(DATA_BLOCKS * 4096ULL + 1);
	EXPECT_EQ(-EINVAL, parse(self, IMG_SIZE));
	self->raw->hash_offset = htole64(DATA_BLOCKS * 4096ULL);
	self->raw->data_block_size = htole32(4095);
	EXPECT_EQ(-EINVAL, parse(self, IMG_SIZE));
}

TEST_F(footer, lengths_and_names_checked)
{
	self->raw->digest_len = htole32(VENDOR_DIGEST_MAX + 1);
	EXPECT_EQ(-EINVAL, parse(self, IMG_SIZE));
	self->raw->digest_len = htole32(0);
	EXPECT_EQ(-EINVAL, parse(self, IMG_SIZE));
	self->raw->digest_len = htole32(32);
	self->raw->salt_len = htole32(VENDOR_SALT_MAX + 1);
	EXPECT_EQ(-EINVAL, parse(self, IMG_SIZE));
	self->raw->salt_len = htole32(32);
	memcpy(self->raw->algorithm, "sha256 1 2", 11);
	EXPECT_EQ(-EINVAL, parse(self, IMG_SIZE));
	memset(self->raw->algorithm, 'a', VENDOR_ALG_MAX);
	EXPECT_EQ(-EINVAL, parse(self, IMG_SIZE));
	self->raw->algorithm[0] = '\0';
	EXPECT_EQ(-EINVAL, parse(self, IMG_SIZE));
}

TEST_F(footer, read_from_the_end_of_a_file)
{
	int fd = memfd_create("vendor", MFD_CLOEXEC);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, IMG_SIZE));
	ASSERT_EQ(sizeof(self->block),
		  pwrite(fd, self->block, sizeof(self->block),
			 IMG_SIZE - 4096));
	EXPECT_EQ(0, vendor_footer_read(fd, &self->f, &self->why));
	EXPECT_EQ(DATA_BLOCKS, self->f.data_blocks);
	ASSERT_EQ(0, ftruncate(fd, IMG_SIZE - 4096));
	EXPECT_EQ(-EINVAL, vendor_footer_read(fd, &self->f, &self->why));
	close(fd);
}

TEST_HARNESS_MAIN
