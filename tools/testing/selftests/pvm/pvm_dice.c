// SPDX-License-Identifier: GPL-2.0
/*
 * pvm_dice: the protected VM's side of the DICE handover that the
 * hypervisor leaves in /dev/open-dice0 (or in the file $PVM_DICE_DEV).
 *
 *   pvm_dice show         the launch measurement, CDI ids, EL2 module pins
 *   pvm_dice wipe         wipe the region, check that it reads as zeroes
 *   pvm_dice masked       the CDIs XORed with 0x5a, for a host memory scan
 *   pvm_dice vault PORT   serve one SEAL or UNSEAL request from the host
 *                         over vsock (or the Unix socket $PVM_DICE_UNIX)
 *
 * All crypto goes through the kernel's AF_ALG sockets.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <linux/if_alg.h>
#include <linux/vm_sockets.h>

#define PFX		"pvmkit-dice: "
#define REGION_SIZE	4096
#define HASH_SIZE	32	/* CDIs, digests and keys alike */
#define MAX_PINS	8
#define MAX_DEPTH	16
#define MAGIC		"PVMSEAL1"
#define MAGIC_SIZE	8	/* also the AAD */
#define IV_SIZE		12
#define TAG_SIZE	16
#define MAX_PLAIN	1024
#define MAX_BLOB	(MAGIC_SIZE + IV_SIZE + MAX_PLAIN + TAG_SIZE)
#define MAX_LINE	4096
#define MAX_REPLY	(2 * MAX_BLOB + 16)
#define SEAL_LABEL	"pvmkit sealing demo v1"

/* Map keys: the handover, a chain entry, its configuration descriptor. */
#define KEY_CDI_ATTEST	1
#define KEY_CDI_SEAL	2
#define KEY_CHAIN	3
#define KEY_CODE_HASH	(-4670545)
#define KEY_CONFIG	(-4670548)
#define KEY_MODE	(-4670551)
#define KEY_NAME	(-70002)
#define KEY_PINS	(-71001)

/* The keys met so far, one bit each. */
enum { F_ATTEST = 1, F_SEAL = 2, F_CHAIN = 4, F_HASH = 8, F_CONFIG = 16,
	F_MODE = 32, F_NAME = 64, F_PINS = 128 };

struct cbor {
	const uint8_t *p;
	size_t len;
	size_t off;
	const char *err;	/* the first error met */
};

struct handover {
	uint8_t cdi_attest[HASH_SIZE];
	uint8_t cdi_seal[HASH_SIZE];
	uint8_t measurement[HASH_SIZE];
	unsigned int found;	/* F_* */
	unsigned int pins;
};

static char why_buf[256];

static int cbor_fail(struct cbor *c, const char *why)
{
	if (!c->err)
		c->err = why;
	return -1;
}

/*
 * One head, of major type @major unless that is -1: its major type, or -1.
 * *@arg gets its argument; for a string, an array or a map, that can't
 * exceed the bytes left.
 */
static int cbor_head(struct cbor *c, int major, uint64_t *arg)
{
	unsigned int ai, n;
	int m;

	if (c->off >= c->len)
		return cbor_fail(c, "truncated item");
	m = c->p[c->off] >> 5;
	ai = c->p[c->off++] & 0x1f;
	if (m == 6)
		return cbor_fail(c, "tags are not supported");
	if (m == 7)
		return cbor_fail(c, "floats and simple values are not supported");
	if (ai == 31)
		return cbor_fail(c, "indefinite lengths are not supported");
	if (ai > 27)
		return cbor_fail(c, "reserved additional information");
	n = ai < 24 ? 0 : 1u << (ai - 24);
	if (c->len - c->off < n)
		return cbor_fail(c, "truncated head");
	for (*arg = n ? 0 : ai; n; n--)
		*arg = *arg << 8 | c->p[c->off++];
	if (major >= 0 && m != major)
		return cbor_fail(c, "unexpected major type");
	if (m >= 2 && *arg > c->len - c->off)
		return cbor_fail(c, "item runs past the end");
	return m;
}

