// SPDX-License-Identifier: GPL-2.0
/*
 * The virtio-blk device over fake rings and a memfd image: every request
 * type, requests split any way across descriptors, and malformed requests
 * answered with an error status while the image stays as it was.
 */
#include "kselftest_harness.h"

#include <sys/mman.h>
#include <unistd.h>

#include "blk_dev.h"
#include "fake_guest.h"
#include "log.h"

#define IMG_SECTORS	64
#define IMG_SIZE	(IMG_SECTORS * BLK_SECTOR_SIZE)
#define NO_STATUS	0xee

FIXTURE(blk) {
	struct fake_guest g;
	struct fake_ring r;
	struct blk_dev *d;
	int fd;
	u8 img[IMG_SIZE];
};

static int make_image(u8 *img)
{
	int fd = memfd_create("blk-test", MFD_CLOEXEC);
	unsigned int i;

	for (i = 0; i < IMG_SIZE; i++) {
		img[i] = (u8)(i * 7 + i / BLK_SECTOR_SIZE);
	}
	if (fd < 0 || pwrite(fd, img, IMG_SIZE, 0) != IMG_SIZE) {
		return -1;
	}
	return fd;
}

static void bring_up(struct __test_metadata *_metadata,
		     struct _test_data_blk *self, bool read_only)
{
	self->d = calloc(1, sizeof(*self->d));
	ASSERT_EQ(0, blk_dev_init(self->d, self->fd, read_only, "disk-7", 0,
				  &self->g.mem));
	ASSERT_TRUE(fg_driver_init(&self->d->vdev,
				   BIT_ULL(VIRTIO_F_VERSION_1), &self->r,
				   BLK_VQ_NR) & VIRTIO_CONFIG_S_DRIVER_OK);
}

FIXTURE_SETUP(blk)
{
	log_set_level(LOG_ERR);
	fg_init(&self->g);
	fg_ring_init(&self->g, &self->r, 16);
	self->fd = make_image(self->img);
	ASSERT_LE(0, self->fd);
	bring_up(_metadata, self, false);
}

FIXTURE_TEARDOWN(blk)
{
	free(self->d);
	close(self->fd);
	fg_free(&self->g);
}

static u64 put_hdr(struct fake_guest *g, u32 type, u64 sector)
{
	struct virtio_blk_outhdr h = {
		.type = htole32(type),
		.sector = htole64(sector),
	};

	return fg_put(g, &h, sizeof(h));
}

static u64 put_status(struct fake_guest *g)
{
	u8 s = NO_STATUS;

	return fg_put(g, &s, 1);
}

/* Kick, and return the status byte at @st and the used length. */
static u8 complete(struct _test_data_blk *self, u64 st, u32 *used_len)
{
	u32 id, len = 0;

	fg_wr(&self->d->vdev, VIRTIO_MMIO_QUEUE_NOTIFY, BLK_VQ_REQUEST);
	if (!fg_get_used(&self->g, &self->r, &id, &len)) {
		return NO_STATUS;
	}
	if (used_len) {
		*used_len = len;
	}
	return *(u8 *)fg_hva(&self->g, st);
}

static int image_now(struct _test_data_blk *self, u8 *buf)
{
	return pread(self->fd, buf, IMG_SIZE, 0) == IMG_SIZE ? 0 : -1;
}

