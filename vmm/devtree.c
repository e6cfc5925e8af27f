// SPDX-License-Identifier: GPL-2.0
/*
 * Device tree for the guest, written with libfdt's sequential-write API.
 *
 * The writer keeps the first libfdt error and ignores later calls, so the
 * node builders read as straight-line code.
 */
#include <errno.h>
#include <stdio.h>
#include <libfdt.h>

#include "devtree.h"
#include "log.h"

/* From the GIC and interrupt DT bindings (not part of the kernel uapi). */
#define GIC_SPI			0
#define GIC_PPI			1
#define IRQ_TYPE_EDGE_RISING	1
#define IRQ_TYPE_LEVEL_HIGH	4

/* Architected timer PPIs: secure, non-secure, virtual, hypervisor. */
static const u32 timer_ppi[] = { 13, 14, 11, 10 };

struct dtw {
	void *fdt;
	int err;
};

static void dt_begin(struct dtw *w, const char *name)
{
	if (!w->err) {
		w->err = fdt_begin_node(w->fdt, name);
	}
}

static void dt_begin_at(struct dtw *w, const char *name, u64 addr)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%s@%llx", name, addr);
	dt_begin(w, buf);
}

static void dt_end(struct dtw *w)
{
	if (!w->err) {
		w->err = fdt_end_node(w->fdt);
	}
}

static void dt_prop(struct dtw *w, const char *name, const void *val,
		    size_t len)
{
	if (!w->err) {
		w->err = fdt_property(w->fdt, name, val, len);
	}
}

static void dt_u32(struct dtw *w, const char *name, u32 val)
{
	fdt32_t v = cpu_to_fdt32(val);

	dt_prop(w, name, &v, sizeof(v));
}

static void dt_u64(struct dtw *w, const char *name, u64 val)
{
	fdt64_t v = cpu_to_fdt64(val);

	dt_prop(w, name, &v, sizeof(v));
}

static void dt_str(struct dtw *w, const char *name, const char *s)
{
	if (!w->err) {
		w->err = fdt_property_string(w->fdt, name, s);
	}
}

static void dt_reg(struct dtw *w, u64 base, u64 size)
{
	fdt64_t v[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };

	dt_prop(w, "reg", v, sizeof(v));
}

static void add_cpus(struct dtw *w, const struct dt_config *cfg)
{
	unsigned int i;
	u64 reg;

	dt_begin(w, "cpus");
	dt_u32(w, "#address-cells", 2);
	dt_u32(w, "#size-cells", 0);
	for (i = 0; i < cfg->nr_cpus; i++) {
		reg = cfg->mpidr[i] & 0xff00ffffffULL;
		dt_begin_at(w, "cpu", reg);
		dt_str(w, "device_type", "cpu");
		dt_str(w, "compatible", "arm,arm-v8");
		dt_str(w, "enable-method", "psci");
		dt_u64(w, "reg", reg);
		dt_end(w);
	}
	dt_end(w);
}

static void add_psci(struct dtw *w)
{
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2";

	dt_begin(w, "psci");
	dt_prop(w, "compatible", compat, sizeof(compat));
	dt_str(w, "method", "hvc");
	dt_end(w);
}

static void add_gic(struct dtw *w, const struct dt_config *cfg)
{
	fdt64_t reg[4] = {
		cpu_to_fdt64(cfg->gicd_base), cpu_to_fdt64(cfg->gicd_size),
		cpu_to_fdt64(cfg->gicr_base), cpu_to_fdt64(cfg->gicr_size),
	};

	dt_begin_at(w, "intc", cfg->gicd_base);
	dt_str(w, "compatible", "arm,gic-v3");
	dt_u32(w, "#interrupt-cells", 3);
	dt_prop(w, "interrupt-controller", NULL, 0);
	dt_prop(w, "reg", reg, sizeof(reg));
	dt_u32(w, "phandle", DT_PHANDLE_GIC);
	dt_end(w);
}

static void add_timer(struct dtw *w)
{
	fdt32_t irq[ARRAY_SIZE(timer_ppi) * 3];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(timer_ppi); i++) {
		irq[i * 3] = cpu_to_fdt32(GIC_PPI);
		irq[i * 3 + 1] = cpu_to_fdt32(timer_ppi[i]);
		irq[i * 3 + 2] = cpu_to_fdt32(IRQ_TYPE_LEVEL_HIGH);
	}
	dt_begin(w, "timer");
	dt_str(w, "compatible", "arm,armv8-timer");
	dt_prop(w, "interrupts", irq, sizeof(irq));
	dt_end(w);
}

static void add_chosen(struct dtw *w, const struct dt_config *cfg)
{
	char path[64];

	dt_begin(w, "chosen");
	dt_str(w, "bootargs", cfg->cmdline ? cfg->cmdline : "");
	if (cfg->initrd_end > cfg->initrd_start) {
		dt_u64(w, "linux,initrd-start", cfg->initrd_start);
		dt_u64(w, "linux,initrd-end", cfg->initrd_end);
	}
	if (cfg->stdout_virtio >= 0 &&
	    (unsigned int)cfg->stdout_virtio < cfg->nr_virtio) {
		snprintf(path, sizeof(path), "/virtio@%llx",
			 cfg->virtio[cfg->stdout_virtio].base);
		dt_str(w, "stdout-path", path);
	}
	if (cfg->rng_seed_len) {
		dt_prop(w, "rng-seed", cfg->rng_seed, cfg->rng_seed_len);
	}
	dt_end(w);
}