/* A byte (2) or text (3) string; its place if @data is not NULL. */
static int cbor_string(struct cbor *c, int major, const uint8_t **data,
		       size_t *len)
{
	uint64_t n;

	if (cbor_head(c, major, &n) < 0)
		return -1;
	if (data) {
		*data = c->p + c->off;
		*len = n;
	}
	c->off += n;
	return 0;
}

/* A byte string of exactly @size bytes, copied to @out if not NULL. */
static int cbor_bytes(struct cbor *c, uint8_t *out, size_t size)
{
	const uint8_t *data;
	size_t len;

	if (cbor_string(c, 2, &data, &len))
		return -1;
	if (len != size)
		return cbor_fail(c, "byte string of the wrong size");
	if (out)
		memcpy(out, data, size);
	return 0;
}

static int cbor_skip(struct cbor *c, int depth)
{
	uint64_t n;
	int m;

	if (depth > MAX_DEPTH)
		return cbor_fail(c, "nesting too deep");
	m = cbor_head(c, -1, &n);
	if (m < 0)
		return -1;
	if (m == 2 || m == 3)
		c->off += n;
	if (m == 5)
		n *= 2;
	while ((m == 4 || m == 5) && n--)
		if (cbor_skip(c, depth + 1))
			return -1;
	return 0;
}

/* A map key; one that is no integer, or too large a one, reads as 0. */
static int cbor_key(struct cbor *c, int64_t *key)
{
	uint64_t arg;
	int m;

	*key = 0;
	if (c->off < c->len && (c->p[c->off] >> 5) > 1)
		return cbor_skip(c, 1);
	m = cbor_head(c, -1, &arg);
	if (m >= 0 && arg <= INT64_MAX)
		*key = m ? -1 - (int64_t)arg : (int64_t)arg;
	return m < 0 ? -1 : 0;
}

/* Walk a map, passing each value to @field; a return of 1 skips it. */
static int cbor_map(struct cbor *c, struct handover *h,
		    int (*field)(struct cbor *, int64_t, struct handover *))
{
	uint64_t n;
	int64_t key;
	int ret;

	if (cbor_head(c, 5, &n) < 0)
		return -1;
	while (n--) {
		if (cbor_key(c, &key))
			return -1;
		ret = field(c, key, h);
		if (ret < 0 || (ret > 0 && cbor_skip(c, 1)))
			return -1;
	}
	return 0;
}

static int mark(struct cbor *c, struct handover *h, unsigned int bit)
{
	if (h->found & bit)
		return cbor_fail(c, "duplicate key");
	h->found |= bit;
	return 0;
}

static int parse_pins(struct cbor *c, struct handover *h)
{
	uint64_t n;

	if (cbor_head(c, 4, &n) < 0)
		return -1;
	if (n > MAX_PINS)
		return cbor_fail(c, "too many EL2 module pins");
	for (h->pins = 0; h->pins < n; h->pins++)
		if (cbor_bytes(c, NULL, HASH_SIZE))
			return -1;
	return 0;
}

static int config_field(struct cbor *c, int64_t key, struct handover *h)
{
	if (key == KEY_NAME)
		return mark(c, h, F_NAME) ?: cbor_string(c, 3, NULL, NULL);
	if (key == KEY_PINS)
		return mark(c, h, F_PINS) ?: parse_pins(c, h);
	return 1;
}

/* The configuration descriptor: a byte string holding a CBOR map. */
static int parse_config(struct cbor *c, struct handover *h)
{
	struct cbor in = { 0 };

	if (cbor_string(c, 2, &in.p, &in.len))
		return -1;
	if (!cbor_map(&in, h, config_field) && in.off != in.len)
		cbor_fail(&in, "trailing bytes in the configuration descriptor");
	return in.err ? cbor_fail(c, in.err) : 0;
}

