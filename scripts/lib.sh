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

# make bench's peer VMM: Debian 12's own arm64 QEMU (7.2 from bookworm, not
# the host's backports QEMU) and every library it loads (readelf -d NEEDED,
# recursively), unpacked into $PEER_SYSROOT, never installed.
PEER_SYSROOT=$BUILD/sysroot-qemu
PEER_DEBS="qemu-system-arm:arm64=1:7.2+dfsg-7+deb12u18+b3
libc6:arm64=2.36-9+deb12u14 libfdt1:arm64=1.6.1-4+b1 libaio1:arm64=0.3.113-4
libblkid1:arm64=2.38.1-5+deb12u3 libbpf1:arm64=1:1.1.2-0+deb12u1
libcapstone4:arm64=4.0.2-5 libdaxctl1:arm64=76.1-1 libelf1:arm64=0.188-2.1
libffi8:arm64=3.4.4-1 libfuse3-3:arm64=3.14.0-4
libgcc-s1:arm64=12.2.0-14+deb12u1 libglib2.0-0:arm64=2.74.6-2+deb12u9
libgmp10:arm64=2:6.2.1+dfsg1-1.1 libgnutls30:arm64=3.7.9-2+deb12u7
libhogweed6:arm64=3.8.1-2 libibverbs1:arm64=44.0-2 libidn2-0:arm64=2.3.3-1+b1
libjpeg62-turbo:arm64=1:2.1.5-2 libkmod2:arm64=30+20221128-1
liblzma5:arm64=5.4.1-1+deb12u2 libmount1:arm64=2.38.1-5+deb12u3
libndctl6:arm64=76.1-1 libnettle8:arm64=3.8.1-2 libnl-3-200:arm64=3.7.0-0.2+b1
libnl-route-3-200:arm64=3.7.0-0.2+b1 libnuma1:arm64=2.0.16-1
libp11-kit0:arm64=0.24.1-2 libpcre2-8-0:arm64=10.42-1+deb12u2
libpixman-1-0:arm64=0.42.2-1 libpmem1:arm64=1.12.1-2
libpng16-16:arm64=1.6.39-2+deb12u6 librdmacm1:arm64=44.0-2
libsasl2-2:arm64=2.1.28+dfsg-10+deb12u1 libseccomp2:arm64=2.5.4-1+deb12u1
libselinux1:arm64=3.4-1+b6 libslirp0:arm64=4.7.0-1
libssl3:arm64=3.0.22-1~deb12u2 libtasn1-6:arm64=4.19.0-2+deb12u1
libudev1:arm64=252.39-1~deb12u2 libunistring2:arm64=1.0-2
liburing2:arm64=2.3-3 libuuid1:arm64=2.38.1-5+deb12u3
libvdeplug2:arm64=4.0.1-4 libzstd1:arm64=1.5.4+dfsg2-5+deb12u1
zlib1g:arm64=1:1.2.13.dfsg-1+deb12u1"

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

FRAGMENT=$PVMKIT_ROOT/scripts/pvmkit.config

# KCC: the cross compiler, through ccache when there is one.
use_ccache()
{
	KCC="${CROSS_COMPILE}gcc"
	command -v ccache >/dev/null || return 0
	export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
	# Paths below the checkout hash relative, so clones share the cache.
	export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PVMKIT_ROOT}
	KCC="ccache $KCC"
}

# $1: kernel source, $2: object directory, rest: make arguments.
kmake_in()
{
	local src=$1 obj=$2

	shift 2
	make -C "$src" O="$obj" ARCH=arm64 CROSS_COMPILE="$CROSS_COMPILE" \
		CC="$KCC" -j"$JOBS" "$@"
}

# $1: kernel source, $2: object directory. allnoconfig plus the fragment.
kernel_configure()
{
	mkdir -p "$2"
	kmake_in "$1" "$2" -s allnoconfig >/dev/null
	(cd "$2" && "$1"/scripts/kconfig/merge_config.sh -m -O "$2" \
		"$2/.config" "$FRAGMENT" >/dev/null)
	kmake_in "$1" "$2" -s olddefconfig >/dev/null
}