static void add_memory(struct dtw *w, const struct dt_config *cfg)
{
	dt_begin_at(w, "memory", cfg->ram_base);
	dt_str(w, "device_type", "memory");
	dt_reg(w, cfg->ram_base, cfg->ram_size);
	dt_end(w);
}

/* The memory a protected guest shares with pvmm for all virtio DMA. */
static void add_pool(struct dtw *w, const struct dt_config *cfg)
{
	dt_begin_at(w, "restricted_dma", cfg->pool_base);
	dt_str(w, "compatible", "restricted-dma-pool");
	dt_reg(w, cfg->pool_base, cfg->pool_size);
	dt_u32(w, "phandle", DT_PHANDLE_POOL);
	dt_end(w);
}

/*
 * Where the hypervisor writes a protected guest's DICE handover; Linux's
 * open-dice driver shows it as /dev/open-dice0.
 */
static void add_dice(struct dtw *w, const struct dt_config *cfg)
{
	dt_begin_at(w, "dice", cfg->dice_base);
	dt_str(w, "compatible", "google,open-dice");
	dt_reg(w, cfg->dice_base, cfg->dice_size);
	dt_prop(w, "no-map", NULL, 0);
	dt_end(w);
}

static void add_reserved_memory(struct dtw *w, const struct dt_config *cfg)
{
	dt_begin(w, "reserved-memory");
	dt_u32(w, "#address-cells", 2);
	dt_u32(w, "#size-cells", 2);
	dt_prop(w, "ranges", NULL, 0);
	if (cfg->pool_size) {
		add_pool(w, cfg);
	}
	if (cfg->dice_size) {
		add_dice(w, cfg);
	}
	dt_end(w);
}

static void add_virtio(struct dtw *w, const struct dt_config *cfg,
		       const struct dt_virtio *v)
{
	fdt32_t irq[3] = {
		cpu_to_fdt32(GIC_SPI), cpu_to_fdt32(v->spi),
		cpu_to_fdt32(v->edge ? IRQ_TYPE_EDGE_RISING :
			     IRQ_TYPE_LEVEL_HIGH),
	};

	dt_begin_at(w, "virtio", v->base);
	dt_str(w, "compatible", "virtio,mmio");
	dt_reg(w, v->base, v->size);
	dt_prop(w, "interrupts", irq, sizeof(irq));
	dt_prop(w, "dma-coherent", NULL, 0);
	if (cfg->pool_size) {
		dt_u32(w, "memory-region", DT_PHANDLE_POOL);
	}
	dt_end(w);
}

/*
 * What Android's Microdroid guests read to verify their vendor partition:
 * /avf/vendor_hashtree_descriptor_root_digest, the raw digest bytes.
 */
static void add_avf(struct dtw *w, const struct dt_config *cfg)
{
	dt_begin(w, "avf");
	dt_prop(w, "vendor_hashtree_descriptor_root_digest",
		cfg->vendor_digest, cfg->vendor_digest_len);
	dt_end(w);
}

static void add_root(struct dtw *w, const struct dt_config *cfg)
{
	unsigned int i;

	dt_begin(w, "");
	dt_str(w, "compatible", "linux,dummy-virt");
	dt_str(w, "model", "pvmm");
	dt_u32(w, "#address-cells", 2);
	dt_u32(w, "#size-cells", 2);
	dt_u32(w, "interrupt-parent", DT_PHANDLE_GIC);
	add_chosen(w, cfg);
	add_memory(w, cfg);
	add_cpus(w, cfg);
	add_psci(w);
	add_gic(w, cfg);
	add_timer(w);
	if (cfg->pool_size || cfg->dice_size) {
		add_reserved_memory(w, cfg);
	}
	for (i = 0; i < cfg->nr_virtio; i++) {
		add_virtio(w, cfg, &cfg->virtio[i]);
	}
	if (cfg->vendor_digest_len) {
		add_avf(w, cfg);
	}
	dt_end(w);
}

/* Build the tree into @buf. Returns 0 or -EINVAL (logged). */
int dt_build(const struct dt_config *cfg, void *buf, size_t size)
{
	struct dtw w = { .fdt = buf };

	if (!cfg->nr_cpus || cfg->nr_cpus > DT_MAX_CPUS ||
	    cfg->nr_virtio > DT_MAX_VIRTIO) {
		return -EINVAL;
	}
	w.err = fdt_create(buf, size);
	if (!w.err) {
		w.err = fdt_finish_reservemap(buf);
	}
	add_root(&w, cfg);
	if (!w.err) {
		w.err = fdt_finish(buf);
	}
	if (w.err) {
		pr_err("device tree: %s", fdt_strerror(w.err));
		return -EINVAL;
	}
	return 0;
}