static int entry_field(struct cbor *c, int64_t key, struct handover *h)
{
	if (key == KEY_CODE_HASH)
		return mark(c, h, F_HASH) ?:
		       cbor_bytes(c, h->measurement, HASH_SIZE);
	if (key == KEY_CONFIG)
		return mark(c, h, F_CONFIG) ?: parse_config(c, h);
	if (key == KEY_MODE)
		return mark(c, h, F_MODE) ?: cbor_bytes(c, NULL, 1);
	return 1;
}

/* The chain: an array of entries, of which only the first one counts. */
static int parse_chain(struct cbor *c, struct handover *h)
{
	uint64_t n;

	if (cbor_head(c, 4, &n) < 0)
		return -1;
	if (!n)
		return cbor_fail(c, "the chain is empty");
	if (cbor_map(c, h, entry_field))
		return -1;
	while (--n)
		if (cbor_skip(c, 2))
			return -1;
	return 0;
}

static int handover_field(struct cbor *c, int64_t key, struct handover *h)
{
	if (key == KEY_CDI_ATTEST)
		return mark(c, h, F_ATTEST) ?:
		       cbor_bytes(c, h->cdi_attest, HASH_SIZE);
	if (key == KEY_CDI_SEAL)
		return mark(c, h, F_SEAL) ?:
		       cbor_bytes(c, h->cdi_seal, HASH_SIZE);
	if (key == KEY_CHAIN)
		return mark(c, h, F_CHAIN) ?: parse_chain(c, h);
	return 1;
}

static int all_zero(const uint8_t *p, size_t len)
{
	while (len && !*p) {
		p++;
		len--;
	}
	return !len;
}

/* Parse the region's @len bytes; 0, or -1 with the reason in *@why. */
static int parse_handover(const uint8_t *buf, size_t len, struct handover *h,
			  const char **why)
{
	struct cbor c = { .p = buf, .len = len };

	memset(h, 0, sizeof(*h));
	if (all_zero(buf, len)) {
		*why = "the region is empty (wiped, or not a protected VM)";
		return -1;
	}
	if (!cbor_map(&c, h, handover_field)) {
		if (!all_zero(buf + c.off, len - c.off))
			cbor_fail(&c, "trailing bytes after the handover");
		else if (!(h->found & F_ATTEST))
			cbor_fail(&c, "no CDI_Attest");
		else if (!(h->found & F_SEAL))
			cbor_fail(&c, "no CDI_Seal");
	}
	if (!c.err)
		return 0;
	explicit_bzero(h, sizeof(*h));
	snprintf(why_buf, sizeof(why_buf), "malformed handover: %s (byte %zu)",
		 c.err, c.off);
	*why = why_buf;
	return -1;
}

static const char *errno_why(const char *what)
{
	snprintf(why_buf, sizeof(why_buf), "%s: %s", what, strerror(errno));
	return why_buf;
}

static const char *dev_path(void)
{
	const char *path = getenv("PVM_DICE_DEV");

	return path && *path ? path : "/dev/open-dice0";
}

static ssize_t read_retry(int fd, void *buf, size_t len)
{
	ssize_t n;

	do {
		n = read(fd, buf, len);
	} while (n < 0 && errno == EINTR);
	return n;
}

/*
 * The region's size: a plain file's, or what the open-dice driver's read()
 * returns, a 64-bit integer (its contents are for mmap() only).
 */
static int region_size(int fd, size_t *size)
{
	struct stat st;
	uint64_t val;

	if (fstat(fd, &st))
		return -1;
	if (S_ISREG(st.st_mode)) {
		*size = st.st_size;
		return 0;
	}
	if (read_retry(fd, &val, sizeof(val)) != sizeof(val))
		return -1;
	*size = val;
	return 0;
}

