// SPDX-License-Identifier: GPL-2.0
/*
 * The guest device tree, read back with libfdt.
 */
#include "kselftest_harness.h"

#include <libfdt.h>

#include "devtree.h"
#include "log.h"

#define DT_SIZE	(64 * 1024)

static const u64 mpidr[2] = { 0x80000000ULL, 0x80000001ULL };
static const struct dt_virtio virtio[2] = {
	{ .base = 0x0a000000, .size = 0x200, .spi = 0 },
	{ .base = 0x0a000200, .size = 0x200, .spi = 1 },
};

static struct dt_config base_cfg(void)
{
	struct dt_config c = {
		.ram_base = 0x80000000ULL,
		.ram_size = 256 * SZ_1M,
		.nr_cpus = 2,
		.mpidr = mpidr,
		.cmdline = "console=hvc0 quiet",
		.initrd_start = 0x8f000000ULL,
		.initrd_end = 0x8f123456ULL,
		.gicd_base = 0x08000000,
		.gicd_size = 0x10000,
		.gicr_base = 0x080a0000,
		.gicr_size = 0x40000,
		.nr_virtio = 2,
		.virtio = virtio,
		.stdout_virtio = 0,
	};

	return c;
}

static int node(const void *fdt, const char *path)
{
	return fdt_path_offset(fdt, path);
}

static u64 prop_u64(const void *fdt, const char *path, const char *name,
		    int idx)
{
	const u8 *p;
	fdt64_t v;
	int len;

	/* Properties are only 4-byte aligned. */
	p = fdt_getprop(fdt, node(fdt, path), name, &len);
	if (!p || len < (idx + 1) * 8) {
		return ~0ULL;
	}
	memcpy(&v, p + idx * 8, sizeof(v));
	return fdt64_to_cpu(v);
}

static u32 prop_u32(const void *fdt, const char *path, const char *name,
		    int idx)
{
	const fdt32_t *p;
	int len;

	p = fdt_getprop(fdt, node(fdt, path), name, &len);
	if (!p || len < (idx + 1) * 4) {
		return ~0U;
	}
	return fdt32_to_cpu(p[idx]);
}

static const char *prop_str(const void *fdt, const char *path,
			    const char *name)
{
	const char *s = fdt_getprop(fdt, node(fdt, path), name, NULL);

	return s ? s : "(none)";
}

FIXTURE(dt) {
	u8 buf[DT_SIZE];
	struct dt_config cfg;
};

FIXTURE_SETUP(dt)
{
	log_set_level(LOG_ERR);
	self->cfg = base_cfg();
	ASSERT_EQ(0, dt_build(&self->cfg, self->buf, sizeof(self->buf)));
	ASSERT_EQ(0, fdt_check_header(self->buf));
}

FIXTURE_TEARDOWN(dt)
{
}

TEST_F(dt, root)
{
	EXPECT_EQ(2U, prop_u32(self->buf, "/", "#address-cells", 0));
	EXPECT_EQ(2U, prop_u32(self->buf, "/", "#size-cells", 0));
	EXPECT_EQ((u32)DT_PHANDLE_GIC,
		  prop_u32(self->buf, "/", "interrupt-parent", 0));
}

TEST_F(dt, chosen)
{
	EXPECT_STREQ("console=hvc0 quiet",
		     prop_str(self->buf, "/chosen", "bootargs"));
	EXPECT_EQ(0x8f000000ULL, prop_u64(self->buf, "/chosen",
					  "linux,initrd-start", 0));
	EXPECT_EQ(0x8f123456ULL, prop_u64(self->buf, "/chosen",
					  "linux,initrd-end", 0));
	EXPECT_STREQ("/virtio@a000000",
		     prop_str(self->buf, "/chosen", "stdout-path"));
	/* stdout-path must resolve. */
	EXPECT_GE(node(self->buf, prop_str(self->buf, "/chosen",
					   "stdout-path")), 0);
}

TEST_F(dt, memory)
{
	EXPECT_STREQ("memory", prop_str(self->buf, "/memory@80000000",
					"device_type"));
	EXPECT_EQ(0x80000000ULL, prop_u64(self->buf, "/memory@80000000",
					  "reg", 0));
	EXPECT_EQ(256 * SZ_1M, prop_u64(self->buf, "/memory@80000000",
					"reg", 1));
}

TEST_F(dt, cpus_use_psci)
{
	EXPECT_STREQ("psci", prop_str(self->buf, "/cpus/cpu@0",
				      "enable-method"));
	EXPECT_EQ(0U, prop_u64(self->buf, "/cpus/cpu@0", "reg", 0));
	EXPECT_EQ(1U, prop_u64(self->buf, "/cpus/cpu@1", "reg", 0));
	EXPECT_STREQ("cpu", prop_str(self->buf, "/cpus/cpu@1",
				     "device_type"));
	EXPECT_LT(node(self->buf, "/cpus/cpu@2"), 0);
}

