# SPDX-License-Identifier: GPL-2.0
# Common settings for pvmkit's build and QEMU scripts. Source it, don't run it.

PVMKIT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$PVMKIT_ROOT/build}
CACHE=${PVMKIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pvmkit}
KSRC=$BUILD/linux
KOBJ=$BUILD/kbuild
KHDR=$BUILD/headers
SYSROOT=$BUILD/sysroot
LOGS=$BUILD/logs
ARCH=arm64
CROSS_COMPILE=aarch64-linux-gnu-
export ARCH CROSS_COMPILE

# The pinned kernel source: Debian's linux-source-6.12 package.
KERNEL_DEB_VERSION=6.12.117-1~deb12u1
# QEMU from Debian's bookworm-backports: 7.2 in bookworm's main has no
# SMMUv3 stage 2, which the hypervisor's SMMU driver uses.
QEMU_DEB_VERSION=1:10.0.2+ds-2+deb13u1~bpo12+1
KERNEL_DEB_SHA256=e849faf31ca3555757f3a8877cb01af92122f744f75d1f3102734651c4e14703
KERNEL_TAR_SHA256=585a4a074597aefa2b1a68ada83a3184ba351c127544dea80618bbcceaa3961f

# arm64 userspace pieces, unpacked into $SYSROOT, never installed on the host.
ARM64_DEBS="busybox-static:arm64=1:1.35.0-4+deb12u1+b1
libfdt-dev:arm64=1.6.1-4+b1
libfdt1:arm64=1.6.1-4+b1"

JOBS=${JOBS:-$(nproc)}

die()
{
	echo "pvmkit: $*" >&2
	exit 1
}

info()
{
	echo "pvmkit: $*" >&2
}

# Hash of the given files' names and contents, for build stamps.
content_hash()
{
	local f

	for f in "$@"; do
		printf '%s\n' "$f"
		cat "$f"
	done | sha256sum | cut -d' ' -f1
}

series_files()
{
	local p

	echo "$PVMKIT_ROOT/patches/series"
	grep -v -e '^#' -e '^[[:space:]]*$' "$PVMKIT_ROOT/patches/series" |
	while read -r p; do
		echo "$PVMKIT_ROOT/patches/$p"
	done
}

# The fixed device secret the tests' "boot chain" hands EL2 (run-qemu's
# default): SHA-256 of a label, so that make check can recompute the CDIs
# EL2 derives from it (dice-compare). Prints the file's path.
test_device_secret()
{
	local path=$BUILD/device-secret.bin hex

	hex=$(printf 'pvmkit test device secret' | sha256sum | cut -c1-64)
	mkdir -p "$BUILD"
	# Written aside and renamed: a QEMU starting now reads all of it.
	printf "$(echo "$hex" | sed 's/../\\x&/g')" > "$path.$$"
	mv "$path.$$" "$path"
	echo "$path"
}