/* Copy the region's first REGION_SIZE bytes into @buf: how many, or -1. */
static ssize_t read_region(uint8_t *buf, const char **why)
{
	ssize_t got = -1;
	size_t size = 0;
	void *map;
	int fd;

	fd = open(dev_path(), O_RDONLY | O_CLOEXEC);
	if (fd < 0 || region_size(fd, &size)) {
		*why = errno_why(dev_path());
	} else if (!size) {
		*why = "the region is empty (wiped, or not a protected VM)";
	} else {
		/* The handover is in the first page; the rest is zeroes. */
		size = size < REGION_SIZE ? size : REGION_SIZE;
		map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
		if (map == MAP_FAILED) {
			*why = errno_why(dev_path());
		} else {
			memcpy(buf, map, size);
			munmap(map, size);
			got = size;
		}
	}
	if (fd >= 0)
		close(fd);
	return got;
}

static int load_handover(struct handover *h, const char **why)
{
	uint8_t buf[REGION_SIZE];
	ssize_t len;
	int ret;

	len = read_region(buf, why);
	ret = len < 0 ? -1 : parse_handover(buf, len, h, why);
	explicit_bzero(buf, sizeof(buf));
	return ret;
}

/* An AF_ALG operation socket, keyed with 32 bytes if @key is not NULL. */
static int alg_open(const char *type, const char *name, const void *key,
		    unsigned int authsize)
{
	struct sockaddr_alg sa = { .salg_family = AF_ALG };
	int tfm, op = -1;

	snprintf((char *)sa.salg_type, sizeof(sa.salg_type), "%s", type);
	snprintf((char *)sa.salg_name, sizeof(sa.salg_name), "%s", name);
	tfm = socket(AF_ALG, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (tfm < 0)
		return -1;
	if (!bind(tfm, (struct sockaddr *)&sa, sizeof(sa)) &&
	    (!key || !setsockopt(tfm, SOL_ALG, ALG_SET_KEY, key, HASH_SIZE)) &&
	    (!authsize ||
	     !setsockopt(tfm, SOL_ALG, ALG_SET_AEAD_AUTHSIZE, NULL, authsize)))
		op = accept(tfm, NULL, NULL);
	close(tfm);
	return op;
}

/* SHA-256 of @msg, or HMAC-SHA256 if @key is not NULL; 0 or -1. */
static int digest(const uint8_t *key, const void *msg, size_t len,
		  uint8_t *out)
{
	int op, ret = -1;

	op = alg_open("hash", key ? "hmac(sha256)" : "sha256", key, 0);
	if (op < 0)
		return -1;
	errno = EIO;
	if (send(op, msg, len, 0) == (ssize_t)len &&
	    read_retry(op, out, HASH_SIZE) == HASH_SIZE)
		ret = 0;
	close(op);
	return ret;
}

static struct cmsghdr *put_cmsg(struct msghdr *msg, struct cmsghdr *cm,
				int type, const void *data, size_t len)
{
	cm = cm ? CMSG_NXTHDR(msg, cm) : CMSG_FIRSTHDR(msg);
	cm->cmsg_level = SOL_ALG;
	cm->cmsg_type = type;
	cm->cmsg_len = CMSG_LEN(len);
	memcpy(CMSG_DATA(cm), data, len);
	return cm;
}

/*
 * gcm(aes) on @len (at most MAX_PLAIN + TAG_SIZE) bytes with the magic as
 * AAD: the size of @out (@len plus or minus the tag), or -errno.
 */
static ssize_t gcm(const uint8_t *key, uint32_t dir, const uint8_t *nonce,
		   const uint8_t *in, size_t len, uint8_t *out)
{
	union {
		char buf[2 * CMSG_SPACE(4) +
			 CMSG_SPACE(sizeof(struct af_alg_iv) + IV_SIZE)];
		struct cmsghdr align;
	} ctl = { .buf = { 0 } };
	uint8_t src[MAX_BLOB], dst[MAX_BLOB];
	struct iovec iov = { .iov_base = src, .iov_len = MAGIC_SIZE + len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf) };
	uint32_t assoclen = MAGIC_SIZE, iv[1 + IV_SIZE / 4] = { IV_SIZE };
	size_t outlen = dir == ALG_OP_ENCRYPT ? len + TAG_SIZE : len - TAG_SIZE;
	struct cmsghdr *cm;
	ssize_t n;
	int op;

	memcpy(iv + 1, nonce, IV_SIZE);	/* struct af_alg_iv */
	cm = put_cmsg(&msg, NULL, ALG_SET_OP, &dir, 4);
	cm = put_cmsg(&msg, cm, ALG_SET_IV, iv, sizeof(iv));
	put_cmsg(&msg, cm, ALG_SET_AEAD_ASSOCLEN, &assoclen, 4);
	memcpy(src, MAGIC, MAGIC_SIZE);
	memcpy(src + MAGIC_SIZE, in, len);
	op = alg_open("aead", "gcm(aes)", key, TAG_SIZE);
	if (op < 0)
		return -errno;
	errno = EIO;
	if (sendmsg(op, &msg, 0) == (ssize_t)iov.iov_len &&
	    read_retry(op, dst, MAGIC_SIZE + outlen) ==
	    (ssize_t)(MAGIC_SIZE + outlen)) {
		memcpy(out, dst + MAGIC_SIZE, outlen);
		n = outlen;
	} else {
		n = -errno;
	}
	close(op);
	explicit_bzero(src, sizeof(src));
	explicit_bzero(dst, sizeof(dst));
	return n;
}