TEST_F(dt, psci)
{
	int off = node(self->buf, "/psci");

	EXPECT_STREQ("hvc", prop_str(self->buf, "/psci", "method"));
	EXPECT_EQ(0, fdt_node_check_compatible(self->buf, off,
					       "arm,psci-0.2"));
	EXPECT_EQ(0, fdt_node_check_compatible(self->buf, off,
					       "arm,psci-1.0"));
}

TEST_F(dt, gic)
{
	const char *gic = "/intc@8000000";
	int off = node(self->buf, gic);

	ASSERT_GE(off, 0);
	EXPECT_EQ(0, fdt_node_check_compatible(self->buf, off, "arm,gic-v3"));
	EXPECT_NE(NULL, fdt_getprop(self->buf, off, "interrupt-controller",
				    NULL));
	EXPECT_EQ(3U, prop_u32(self->buf, gic, "#interrupt-cells", 0));
	EXPECT_EQ(0x08000000ULL, prop_u64(self->buf, gic, "reg", 0));
	EXPECT_EQ(0x10000ULL, prop_u64(self->buf, gic, "reg", 1));
	EXPECT_EQ(0x080a0000ULL, prop_u64(self->buf, gic, "reg", 2));
	EXPECT_EQ(0x40000ULL, prop_u64(self->buf, gic, "reg", 3));
	EXPECT_EQ(off, fdt_node_offset_by_phandle(self->buf,
						  DT_PHANDLE_GIC));
}

TEST_F(dt, timer_ppis)
{
	static const u32 ppi[] = { 13, 14, 11, 10 };
	int off = node(self->buf, "/timer"), len, i;

	EXPECT_EQ(0, fdt_node_check_compatible(self->buf, off,
					       "arm,armv8-timer"));
	fdt_getprop(self->buf, off, "interrupts", &len);
	EXPECT_EQ(48, len);
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(1U, prop_u32(self->buf, "/timer", "interrupts",
				       i * 3));
		EXPECT_EQ(ppi[i], prop_u32(self->buf, "/timer", "interrupts",
					   i * 3 + 1));
	}
}

TEST_F(dt, virtio_nodes)
{
	const char *v1 = "/virtio@a000200";
	int off = node(self->buf, v1);

	ASSERT_GE(off, 0);
	EXPECT_EQ(0, fdt_node_check_compatible(self->buf, off,
					       "virtio,mmio"));
	EXPECT_EQ(0x0a000200ULL, prop_u64(self->buf, v1, "reg", 0));
	EXPECT_EQ(0x200ULL, prop_u64(self->buf, v1, "reg", 1));
	EXPECT_EQ(0U, prop_u32(self->buf, v1, "interrupts", 0));	/* SPI */
	EXPECT_EQ(1U, prop_u32(self->buf, v1, "interrupts", 1));
	EXPECT_EQ(4U, prop_u32(self->buf, v1, "interrupts", 2));
	EXPECT_NE(NULL, fdt_getprop(self->buf, off, "dma-coherent", NULL));
	/* Not protected: no pool, no memory-region. */
	EXPECT_EQ(NULL, fdt_getprop(self->buf, off, "memory-region", NULL));
	EXPECT_LT(node(self->buf, "/reserved-memory"), 0);
}

/* A device whose interrupt comes from an irqfd (vhost) is edge triggered. */
TEST(edge_triggered_virtio)
{
	static const struct dt_virtio edge[2] = {
		{ 0x0a000000, 0x200, 0, false },
		{ 0x0a000200, 0x200, 1, true },
	};
	static u8 buf[DT_SIZE];
	struct dt_config cfg = base_cfg();

	log_set_level(LOG_ERR);
	cfg.virtio = edge;
	ASSERT_EQ(0, dt_build(&cfg, buf, sizeof(buf)));
	EXPECT_EQ(4U, prop_u32(buf, "/virtio@a000000", "interrupts", 2));
	EXPECT_EQ(1U, prop_u32(buf, "/virtio@a000200", "interrupts", 2));
	EXPECT_EQ(1U, prop_u32(buf, "/virtio@a000200", "interrupts", 1));
}

