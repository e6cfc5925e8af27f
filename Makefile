# SPDX-License-Identifier: GPL-2.0
#
# pvmkit: protected VMs for KVM/arm64 on Linux 6.12.
#
#   make check   set up, build, run the unit tier and the QEMU integration tier
#   make demo    set up, build, boot the pKVM host and show what works
#   make bench   set up, build, measure pvmm in one QEMU run (ratios)
#   make fuzz    pvmm's fuzz targets, then a long vsock client soak in QEMU
#   make fuzz-el2  random guest and host calls at EL2, long
#
# Build output goes to build/, logs to build/logs/.

BUILD := $(CURDIR)/build
KSRC := $(BUILD)/linux
KOBJ := $(BUILD)/kbuild
KHDR := $(BUILD)/headers
SYSROOT := $(BUILD)/sysroot
CROSS_COMPILE ?= aarch64-linux-gnu-

VMM_ARM64 := $(MAKE) -C vmm O=$(BUILD)/vmm-arm64 CROSS_COMPILE=$(CROSS_COMPILE) \
	KHDR=$(KHDR)/include STATIC=1 \
	LIBFDT_CFLAGS=-I$(SYSROOT)/usr/include \
	LIBFDT_LIBS=$(SYSROOT)/usr/lib/aarch64-linux-gnu/libfdt.a

.PHONY: all setup kernel module vmm selftests initramfs unit check \
	check-matrix check-series integration demo bench fuzz fuzz-el2 \
	checkpatch clean distclean

all: kernel module vmm selftests initramfs

setup:
	@scripts/setup

kernel: setup
	@scripts/build-kernel

# pvm.ko, built out of tree through ./Kbuild.
module: kernel
	@scripts/build-module

vmm: kernel
	@$(VMM_ARM64) -s pvmm guest

selftests: kernel
	@scripts/build-selftests

initramfs: kernel module vmm selftests
	@scripts/build-initramfs

# Host-side unit tier: seconds, no QEMU.
unit: setup
	@scripts/check --unit-only

check: all
	@scripts/check

# Both EL2 flavours: hVHE (-cpu max) and classic nVHE (-cpu cortex-a72).
check-matrix: all
	@scripts/check --flavour hvhe --flavour nvhe

# Build the kernel at every patch of the series (about an hour; not part
# of make check).
check-series: setup
	@scripts/check-series

demo: all
	@scripts/demo

# pvmm's boot time, memory and vsock throughput (user vs vhost), one boot.
bench: all
	@scripts/bench

# pvmm's two libFuzzer targets, FUZZ_SECONDS each; then, under QEMU,
# PVMM_VSOCK_CYCLES cycles of a bad and a good vsock client against pvmm,
# which must leak no file descriptor and no memory.
PVMM_VSOCK_CYCLES ?= 10000
fuzz: all
	@$(MAKE) -C vmm O=$(BUILD)/vmm-fuzz fuzz-run FUZZ_SECONDS=$${FUZZ_SECONDS:-300}
	@$(MAKE) -C vmm O=$(BUILD)/vmm-fuzz fuzz-run-uds FUZZ_SECONDS=$${FUZZ_SECONDS:-300}
	@scripts/run-qemu --log fuzz-vsock --timeout 3600 -- sh -c \
		'PVMM_VSOCK_CYCLES=$(PVMM_VSOCK_CYCLES) /kselftest/pvm/pvmm_test -t vsock_cycles_leak_nothing'

# Random vendor-hyp calls from a protected guest, answered at EL2, then
# random host calls from a hostile host kernel: make check makes 100000 of
# each; this makes PVM_HVC_FUZZ (about 105 s a million under QEMU, up to
# the test's 600 s limit) and PVM_HOST_FUZZ.
PVM_HVC_FUZZ ?= 1000000
PVM_HOST_FUZZ ?= 10000000
fuzz-el2: all
	@scripts/run-qemu --log fuzz-el2 --timeout 3600 -- sh -c \
		'insmod /pvmkit/pvm.ko && PVM_HVC_FUZZ=$(PVM_HVC_FUZZ) /kselftest/pvm/pvm_hvc_test -t fuzz && \
		PVM_HOST_FUZZ=$(PVM_HOST_FUZZ) /kselftest/pvm/pvm_hostile_test -t fuzz'

checkpatch: setup
	@scripts/checkpatch

clean:
	rm -rf $(BUILD)/kbuild $(BUILD)/module $(BUILD)/vmm-* $(BUILD)/kselftest* \
		$(BUILD)/initramfs* $(BUILD)/logs

distclean:
	rm -rf $(BUILD)