/* gcm() keyed with HMAC-SHA256(CDI_Seal, SEAL_LABEL); -1 on failure. */
static ssize_t seal_crypt(uint32_t dir, const uint8_t *nonce,
			  const uint8_t *in, size_t len, uint8_t *out,
			  const char **why)
{
	uint8_t key[HASH_SIZE];
	struct handover h;
	ssize_t n = -1;

	if (load_handover(&h, why))
		return -1;
	if (digest(h.cdi_seal, SEAL_LABEL, strlen(SEAL_LABEL), key)) {
		*why = errno_why("hmac(sha256)");
	} else {
		n = gcm(key, dir, nonce, in, len, out);
		errno = n < 0 ? -n : 0;
		if (n == -EBADMSG)
			*why = "authentication failed";
		else if (n < 0)
			*why = errno_why("gcm(aes)");
	}
	explicit_bzero(&h, sizeof(h));
	explicit_bzero(key, sizeof(key));
	return n < 0 ? -1 : n;
}

/* Decode the hex @s into at most @max bytes: their number, or -1. */
static ssize_t hex_decode(const char *s, uint8_t *out, size_t max,
			  const char **why)
{
	size_t len = strlen(s), i;

	*why = len / 2 > max ? "too long" : "malformed hex";
	if (len / 2 > max || len % 2 ||
	    strspn(s, "0123456789abcdefABCDEF") != len)
		return -1;
	for (i = 0; i < len / 2; i++)
		if (sscanf(s + 2 * i, "%2hhx", &out[i]) != 1)
			return -1;
	return len / 2;
}

static void print_hex(const char *label, const uint8_t *p, uint8_t mask)
{
	int i;

	printf(PFX "%s ", label);
	for (i = 0; i < HASH_SIZE; i++)
		printf("%02x", p[i] ^ mask);
	putchar('\n');
}

/* Text in quotes, with any byte not printable ASCII as \xNN. */
static void print_text(const char *label, const uint8_t *p, size_t len)
{
	printf(PFX "%s \"", label);
	for (; len; len--, p++) {
		if (*p >= ' ' && *p <= '~')
			putchar(*p);
		else
			printf("\\x%02x", *p);
	}
	printf("\"\n");
}

static int load_or_say(struct handover *h)
{
	const char *why;

	if (!load_handover(h, &why))
		return 0;
	printf(PFX "no DICE handover: %s\n", why);
	return -1;
}