TEST_F(blk, config_space_shows_capacity_and_features)
{
	u64 cap;

	cap = le64toh(self->d->cfg.capacity);
	EXPECT_EQ(IMG_SECTORS, cap);
	fg_wr(&self->d->vdev, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	EXPECT_TRUE(fg_rd(&self->d->vdev, VIRTIO_MMIO_DEVICE_FEATURES) &
		    BIT(VIRTIO_BLK_F_FLUSH));
	EXPECT_FALSE(fg_rd(&self->d->vdev, VIRTIO_MMIO_DEVICE_FEATURES) &
		     BIT(VIRTIO_BLK_F_RO));
	EXPECT_EQ(VIRTIO_ID_BLOCK, fg_rd(&self->d->vdev,
					 VIRTIO_MMIO_DEVICE_ID));
}

/* A read split across three data descriptors of odd sizes. */
TEST_F(blk, read_split_across_descriptors)
{
	u64 data = fg_alloc(&self->g, 3 * BLK_SECTOR_SIZE);
	u64 st = put_status(&self->g);
	struct fg_buf b[] = {
		{ put_hdr(&self->g, VIRTIO_BLK_T_IN, 5), 16, false },
		{ data, 100, true },
		{ data + 100, 1000, true },
		{ data + 1100, 3 * BLK_SECTOR_SIZE - 1100, true },
		{ st, 1, true },
	};
	u32 len;

	fg_add_chain(&self->g, &self->r, b, ARRAY_SIZE(b));
	ASSERT_EQ(VIRTIO_BLK_S_OK, complete(self, st, &len));
	EXPECT_EQ(3 * BLK_SECTOR_SIZE + 1, len);
	EXPECT_EQ(0, memcmp(fg_hva(&self->g, data),
			    self->img + 5 * BLK_SECTOR_SIZE,
			    3 * BLK_SECTOR_SIZE));
}

/* The header split in two, the data and status in one descriptor. */
TEST_F(blk, write_then_read_back)
{
	u8 buf[IMG_SIZE], pattern[2 * BLK_SECTOR_SIZE];
	u64 hdr = put_hdr(&self->g, VIRTIO_BLK_T_OUT, IMG_SECTORS - 2);
	u64 st = put_status(&self->g);
	struct fg_buf b[] = {
		{ hdr, 8, false },
		{ hdr + 8, 8, false },
		{ 0, sizeof(pattern), false },
		{ st, 1, true },
	};

	memset(pattern, 0x5a, sizeof(pattern));
	b[2].addr = fg_put(&self->g, pattern, sizeof(pattern));
	fg_add_chain(&self->g, &self->r, b, ARRAY_SIZE(b));
	ASSERT_EQ(VIRTIO_BLK_S_OK, complete(self, st, NULL));
	ASSERT_EQ(0, image_now(self, buf));
	EXPECT_EQ(0, memcmp(buf + IMG_SIZE - sizeof(pattern), pattern,
			    sizeof(pattern)));
	EXPECT_EQ(0, memcmp(buf, self->img, IMG_SIZE - sizeof(pattern)));
}

TEST_F(blk, flush_and_get_id)
{
	u64 st = put_status(&self->g);
	u64 id = fg_alloc(&self->g, BLK_ID_MAX);
	struct fg_buf flush[] = {
		{ put_hdr(&self->g, VIRTIO_BLK_T_FLUSH, 0), 16, false },
		{ st, 1, true },
	};
	struct fg_buf get_id[] = {
		{ put_hdr(&self->g, VIRTIO_BLK_T_GET_ID, 0), 16, false },
		{ id, BLK_ID_MAX, true },
		{ st, 1, true },
	};
	u32 len;

	fg_add_chain(&self->g, &self->r, flush, ARRAY_SIZE(flush));
	EXPECT_EQ(VIRTIO_BLK_S_OK, complete(self, st, NULL));
	*(u8 *)fg_hva(&self->g, st) = NO_STATUS;
	fg_add_chain(&self->g, &self->r, get_id, ARRAY_SIZE(get_id));
	EXPECT_EQ(VIRTIO_BLK_S_OK, complete(self, st, &len));
	EXPECT_EQ(BLK_ID_MAX + 1, len);
	EXPECT_STREQ("disk-7", (char *)fg_hva(&self->g, id));
}

TEST_F(blk, unknown_type_unsupported)
{
	u64 st = put_status(&self->g);
	struct fg_buf b[] = {
		{ put_hdr(&self->g, VIRTIO_BLK_T_DISCARD, 0), 16, false },
		{ st, 1, true },
	};

	fg_add_chain(&self->g, &self->r, b, ARRAY_SIZE(b));
	EXPECT_EQ(VIRTIO_BLK_S_UNSUPP, complete(self, st, NULL));
}

/* Each of these must answer IOERR and leave the image as it was. */
static void expect_ioerr(struct __test_metadata *_metadata,
			 struct _test_data_blk *self, u32 type, u64 sector,
			 u32 data_len, u32 hdr_len)
{
	u64 data = fg_alloc(&self->g, data_len);
	u64 st = put_status(&self->g);
	struct fg_buf b[] = {
		{ put_hdr(&self->g, type, sector), hdr_len, false },
		{ data, data_len, type == VIRTIO_BLK_T_IN },
		{ st, 1, true },
	};
	u8 buf[IMG_SIZE];

	memset(fg_hva(&self->g, data), 0x77, data_len);
	fg_add_chain(&self->g, &self->r, b, ARRAY_SIZE(b));
	EXPECT_EQ(VIRTIO_BLK_S_IOERR, complete(self, st, NULL));
	ASSERT_EQ(0, image_now(self, buf));
	EXPECT_EQ(0, memcmp(buf, self->img, IMG_SIZE));
}

TEST_F(blk, past_the_end_refused)
{
	expect_ioerr(_metadata, self, VIRTIO_BLK_T_OUT, IMG_SECTORS - 1,
		     2 * BLK_SECTOR_SIZE, 16);
	expect_ioerr(_metadata, self, VIRTIO_BLK_T_IN, IMG_SECTORS,
		     BLK_SECTOR_SIZE, 16);
	/* sector * 512 would wrap around to 0 */
	expect_ioerr(_metadata, self, VIRTIO_BLK_T_OUT, 1ULL << 55,
		     BLK_SECTOR_SIZE, 16);
	expect_ioerr(_metadata, self, VIRTIO_BLK_T_IN, ~0ULL,
		     BLK_SECTOR_SIZE, 16);
}

TEST_F(blk, partial_sector_and_short_header_refused)
{
	expect_ioerr(_metadata, self, VIRTIO_BLK_T_OUT, 0, 100, 16);
	expect_ioerr(_metadata, self, VIRTIO_BLK_T_IN, 0, 513, 16);
	expect_ioerr(_metadata, self, VIRTIO_BLK_T_OUT, 0,
		     BLK_SECTOR_SIZE, 15);
}

TEST_F(blk, read_only_disk_refuses_writes)
{
	free(self->d);
	bring_up(_metadata, self, true);
	fg_wr(&self->d->vdev, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	EXPECT_TRUE(fg_rd(&self->d->vdev, VIRTIO_MMIO_DEVICE_FEATURES) &
		    BIT(VIRTIO_BLK_F_RO));
	expect_ioerr(_metadata, self, VIRTIO_BLK_T_OUT, 0, BLK_SECTOR_SIZE,
		     16);
}

/* No device-writable byte: nothing to put a status in, nothing done. */
TEST_F(blk, request_without_status_dropped)
{
	u8 data[BLK_SECTOR_SIZE], buf[IMG_SIZE];
	struct fg_buf b[] = {
		{ put_hdr(&self->g, VIRTIO_BLK_T_OUT, 0), 16, false },
		{ 0, sizeof(data), false },
	};
	u32 id, len = 1;

	memset(data, 0x11, sizeof(data));
	b[1].addr = fg_put(&self->g, data, sizeof(data));
	fg_add_chain(&self->g, &self->r, b, ARRAY_SIZE(b));
	fg_wr(&self->d->vdev, VIRTIO_MMIO_QUEUE_NOTIFY, BLK_VQ_REQUEST);
	ASSERT_TRUE(fg_get_used(&self->g, &self->r, &id, &len));
	EXPECT_EQ(0, len);
	ASSERT_EQ(0, image_now(self, buf));
	EXPECT_EQ(0, memcmp(buf, self->img, IMG_SIZE));
}

/* A data buffer outside the device's window: the chain is not served. */
TEST_F(blk, buffer_outside_window_not_served)
{
	u64 st = put_status(&self->g);
	struct fg_buf b[] = {
		{ put_hdr(&self->g, VIRTIO_BLK_T_IN, 0), 16, false },
		{ FG_RAM_BASE + FG_RAM_SIZE - 256, BLK_SECTOR_SIZE, true },
		{ st, 1, true },
	};
	u32 len = 1;

	fg_add_chain(&self->g, &self->r, b, ARRAY_SIZE(b));
	EXPECT_EQ(NO_STATUS, complete(self, st, &len));
	EXPECT_EQ(0, len);
}

TEST(size_not_whole_sectors_refused)
{
	struct fake_guest g;
	struct blk_dev *d = calloc(1, sizeof(*d));
	int fd = memfd_create("odd", MFD_CLOEXEC);

	log_set_level(LOG_ERR);
	fg_init(&g);
	ASSERT_EQ(0, ftruncate(fd, 1000));
	EXPECT_EQ(-EINVAL, blk_dev_init(d, fd, false, NULL, 0, &g.mem));
	close(fd);
	free(d);
	fg_free(&g);
}

TEST_HARNESS_MAIN