TEST(protected_vm_gets_restricted_dma_pool)
{
	static const char path[] = "/reserved-memory/restricted_dma@8c000000";
	static u8 buf[DT_SIZE];
	struct dt_config cfg = base_cfg();
	const fdt32_t *mr;
	int pool, off, i, len;

	log_set_level(LOG_ERR);
	cfg.pool_base = 0x8c000000ULL;
	cfg.pool_size = 32 * SZ_1M;
	ASSERT_EQ(0, dt_build(&cfg, buf, sizeof(buf)));
	pool = node(buf, path);
	ASSERT_GE(pool, 0);
	EXPECT_EQ(0, fdt_node_check_compatible(buf, pool,
					       "restricted-dma-pool"));
	EXPECT_EQ(0x8c000000ULL, prop_u64(buf, path, "reg", 0));
	EXPECT_EQ(32 * SZ_1M, prop_u64(buf, path, "reg", 1));
	EXPECT_NE(NULL, fdt_getprop(buf, node(buf, "/reserved-memory"),
				    "ranges", NULL));
	for (i = 0; i < 2; i++) {
		off = fdt_node_offset_by_compatible(buf, i ? off : -1,
						    "virtio,mmio");
		ASSERT_GE(off, 0);
		mr = fdt_getprop(buf, off, "memory-region", &len);
		ASSERT_NE(NULL, mr);
		EXPECT_EQ(4, len);
		EXPECT_EQ(pool, fdt_node_offset_by_phandle(buf,
							   fdt32_to_cpu(*mr)));
	}
}

/* Where EL2 writes the CDIs: a no-map google,open-dice region. */
TEST(protected_vm_gets_dice_region)
{
	static const char path[] = "/reserved-memory/dice@8dfff000";
	static u8 buf[DT_SIZE];
	struct dt_config cfg = base_cfg();
	int dice;

	log_set_level(LOG_ERR);
	cfg.pool_base = 0x8c000000ULL;
	cfg.pool_size = 32 * SZ_1M;
	cfg.dice_base = 0x8dfff000ULL;
	cfg.dice_size = SZ_4K;
	ASSERT_EQ(0, dt_build(&cfg, buf, sizeof(buf)));
	dice = node(buf, path);
	ASSERT_GE(dice, 0);
	EXPECT_EQ(0, fdt_node_check_compatible(buf, dice, "google,open-dice"));
	EXPECT_EQ(0x8dfff000ULL, prop_u64(buf, path, "reg", 0));
	EXPECT_EQ(SZ_4K, prop_u64(buf, path, "reg", 1));
	EXPECT_NE(NULL, fdt_getprop(buf, dice, "no-map", NULL));
	EXPECT_GE(node(buf, "/reserved-memory/restricted_dma@8c000000"), 0);
}

TEST(no_initrd_no_initrd_props)
{
	static u8 buf[DT_SIZE];
	struct dt_config cfg = base_cfg();

	cfg.initrd_start = 0;
	cfg.initrd_end = 0;
	ASSERT_EQ(0, dt_build(&cfg, buf, sizeof(buf)));
	EXPECT_EQ(NULL, fdt_getprop(buf, node(buf, "/chosen"),
				    "linux,initrd-start", NULL));
}

TEST(rng_seed)
{
	static u8 buf[DT_SIZE];
	struct dt_config cfg = base_cfg();
	u8 seed[32];
	const void *p;
	int len;

	memset(seed, 0x5a, sizeof(seed));
	cfg.rng_seed = seed;
	cfg.rng_seed_len = sizeof(seed);
	ASSERT_EQ(0, dt_build(&cfg, buf, sizeof(buf)));
	p = fdt_getprop(buf, node(buf, "/chosen"), "rng-seed", &len);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(32, len);
	EXPECT_EQ(0, memcmp(p, seed, sizeof(seed)));
}

TEST(vendor_digest_in_avf_node)
{
	static u8 buf[DT_SIZE];
	struct dt_config cfg = base_cfg();
	u8 digest[32];
	const void *p;
	int len;

	ASSERT_EQ(0, dt_build(&cfg, buf, sizeof(buf)));
	EXPECT_GT(0, fdt_path_offset(buf, "/avf"));
	memset(digest, 0xd1, sizeof(digest));
	cfg.vendor_digest = digest;
	cfg.vendor_digest_len = sizeof(digest);
	ASSERT_EQ(0, dt_build(&cfg, buf, sizeof(buf)));
	p = fdt_getprop(buf, node(buf, "/avf"),
			"vendor_hashtree_descriptor_root_digest", &len);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(32, len);
	EXPECT_EQ(0, memcmp(p, digest, sizeof(digest)));
}

TEST(buffer_too_small)
{
	static u8 buf[256];
	struct dt_config cfg = base_cfg();

	log_set_level(LOG_ERR);
	EXPECT_EQ(-EINVAL, dt_build(&cfg, buf, sizeof(buf)));
}

TEST(bad_config)
{
	static u8 buf[DT_SIZE];
	struct dt_config cfg = base_cfg();

	cfg.nr_cpus = 0;
	EXPECT_EQ(-EINVAL, dt_build(&cfg, buf, sizeof(buf)));
	cfg = base_cfg();
	cfg.nr_virtio = DT_MAX_VIRTIO + 1;
	EXPECT_EQ(-EINVAL, dt_build(&cfg, buf, sizeof(buf)));
}

TEST_HARNESS_MAIN
