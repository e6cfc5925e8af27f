// SPDX-License-Identifier: GPL-2.0
/*
 * "pvmm run": put the VM, its devices and its threads together, run until
 * the guest powers off or resets, and turn that into the exit status.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/random.h>
#include <linux/kvm.h>
#include <linux/virtio_config.h>
#include <libfdt.h>

#include "blk_dev.h"
#include "devtree.h"
#include "eventloop.h"
#include "exit_code.h"
#include "layout.h"
#include "loader.h"
#include "log.h"
#include "vcpu.h"
#include "virtio_eventfd.h"
#include "console.h"
#include "control.h"
#include "vm.h"
#include "vmm.h"
#include "vsock_uds.h"
#include "vsock_vhost.h"
#include "vendor_footer.h"

#define POOL_MIN	(4 * SZ_1M)
#define POOL_MAX	(64 * SZ_1M)
#define RNG_SEED_LEN	64

struct irq_line {
	struct vm *vm;
	u32 intid;
};

struct vmm {
	struct vm vm;
	struct vcpu vcpu[DT_MAX_CPUS];
	unsigned int nr_vcpus;
	struct mmio_bus bus;
	struct eventloop el;
	struct gmem dma;		/* what the devices may touch */
	struct boot_images boot;
	struct console_dev console;
	struct vsock_dev vsock;
	struct vsock_uds uds;
	bool has_vsock;
	struct blk_dev disk[CLI_MAX_DISKS + 1];	/* --disk..., --vendor */
	unsigned int nr_disks;
	struct vendor_footer vendor;
	bool has_vendor;
	struct vsock_vhost vhost;
	bool has_vhost;
	unsigned int vhost_slot;	/* its dtv[] and irq[] index */
	int vhost_fd;			/* until vsock_vhost_open() takes it */
	struct irq_line irq[DT_MAX_VIRTIO];
	struct dt_virtio dtv[DT_MAX_VIRTIO];
	bool io_thread[DT_MAX_VIRTIO];	/* its queues served there */
	struct virtio_eventfd efd[DT_MAX_VIRTIO];	/* if io_thread[] */
	unsigned int nr_virtio;
	int exit_code;
	struct control ctl;		/* the control socket (pvmm stop...) */
};

static struct vmm the_vmm;

