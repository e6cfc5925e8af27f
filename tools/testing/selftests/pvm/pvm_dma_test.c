// SPDX-License-Identifier: GPL-2.0
/*
 * A compromised host kernel against a protected VM, with a device. The
 * test-only module pvm_dma.ko makes QEMU's "edu" PCI device copy a physical
 * page by DMA, as a host kernel may program any device to. EL2 owns the
 * SMMU in front of the device: a page donated to a guest must not come out,
 * the SMMU must report the fault, and a page the host owns must.
 *
 * Before EL2 owned the SMMU, the guest's data came out of the device.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "pvm_util.h"

#define DMA_KO		"/pvmkit/pvm_dma.ko"
#define DMA_READ	"/sys/kernel/debug/pvm_dma/read"
#define SMMU_EVENTS	"/sys/kernel/debug/pkvm_smmu/events"
#define DMA_BYTES	64
#define DATA_PAGES	2
#define SECRET		0x5ec7e75ec7e75ec7ULL
#define F_TRANSLATION	0x10

struct smmu_events {
	unsigned long records, last_event, last_sid, last_addr;
};

/* Have the device read @phys; the module's status, or -errno. */
static int dma_read(uint64_t phys, uint8_t out[DMA_BYTES])
{
	char line[32], buf[16 + 2 * DMA_BYTES + 2] = "";
	int fd, n, status, i;
	unsigned int byte;

	fd = open(DMA_READ, O_RDWR);
	if (fd < 0)
		return -errno;
	n = snprintf(line, sizeof(line), "0x%llx", (unsigned long long)phys);
	if (write(fd, line, n) != n || pread(fd, buf, sizeof(buf) - 1, 0) <= 0) {
		close(fd);
		return -EIO;
	}
	close(fd);
	if (sscanf(buf, "%d %n", &status, &n) != 1)
		return -EIO;
	for (i = 0; i < DMA_BYTES; i++) {
		if (sscanf(buf + n + 2 * i, "%2x", &byte) != 1)
			return -EIO;
		out[i] = byte;
	}
	return status;
}

static int read_events(struct smmu_events *ev)
{
	FILE *f = fopen(SMMU_EVENTS, "r");
	int n;

	if (!f)
		return -errno;
	n = fscanf(f, "records %lu last_event 0x%lx last_sid 0x%lx last_addr 0x%lx",
		   &ev->records, &ev->last_event, &ev->last_sid,
		   &ev->last_addr);
	fclose(f);
	return n == 4 ? 0 : -EIO;
}

static bool holds_secret(const uint8_t *buf)
{
	uint64_t w;
	int i;

	for (i = 0; i + 8 <= DMA_BYTES; i += 8) {
		memcpy(&w, buf + i, sizeof(w));
		if (w == SECRET)
			return true;
	}
	return false;
}

FIXTURE(dma) {
	struct smmu_events before;
};

/*
 * Without an SMMU the hypervisor owns, the attack is still made, and
 * fails the test: that is the platform's state, not a reason to skip.
 */
FIXTURE_SETUP(dma)
{
	if (!pvm_loaded())
		SKIP(return, "pvm.ko is not loaded");
	ASSERT_TRUE(test_module_load(DMA_KO, DMA_READ))
		TH_LOG("cannot load %s: is QEMU's edu device there?", DMA_KO);
	/* Zero records, if there is no SMMU: the tests then say so. */
	memset(&self->before, 0, sizeof(self->before));
	read_events(&self->before);
}

FIXTURE_TEARDOWN(dma)
{
}

/* The weapon works: the device reads a page the host owns. */
TEST_F(dma, device_reads_host_page)
{
	uint8_t out[DMA_BYTES];
	uint64_t *page, phys;
	struct smmu_events after;
	int i;

	page = mmap(NULL, getpagesize(), PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
	ASSERT_NE(MAP_FAILED, page);
	for (i = 0; i < DMA_BYTES / 8; i++)
		page[i] = SECRET;
	phys = phys_of(page);
	ASSERT_NE(0, phys);

	ASSERT_EQ(0, dma_read(phys, out));
	EXPECT_TRUE(holds_secret(out));
	memset(&after, 0, sizeof(after));
	EXPECT_EQ(0, read_events(&after));
	EXPECT_EQ(self->before.records, after.records);
	munmap(page, getpagesize());
}

/*
 * The attack: a page a protected guest wrote is read by the device. EL2
 * took it out of the SMMU's domain when it was donated: the device gets
 * nothing, and the SMMU records a translation fault at that address. After
 * the VM is gone, the page is the host's again, scrubbed, and readable.
 */
TEST_F(dma, device_cannot_read_guest_page)
{
	uint8_t out[DMA_BYTES];
	struct smmu_events after;
	uint64_t phys;
	struct vm vm;

	ASSERT_EQ(0, vm_prepare_writer(&vm, true, DATA_PAGES, SECRET))
		TH_LOG("vm_prepare_writer failed at %s", vm_failed_step);
	/* Make the page resident before the guest runs, to learn where. */
	memset(vm_data_page(&vm, 0), 0, getpagesize());
	phys = phys_of(vm_data_page(&vm, 0));
	ASSERT_NE(0, phys);
	ASSERT_EQ(0, vm_run_to_exit(&vm))
		TH_LOG("the guest did not run: %s", vm_failed_step);

	ASSERT_EQ(0, dma_read(phys, out));
	EXPECT_FALSE(holds_secret(out))
		TH_LOG("the device read the guest's data at 0x%llx",
		       (unsigned long long)phys);
	memset(&after, 0, sizeof(after));
	EXPECT_EQ(0, read_events(&after))
		TH_LOG("the hypervisor owns no SMMU (%s)", SMMU_EVENTS);
	EXPECT_LT(self->before.records, after.records);
	EXPECT_EQ(F_TRANSLATION, after.last_event);
	EXPECT_EQ(phys, after.last_addr & ~(uint64_t)(getpagesize() - 1));

	vm_destroy(&vm);
	ASSERT_EQ(0, dma_read(phys, out));
	EXPECT_FALSE(holds_secret(out));
	EXPECT_EQ(0, out[0]) TH_LOG("a reclaimed page was not scrubbed");
	EXPECT_EQ(0, read_events(&self->before));
	EXPECT_EQ(after.records, self->before.records)
		TH_LOG("the reclaimed page is still out of the devices' reach");
	munmap(vm.mem, vm.size);
	close(vm.memfd);
}

TEST_HARNESS_MAIN
