// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-blk device: decode and check a request, then do it on the file.
 */
#include <endian.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <linux/virtio_ids.h>

#include "blk_dev.h"
#include "log.h"

#define BLK_HDR_LEN	sizeof(struct virtio_blk_outhdr)

/* A request once decoded: what to do, where, and on which buffers. */
struct blk_req {
	u32 type;
	u64 sector;
	struct vq_cursor out;		/* after the header */
	struct vq_cursor in;		/* the status byte is its last byte */
	u64 data_len;			/* bytes to read or write */
	u32 written;			/* bytes put in device-writable buffers */
};

static struct blk_dev *to_blk(struct virtio_mmio *vdev)
{
	return vdev->priv;
}

/* Whether [sector, sector + len) lies inside the image. */
static bool in_range(const struct blk_dev *d, u64 sector, u64 len)
{
	u64 max_sector = d->size / BLK_SECTOR_SIZE;

	return sector <= max_sector &&
	       len <= (max_sector - sector) * BLK_SECTOR_SIZE;
}

/* Do all of a pread/pwrite over @iov, whatever the kernel splits it into. */
static int rw_full(int fd, struct iovec *iov, unsigned int nr, off_t off,
		   bool is_write)
{
	ssize_t n;

	while (nr) {
		n = is_write ? pwritev(fd, iov, nr, off) :
			       preadv(fd, iov, nr, off);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			return n < 0 ? -errno : -EIO;
		}
		off += n;
		while (nr && (size_t)n >= iov->iov_len) {
			n -= iov->iov_len;
			iov++;
			nr--;
		}
		if (nr) {
			iov->iov_base = (u8 *)iov->iov_base + n;
			iov->iov_len -= n;
		}
	}
	return 0;
}

static u8 do_rw(struct blk_dev *d, struct blk_req *r, bool is_write)
{
	struct vq_cursor *c = is_write ? &r->out : &r->in;
	struct iovec iov[VQ_MAX_SIZE];
	unsigned int nr;
	int ret;

	if (r->data_len % BLK_SECTOR_SIZE) {
		log_guest("blk: %llu bytes is not whole sectors", r->data_len);
		return VIRTIO_BLK_S_IOERR;
	}
	if (!in_range(d, r->sector, r->data_len)) {
		log_guest("blk: sector %llu+%llu bytes past the end (%llu)",
			  r->sector, r->data_len, d->size);
		return VIRTIO_BLK_S_IOERR;
	}
	if (is_write && d->read_only) {
		log_guest("blk: write to a read-only disk");
		return VIRTIO_BLK_S_IOERR;
	}
	nr = vq_iov(c, r->data_len, iov, ARRAY_SIZE(iov));
	ret = rw_full(d->fd, iov, nr, r->sector * BLK_SECTOR_SIZE, is_write);
	if (ret) {
		pr_err("blk: %s at sector %llu: %s", is_write ? "write" : "read",
		       r->sector, strerror(-ret));
		return VIRTIO_BLK_S_IOERR;
	}
	if (!is_write) {
		r->written = r->data_len;
	}
	return VIRTIO_BLK_S_OK;
}

static u8 do_flush(struct blk_dev *d)
{
	if (!d->read_only && fdatasync(d->fd)) {
		pr_err("blk: flush: %s", strerror(errno));
		return VIRTIO_BLK_S_IOERR;
	}
	return VIRTIO_BLK_S_OK;
}

/* The id is up to 20 bytes, NUL-terminated only if shorter. */
static u8 do_get_id(struct blk_dev *d, struct blk_req *r)
{
	r->written = vq_write(&r->in, d->id,
			      min_u64(sizeof(d->id), vq_left(&r->in) - 1));
	return VIRTIO_BLK_S_OK;
}

static u8 do_request(struct blk_dev *d, struct blk_req *r)
{
	switch (r->type) {
	case VIRTIO_BLK_T_IN:
		r->data_len = vq_left(&r->in) - 1;
		return do_rw(d, r, false);
	case VIRTIO_BLK_T_OUT:
		r->data_len = vq_left(&r->out);
		return do_rw(d, r, true);
	case VIRTIO_BLK_T_FLUSH:
		return do_flush(d);
	case VIRTIO_BLK_T_GET_ID:
		return do_get_id(d, r);
	default:
		return VIRTIO_BLK_S_UNSUPP;
	}
}

/*
 * Serve one request chain. Returns the bytes written into the
 * device-writable buffers, for the used ring.
 */
static s64 serve_chain(struct vq_chain *chain, void *ctx)
{
	struct virtio_blk_outhdr hdr;
	struct blk_req r = { 0 };
	struct blk_dev *d = ctx;
	u8 status;

	vq_cursor_out(&r.out, chain);
	vq_cursor_in(&r.in, chain);
	if (!vq_left(&r.in)) {
		log_guest("blk: request without a status byte, dropped");
		return 0;
	}
	if (vq_read(&r.out, &hdr, BLK_HDR_LEN) != BLK_HDR_LEN) {
		log_guest("blk: request shorter than its header");
		status = VIRTIO_BLK_S_IOERR;
	} else {
		r.type = le32toh(hdr.type);
		r.sector = le64toh(hdr.sector);
		status = do_request(d, &r);
	}
	vq_skip(&r.in, vq_left(&r.in) - 1);
	vq_write(&r.in, &status, 1);
	return r.written + 1;
}

static void blk_notify(struct virtio_mmio *vdev, unsigned int q)
{
	virtio_mmio_drain(vdev, q, serve_chain, to_blk(vdev));
}

static const struct virtio_dev_ops blk_ops = {
	.notify = blk_notify,
};

static const char *const blk_qnames[BLK_VQ_NR] = { "blk-request" };

/*
 * @fd is the open image, whose size must be a multiple of 512 bytes; the
 * device owns it from now on. Returns 0 or -EINVAL (logged).
 */
int blk_dev_init(struct blk_dev *d, int fd, bool read_only, const char *id,
		 u64 features, const struct gmem *mem)
{
	off_t size = lseek(fd, 0, SEEK_END);

	if (size < 0 || size % BLK_SECTOR_SIZE) {
		pr_err("blk: image size %lld is not a multiple of %d bytes",
		       (long long)size, BLK_SECTOR_SIZE);
		return -EINVAL;
	}
	features |= BIT_ULL(VIRTIO_BLK_F_SEG_MAX) |
		    BIT_ULL(VIRTIO_BLK_F_FLUSH);
	if (read_only) {
		features |= BIT_ULL(VIRTIO_BLK_F_RO);
	}
	virtio_mmio_init(&d->vdev, VIRTIO_ID_BLOCK, features, mem, BLK_VQ_NR,
			 blk_qnames);
	d->vdev.ops = &blk_ops;
	d->vdev.priv = d;
	d->fd = fd;
	d->read_only = read_only;
	d->size = size;
	memset(d->id, 0, sizeof(d->id));
	if (id) {
		memcpy(d->id, id, strnlen(id, sizeof(d->id)));
	}
	memset(&d->cfg, 0, sizeof(d->cfg));
	d->cfg.capacity = htole64(size / BLK_SECTOR_SIZE);
	/* The header and the status byte take a descriptor each. */
	d->cfg.seg_max = htole32(VQ_MAX_SIZE - 2);
	d->vdev.config = &d->cfg;
	d->vdev.config_len = sizeof(d->cfg);
	return 0;
}