static int cmd_show(void)
{
	uint8_t seal_id[HASH_SIZE], attest_id[HASH_SIZE];
	struct handover h;
	int ret = 1;

	if (load_or_say(&h))
		return 1;
	if (!(h.found & F_HASH)) {
		printf(PFX "no DICE handover: no codeHash in the chain\n");
	} else if (digest(NULL, h.cdi_seal, HASH_SIZE, seal_id) ||
		   digest(NULL, h.cdi_attest, HASH_SIZE, attest_id)) {
		printf(PFX "cannot hash: %s\n", errno_why("sha256"));
	} else {
		print_hex("measurement", h.measurement, 0);
		print_hex("seal-id", seal_id, 0);
		print_hex("attest-id", attest_id, 0);
		printf(PFX "el2 module pins %u\n", h.pins);
		ret = 0;
	}
	explicit_bzero(&h, sizeof(h));
	return ret;
}

static int cmd_masked(void)
{
	struct handover h;

	if (load_or_say(&h))
		return 1;
	print_hex("masked attest", h.cdi_attest, 0x5a);
	print_hex("masked seal", h.cdi_seal, 0x5a);
	explicit_bzero(&h, sizeof(h));
	return 0;
}

/* Any write makes the driver wipe; a plain file is zeroed by truncation. */
static int wipe_region(const char **why)
{
	struct stat st;
	ssize_t n;
	int fd, ret = -1;

	fd = open(dev_path(), O_WRONLY | O_CLOEXEC);
	if (fd >= 0 && !fstat(fd, &st) && S_ISREG(st.st_mode)) {
		ret = ftruncate(fd, 0) || ftruncate(fd, st.st_size) ? -1 : 0;
	} else if (fd >= 0) {
		do {
			n = write(fd, "", 1);
		} while (n < 0 && errno == EINTR);
		ret = n == 1 ? 0 : -1;
	}
	if (ret)
		*why = errno_why(dev_path());
	if (fd >= 0)
		close(fd);
	return ret;
}

static int cmd_wipe(void)
{
	uint8_t buf[REGION_SIZE];
	const char *why;
	ssize_t len;

	len = wipe_region(&why) ? -1 : read_region(buf, &why);
	if (len >= 0 && !all_zero(buf, len)) {
		why = "the region still holds data";
		len = -1;
	}
	explicit_bzero(buf, sizeof(buf));
	if (len < 0) {
		printf(PFX "wipe failed: %s\n", why);
		return 1;
	}
	printf(PFX "wiped\n");
	return 0;
}

static int vault_connect(unsigned int port)
{
	const char *path = getenv("PVM_DICE_UNIX");
	union {
		struct sockaddr sa;
		struct sockaddr_vm vm;
		struct sockaddr_un un;
	} a = { .vm = { .svm_family = AF_VSOCK, .svm_cid = VMADDR_CID_HOST,
			.svm_port = port } };
	socklen_t alen = sizeof(a.vm);
	int fd;

	if (path) {
		if (strlen(path) >= sizeof(a.un.sun_path)) {
			errno = ENAMETOOLONG;
			return -1;
		}
		memset(&a, 0, sizeof(a));
		a.un.sun_family = AF_UNIX;
		memcpy(a.un.sun_path, path, strlen(path));
		alen = sizeof(a.un);
	}
	fd = socket(a.sa.sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, &a.sa, alen)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* One '\n'-terminated line of at most MAX_LINE bytes, without the '\n'. */
static int read_line(int fd, char *line, const char **why)
{
	size_t got = 0;
	ssize_t n;
	char *nl;

	while (got < MAX_LINE) {
		n = read_retry(fd, line + got, MAX_LINE - got);
		if (n <= 0) {
			*why = n ? errno_why("read") : "no request line";
			return -1;
		}
		nl = memchr(line + got, '\n', n);
		got += n;
		if (!nl)
			continue;
		*nl = '\0';
		if (strlen(line) == (size_t)(nl - line))
			return 0;
		*why = "NUL byte in the request";
		return -1;
	}
	*why = "request line too long";
	return -1;
}

static int send_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= n;
	}
	return 0;
}

static int vault_fail(char *reply, const char *what, const char *why)
{
	snprintf(reply, MAX_REPLY, "ERR %s\n", why);
	printf(PFX "%s: %s\n", what, why);
	return 1;
}