/* First caller wins. Async-signal-safe. */
static void vmm_exit(void *opaque, int code)
{
	struct vmm *m = opaque;
	int none = -1;

	__atomic_compare_exchange_n(&m->exit_code, &none, code, false,
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	el_stop(&m->el);
}

static void on_signal(int sig)
{
	vmm_exit(&the_vmm, PVMM_EXIT_SIGNAL + sig);
}

static int setup_signals(void)
{
	static const int stop_sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	unsigned int i;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_IGN;
	if (sigaction(SIGPIPE, &sa, NULL)) {
		return -1;
	}
	sa.sa_handler = on_signal;
	for (i = 0; i < ARRAY_SIZE(stop_sigs); i++) {
		if (sigaction(stop_sigs[i], &sa, NULL)) {
			return -1;
		}
	}
	return vcpu_signal_init();
}

static void set_irq(void *opaque, bool level)
{
	struct irq_line *l = opaque;

	vm_set_irq(l->vm, l->intid, level);
}

/*
 * Wire a virtio-mmio device to the bus, an SPI and the device tree.
 * Returns its slot, the index of its dtv[] and irq[] entries, or -1.
 */
static int attach_virtio(struct vmm *m, struct virtio_mmio *vdev)
{
	unsigned int n = m->nr_virtio;
	u64 base = GUEST_VIRTIO_BASE + n * VIRTIO_MMIO_SIZE;

	if (n == DT_MAX_VIRTIO ||
	    mmio_bus_add(&m->bus, base, VIRTIO_MMIO_SIZE,
			 virtio_mmio_bus_access, vdev)) {
		pr_err("cannot place virtio device %u", n);
		return -1;
	}
	m->irq[n].vm = &m->vm;
	m->irq[n].intid = GUEST_SPI_INTID(n);
	vdev->set_irq = set_irq;
	vdev->irq_opaque = &m->irq[n];
	m->dtv[n].base = base;
	m->dtv[n].size = VIRTIO_MMIO_SIZE;
	m->dtv[n].spi = n;
	m->nr_virtio++;
	return n;
}

/*
 * A device whose kicks the I/O thread takes, through KVM ioeventfds, and
 * whose interrupt it raises through an irqfd, once setup_eventfds() has
 * wired them. Not the console: its output may block on stdout, which must
 * not stop the I/O thread.
 */
static int attach_io_virtio(struct vmm *m, struct virtio_mmio *vdev)
{
	int slot = attach_virtio(m, vdev);

	if (slot >= 0) {
		m->io_thread[slot] = true;
		virtio_eventfd_init(&m->efd[slot], vdev, &sys_ops_default,
				    m->vm.vm_fd);
	}
	return slot;
}

/*
 * vhost-vsock: the device is placed now, and connected to vhost and KVM
 * once the GIC exists (setup_vhost_irq()). Its SPI is edge triggered: an
 * irqfd can only pulse it.
 */
static int setup_vhost(struct vmm *m, const struct run_opts *o)
{
	int slot;

	m->vhost_fd = open(VHOST_VSOCK_DEV, O_RDWR | O_CLOEXEC);
	if (m->vhost_fd < 0) {
		pr_err("--vsock-backend vhost: cannot open %s: %s",
		       VHOST_VSOCK_DEV, strerror(errno));
		return -1;
	}
	vsock_vhost_init(&m->vhost, o->vsock_cid, &m->dma, &sys_ops_default);
	m->has_vhost = true;
	slot = attach_virtio(m, &m->vhost.vdev);
	if (slot < 0) {
		return -1;
	}
	m->vhost_slot = slot;
	m->dtv[slot].edge = true;
	return 0;
}

static int setup_vhost_irq(struct vmm *m)
{
	const struct dt_virtio *dtv = &m->dtv[m->vhost_slot];
	int fd = m->vhost_fd;

	if (!m->has_vhost) {
		return 0;
	}
	m->vhost_fd = -1;
	return vsock_vhost_open(&m->vhost, fd, m->vm.vm_fd, dtv->base,
				dtv->spi) ? -1 : 0;
}

/*
 * Once the GIC exists: the kicks and interrupts of attach_io_virtio()'s
 * devices through KVM, where KVM has ioeventfds and irqfds (a protected VM
 * has them once pkvm_ext_allowed() lets KVM_CAP_IOEVENTFD through, as the
 * pvmkit series does). A device whose irqfd is in
 * place gets an edge-triggered SPI. Whatever fails, the device still
 * works, through MMIO exits and KVM_IRQ_LINE.
 */
static void setup_eventfds(struct vmm *m)
{
	bool kicks = vm_has_cap(&m->vm, KVM_CAP_IOEVENTFD);
	bool irqfd = vm_has_cap(&m->vm, KVM_CAP_IRQFD);
	unsigned int n;

	for (n = 0; n < m->nr_virtio; n++) {
		if (!m->io_thread[n]) {
			continue;
		}
		if (kicks) {
			virtio_eventfd_kicks(&m->efd[n], &m->el, m->dtv[n].base);
		}
		if (irqfd && !virtio_eventfd_irqfd(&m->efd[n], m->dtv[n].spi)) {
			m->dtv[n].edge = true;
		}
	}
}

static void stdin_event(void *opaque, int fd, u32 events)
{
	struct vmm *m = opaque;
	u8 buf[256];
	ssize_t n;

	(void)events;
	n = read(fd, buf, sizeof(buf));
	if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
		return;
	}
	if (n <= 0) {
		el_del(&m->el, fd);
		return;
	}
	console_dev_input(&m->console, buf, n);
}

/*
 * Open a disk image and take a lock on it, shared for a read-only disk and
 * exclusive for a writable one, as QEMU does: two VMs writing one image
 * would corrupt it.
 */