/* @reply = @word, then @len bytes of @p in hex, then '\n'. */
static void reply_hex(char *reply, const char *word, const uint8_t *p,
		      size_t len)
{
	size_t i;

	reply += sprintf(reply, "%s", word);
	for (i = 0; i < len; i++)
		reply += sprintf(reply, "%02x", p[i]);
	sprintf(reply, "\n");
}

static int vault_seal(const char *arg, char *reply)
{
	uint8_t plain[MAX_PLAIN], blob[MAX_BLOB];
	uint8_t *nonce = blob + MAGIC_SIZE;
	const char *why;
	ssize_t len, n = -1;

	len = hex_decode(arg, plain, MAX_PLAIN, &why);
	if (len >= 0 && getrandom(nonce, IV_SIZE, 0) != IV_SIZE)
		why = errno_why("getrandom");
	else if (len >= 0)
		n = seal_crypt(ALG_OP_ENCRYPT, nonce, plain, len,
			       nonce + IV_SIZE, &why);
	explicit_bzero(plain, sizeof(plain));
	if (n < 0)
		return vault_fail(reply, "cannot seal", why);
	memcpy(blob, MAGIC, MAGIC_SIZE);
	reply_hex(reply, "SEALED ", blob, MAGIC_SIZE + IV_SIZE + n);
	printf(PFX "sealed %zd bytes\n", len);
	return 0;
}

static int vault_unseal(const char *arg, char *reply)
{
	uint8_t plain[MAX_PLAIN], blob[MAX_BLOB];
	uint8_t *nonce = blob + MAGIC_SIZE;
	const char *why;
	ssize_t len, n = -1;

	len = hex_decode(arg, blob, MAX_BLOB, &why);
	if (len >= 0 && (len < MAGIC_SIZE + IV_SIZE + TAG_SIZE ||
			 memcmp(blob, MAGIC, MAGIC_SIZE)))
		why = "not a sealed blob";
	else if (len >= 0)
		n = seal_crypt(ALG_OP_DECRYPT, nonce, nonce + IV_SIZE,
			       len - MAGIC_SIZE - IV_SIZE, plain, &why);
	if (n < 0)
		return vault_fail(reply, "cannot unseal", why);
	reply_hex(reply, "UNSEALED ", plain, n);
	print_text("unsealed", plain, n);
	explicit_bzero(plain, sizeof(plain));
	return 0;
}

static int cmd_vault(unsigned int port)
{
	static char line[MAX_LINE + 1], reply[MAX_REPLY];
	const char *why;
	int fd, ret;

	fd = vault_connect(port);
	if (fd < 0) {
		printf(PFX "vault: %s\n", errno_why("cannot connect"));
		return 1;
	}
	if (read_line(fd, line, &why))
		ret = vault_fail(reply, "vault", why);
	else if (!strncmp(line, "SEAL ", 5))
		ret = vault_seal(line + 5, reply);
	else if (!strncmp(line, "UNSEAL ", 7))
		ret = vault_unseal(line + 7, reply);
	else
		ret = vault_fail(reply, "vault", "unknown request");
	if (send_all(fd, reply, strlen(reply))) {
		printf(PFX "vault: %s\n", errno_why("cannot reply"));
		ret = 1;
	}
	explicit_bzero(reply, sizeof(reply));
	close(fd);
	return ret;
}

static int parse_port(const char *s, unsigned int *port)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *s < '0' || *s > '9' || *end || v > 0xffffffffUL)
		return -1;
	*port = v;
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int port;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && !strcmp(argv[1], "show"))
		return cmd_show();
	if (argc == 2 && !strcmp(argv[1], "wipe"))
		return cmd_wipe();
	if (argc == 2 && !strcmp(argv[1], "masked"))
		return cmd_masked();
	if (argc == 3 && !strcmp(argv[1], "vault") &&
	    !parse_port(argv[2], &port))
		return cmd_vault(port);
	printf(PFX "usage: pvm_dice show | wipe | masked | vault PORT\n");
	return 2;
}