static int open_image(const char *path, bool read_only)
{
	int fd = open(path, (read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC);

	if (fd < 0) {
		pr_err("disk '%s': %s", path, strerror(errno));
		return -1;
	}
	if (flock(fd, (read_only ? LOCK_SH : LOCK_EX) | LOCK_NB)) {
		pr_err("disk '%s': in use by another VM (%s)", path,
		       strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int add_disk(struct vmm *m, const char *path, bool read_only,
		    const char *id, u64 features)
{
	struct blk_dev *d = &m->disk[m->nr_disks];
	int fd = open_image(path, read_only);

	if (fd < 0) {
		return -1;
	}
	if (blk_dev_init(d, fd, read_only, id, features, &m->dma)) {
		pr_err("disk '%s': cannot attach", path);
		close(fd);
		return -1;
	}
	m->nr_disks++;
	return attach_io_virtio(m, &d->vdev) < 0 ? -1 : 0;
}

/* The vendor image: read-only, and its footer gives the root digest. */
static int add_vendor(struct vmm *m, const char *path, u64 features)
{
	const char *why = NULL;

	if (add_disk(m, path, true, CLI_VENDOR_DISK_ID, features)) {
		return -1;
	}
	if (vendor_footer_read(m->disk[m->nr_disks - 1].fd, &m->vendor,
			       &why)) {
		pr_err("--vendor '%s': %s", path, why);
		return -1;
	}
	m->has_vendor = true;
	return 0;
}

static int setup_disks(struct vmm *m, const struct run_opts *o, u64 features)
{
	unsigned int i;

	for (i = 0; i < o->nr_disks; i++) {
		if (add_disk(m, o->disk[i].path, o->disk[i].read_only,
			     o->disk[i].id, features)) {
			return -1;
		}
	}
	return o->vendor ? add_vendor(m, o->vendor, features) : 0;
}

static int setup_devices(struct vmm *m, const struct run_opts *o)
{
	u64 features = o->protected ? BIT_ULL(VIRTIO_F_ACCESS_PLATFORM) : 0;
	int ret;

	console_dev_init(&m->console, features, &m->dma, STDOUT_FILENO);
	if (attach_virtio(m, &m->console.vdev) < 0) {
		return -1;
	}
	/* stdin may be a regular file or closed: then there is no input. */
	el_add(&m->el, STDIN_FILENO, EPOLLIN, stdin_event, m);
	if (setup_disks(m, o, features)) {
		return -1;
	}
	if (!o->vsock_cid) {
		return 0;
	}
	if (o->vsock_backend == VSOCK_BACKEND_VHOST) {
		return setup_vhost(m, o);
	}
	m->has_vsock = true;
	vsock_dev_init(&m->vsock, o->vsock_cid, features, &m->dma,
		       &vsock_uds_ops, &m->uds);
	ret = vsock_uds_init(&m->uds, o->vsock_uds, &m->el, &m->vsock);
	if (!ret && o->vsock_connect_timeout_ms) {
		m->uds.connect_timeout_ms = o->vsock_connect_timeout_ms;
	}
	if (!ret) {
		ret = vsock_uds_listen(&m->uds);
	}
	if (ret) {
		pr_err("--vsock-uds '%s': %s", o->vsock_uds, strerror(-ret));
		return -1;
	}
	return attach_io_virtio(m, &m->vsock.vdev) < 0 ? -1 : 0;
}

/*
 * The guest shares every page of its pool with MEM_SHARE at boot, and each
 * untouched page costs a donation fault first: at RAM/8 the pool was more
 * than half of a 256 MiB pVM's faults to init (bench.rst). RAM/32 still
 * holds every ring and bounce buffer the devices post.
 */
static u64 pool_size(u64 ram_size)
{
	u64 s = align_down(ram_size / 32, SZ_2M);

	if (s < POOL_MIN) {
		return POOL_MIN;
	}
	return s > POOL_MAX ? POOL_MAX : s;
}

static int setup_memory(struct vmm *m, const struct run_opts *o)
{
	const struct boot_layout *l = &m->boot.layout;

	m->boot.kernel = o->kernel;
	m->boot.initrd = o->initrd;
	m->boot.pool_size = o->protected ? pool_size(m->vm.ram.size) : 0;
	m->boot.dice_size = o->protected ? VM_DICE_SIZE : 0;
	if (load_images(&m->boot, &m->vm.ram)) {
		return -1;
	}
	m->dma = m->vm.ram;
	if (o->protected &&
	    gmem_sub(&m->vm.ram, l->pool, m->boot.pool_size, &m->dma)) {
		pr_err("cannot place the restricted DMA pool");
		return -1;
	}
	return 0;
}

static int setup_vcpus(struct vmm *m, unsigned int n)
{
	unsigned int i;

	if (vm_create_gic(&m->vm, n)) {
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (vcpu_create(&m->vm, &m->vcpu[i], i)) {
			return -1;
		}
		m->nr_vcpus++;
		m->vcpu[i].bus = &m->bus;
		m->vcpu[i].exit_cb = vmm_exit;
		m->vcpu[i].exit_opaque = m;
	}
	return vm_init_gic(&m->vm);
}

static int setup_fdt(struct vmm *m, const struct run_opts *o)
{
	const struct boot_layout *l = &m->boot.layout;
	u8 seed[RNG_SEED_LEN];
	u64 mpidr[DT_MAX_CPUS];
	struct dt_config cfg = {
		.ram_base = m->vm.ram.gpa,
		.ram_size = m->vm.ram.size,
		.nr_cpus = m->nr_vcpus,
		.mpidr = mpidr,
		.cmdline = o->cmdline ? o->cmdline : CLI_DEFAULT_CMDLINE,
		.initrd_start = l->initrd,
		.initrd_end = l->initrd + m->boot.initrd_size,
		.gicd_base = GUEST_GICD_BASE,
		.gicd_size = GUEST_GICD_SIZE,
		.gicr_base = GUEST_GICR_BASE,
		.gicr_size = (u64)m->nr_vcpus * KVM_VGIC_V3_REDIST_SIZE,
		.nr_virtio = m->nr_virtio,
		.virtio = m->dtv,
		.stdout_virtio = 0,
		.pool_base = l->pool,
		.pool_size = m->boot.pool_size,
		.dice_base = l->dice,
		.dice_size = m->boot.dice_size,
		.rng_seed = seed,
	};
	unsigned int i;

	for (i = 0; i < m->nr_vcpus; i++) {
		mpidr[i] = m->vcpu[i].mpidr;
	}
	if (m->has_vendor) {
		cfg.vendor_digest = m->vendor.root_digest;
		cfg.vendor_digest_len = m->vendor.digest_len;
	}
	/*
	 * A protected guest gets no seed from the host, which would know it,
	 * and whose randomness would make every launch measure differently.
	 */
	if (!o->protected &&
	    getrandom(seed, sizeof(seed), GRND_NONBLOCK) == sizeof(seed)) {
		cfg.rng_seed_len = sizeof(seed);
	}
	if (dt_build(&cfg, gmem_ptr(&m->vm.ram, l->dtb, ARM64_DTB_MAX),
		     ARM64_DTB_MAX)) {
		return -1;
	}
	return vcpu_set_boot_regs(&m->vcpu[0], l->kernel, l->dtb);
}

static u64 page_up(u64 x)
{
	return (x + SZ_4K - 1) & ~(u64)(SZ_4K - 1);
}

/*
 * Pages a guest's stage-2 fault maps, from the aligned 64 KiB around it: a
 * booting guest touches most of its memory in such runs (a protected one
 * its restricted DMA pool all of it), and a fault costs more than a page.
 */
#define FAULT_AROUND_PAGES	16

/*
 * A protected guest's kernel, initrd and device tree: measured by EL2; and
 * where EL2 writes the CDIs it derives from that measurement.
 */
static int setup_measured_image(struct vmm *m)
{
	const struct boot_layout *l = &m->boot.layout;
	const void *fdt = gmem_ptr(&m->vm.ram, l->dtb, ARM64_DTB_MAX);

	if (!m->vm.protected) {
		return 0;
	}
	if (vm_add_image_region(&m->vm, l->kernel,
				page_up(m->boot.kernel_size)) ||
	    (m->boot.initrd_size &&
	     vm_add_image_region(&m->vm, l->initrd,
				 page_up(m->boot.initrd_size))) ||
	    vm_add_image_region(&m->vm, l->dtb, page_up(fdt_totalsize(fdt))) ||
	    vm_set_dice_region(&m->vm, l->dice, m->boot.dice_size)) {
		return -1;
	}
	return 0;
}

static int setup(struct vmm *m, const struct run_opts *o)
{
	if (el_init(&m->el) || setup_signals()) {
		pr_err("cannot set up the event loop: %s", strerror(errno));
		return -1;
	}
	if (vm_create(&m->vm, o->mem_mib * SZ_1M, o->protected) ||
	    setup_memory(m, o) || setup_devices(m, o) ||
	    setup_vcpus(m, o->cpus) || setup_vhost_irq(m)) {
		return -1;
	}
	setup_eventfds(m);
	vm_set_fault_around(&m->vm, FAULT_AROUND_PAGES);
	return setup_fdt(m, o) || setup_measured_image(m) ? -1 : 0;
}

/* Runs until the guest or a signal ends it; the outcome is m->exit_code. */
static void run(struct vmm *m)
{
	unsigned int i;

	/* With --verbose: when setup ended, for boot-time measurements. */
	pr_info("VM ready, starting %u vCPU%s", m->nr_vcpus,
		m->nr_vcpus > 1 ? "s" : "");
	for (i = 0; i < m->nr_vcpus; i++) {
		if (vcpu_start(&m->vcpu[i])) {
			vmm_exit(m, PVMM_EXIT_ERROR);
			break;
		}
	}
	if (el_run(&m->el)) {
		vmm_exit(m, PVMM_EXIT_ERROR);
	}
}

/* Register the VM for "pvmm list", "console" and "stop" (control.c). */
static void start_control(struct vmm *m, const struct run_opts *o)
{
	struct control_cfg cfg = {
		.info = {
			.cid = o->vsock_cid,
			.pid = getpid(),
			.protected = o->protected,
			.cpus = m->nr_vcpus,
			.mem_mib = o->mem_mib,
		},
		.console = &m->console,
		.exit_cb = vmm_exit,
		.exit_opaque = m,
	};
	char dir[CW_PATH_MAX];
	int ret = cw_default_runtime_dir(dir, sizeof(dir));

	if (ret) {
		pr_warn("control socket: $%s: %s", CW_ENV_DIR, strerror(-ret));
		return;
	}
	cfg.dir = dir;
	control_start(&m->ctl, &m->el, &cfg);
}

static void teardown(struct vmm *m)
{
	unsigned int i;

	control_close(&m->ctl);
	for (i = 0; i < m->nr_vcpus; i++) {
		vcpu_kick(&m->vcpu[i]);
	}
	for (i = 0; i < m->nr_vcpus; i++) {
		vcpu_join(&m->vcpu[i]);
	}
	for (i = 0; i < m->nr_virtio; i++) {
		if (m->io_thread[i]) {
			virtio_eventfd_close(&m->efd[i]);
		}
	}
	if (m->has_vsock) {
		vsock_uds_cleanup(&m->uds);
	}
	if (m->has_vhost) {
		vsock_vhost_close(&m->vhost);
	}
	if (m->vhost_fd >= 0) {
		close(m->vhost_fd);
	}
	for (i = 0; i < m->nr_disks; i++) {
		close(m->disk[i].fd);
	}
	vm_destroy(&m->vm);
	control_cleanup(&m->ctl);
}

int vmm_run(const struct run_opts *o)
{
	struct vmm *m = &the_vmm;

	m->exit_code = -1;
	m->vhost_fd = -1;
	if (o->verbose) {
		log_set_level(LOG_INFO);
	}
	if (setup(m, o)) {
		vmm_exit(m, PVMM_EXIT_ERROR);
	} else {
		start_control(m, o);
		run(m);
	}
	teardown(m);
	return m->exit_code;
}
