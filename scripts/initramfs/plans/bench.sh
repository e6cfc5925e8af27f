#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side of "make bench", in the pKVM host. Prints "BENCH ..." lines of
# key=value pairs, which scripts/bench-report turns into the report:
#  - BOOTS boots of the same guest as a normal and as a protected VM,
#    alternating, each held at init, where KVM's exit counts are read;
#  - pvm_mem_bench and pvm_exit_bench: first touch, teardown, exits;
#  - Debian's QEMU as a peer VMM: PEER_ROUNDS boots each against pvmm,
#    reading a virtio-blk disk;
#  - how pvmm scales with vCPUs and with VMs at once;
#  - vsock: REPS transfers of BYTES each way to three guests at once, a
#    normal VM with the user-space device, one with vhost-vsock, and a
#    protected VM with the user-space device, sampling pvmm's memory;
#    each guest's vCPU thread pinned to CPU 0.
# Everything it runs is make all's: pvmm, the Image, the guest initramfs,
# vsock_bench.
#
#   sh bench.sh BOOTS REPS BYTES MEM_MIB [PEER_ROUNDS [SCALE_ROUNDS]]

BOOTS=${1:-5}
REPS=${2:-3}
BYTES=${3:-33554432}
MEM=${4:-256}
PEER_ROUNDS=${5:-5}
SCALE_ROUNDS=${6:-3}
PVMM=/usr/bin/pvmm
VB=/kselftest/pvm/vsock_bench
GUEST=/pvmkit/guest.cpio.gz
IMAGE=/pvmkit/Image
PORT=1234
CMDLINE="console=hvc0 panic=-1"
QEMU=/usr/bin/qemu-system-aarch64
DISK=/tmp/bench-disk.img

say()
{
	echo "BENCH $*"
}

fail()
{
	echo "BENCH error $*"
	exit 1
}

# $1: stamped log, $2: pattern; the milliseconds of its first line.
stamp_of()
{
	sed -n "s/^\[ *\([0-9.]*\)\] .*$2.*/\1/p" "$1" | head -n 1
}

# $1: log, $2: pattern, $3: seconds
wait_for()
{
	n=$(($3 * 10))
	while [ $n -gt 0 ]; do
		grep -qs "$2" "$1" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

status_kb()
{
	sed -n "s/^$2:[^0-9]*\([0-9]*\) kB/\1/p" "/proc/$1/status"
}

# $1: pid; the guest RAM that pvmm (the memfd mapping) or QEMU (the
# anonymous mapping of --mem) maps, resident, in KiB.
guest_ram_kb()
{
	awk -v kb=$((MEM * 1024)) '/^[0-9a-f]+-/ { name = $6 }
		/^Size:/ { size = $2 }
		/^Rss:/ && (name ~ /pvmm-ram/ || (name == "" && size == kb)) {
			print $2; exit }' "/proc/$1/smaps"
}

# $1: pid; its resident memory, and the guest RAM it maps.
rss_of()
{
	echo vmrss_kb=$(status_kb "$1" VmRSS) vmhwm_kb=$(status_kb "$1" VmHWM) \
		rssanon_kb=$(status_kb "$1" RssAnon) \
		rssfile_kb=$(status_kb "$1" RssFile) \
		rssshmem_kb=$(status_kb "$1" RssShmem) guest_kb=$(guest_ram_kb "$1")
}

# $1: pid; KVM's counters for its VM: MMIO exits to the VMM and handled in
# the kernel (ioeventfd), and all exits.
kvm_exits()
{
	for d in /sys/kernel/debug/kvm/$1-*; do
		[ -d "$d" ] || continue
		echo mmio_user=$(cat $d/mmio_exit_user) \
			mmio_kernel=$(cat $d/mmio_exit_kernel) \
			hvc=$(cat $d/hvc_exit_stat) wfi=$(cat $d/wfi_exit_stat) \
			wfe=$(cat $d/wfe_exit_stat) signal=$(cat $d/signal_exits) \
			exits=$(cat $d/exits)
		return
	done
}

# $1: name, rest: a VMM's command. Starts it under the stamp wrapper in the
# background, its output in /tmp/bench-$1.log and its console input the
# FIFO /tmp/bench-$1.in, which a sleeper holds open until vm_stop.
vm_start()
{
	name=$1
	shift
	# A name used before (scale's c1, c2, c4 each round) must not be
	# found up, or ended, in its last log before the new VMM truncates it.
	rm -f /tmp/bench-$name.in /tmp/bench-$name.log
	mkfifo /tmp/bench-$name.in
	$VB stamp -- "$@" < /tmp/bench-$name.in > /tmp/bench-$name.log 2>&1 &
	echo $! > /tmp/bench-$name.spid
	sleep 100000 > /tmp/bench-$name.in &
	echo $! > /tmp/bench-$name.hold
}

# $1: name, $2: guest command line options, rest: pvmm run options. The
# guest waits at init on its console (pvmkit.console=echo) until vm_stop.
pvmm_start()
{
	name=$1
	extra=$2
	shift 2
	vm_start $name $PVMM run --verbose --kernel $IMAGE --initrd $GUEST \
		--mem $MEM --cmdline "$CMDLINE pvmkit.console=echo $extra" "$@"
}

# $1: name, $2: what its log says once the guest is up; a status of 1 if
# it does not come up (or the VMM ends) within 600 s.
vm_up()
{
	wait_for /tmp/bench-$1.log "$2\\|stamp: exit" 600 &&
		grep -q "$2" /tmp/bench-$1.log && return 0
	tail -n 20 /tmp/bench-$1.log
	return 1
}

# $1: name; vm_up for pvmm's guests, which must come up.
vm_ready()
{
	vm_up $1 "console echo ready" || fail "$1: the guest did not come up"
}

# $1: name; the VMM's pid, as the stamp wrapper logged it.
vm_pid()
{
	sed -n 's/.*stamp: pid \([0-9]*\).*/\1/p' /tmp/bench-$1.log
}

# $1: name, $2: pattern; when the first log line that matches it came, in
# milliseconds from the VMM's start.
vm_ms()
{
	stamp_of /tmp/bench-$1.log "$2"
}

# $1: name; the guest kernel's own clock (printk's, in seconds) at init.
guest_clock_at_init()
{
	sed -n 's/^\[ *[0-9.]*\] \[ *\([0-9.]*\)\] Run \/init as init process.*/\1/p' \
		/tmp/bench-$1.log | head -n 1
}

# $1: name. Tells the guest to power off and waits for its VMM. The FIFO
# is opened read-write, which never blocks, in case the VMM is gone.
vm_end()
{
	echo quit 1<> /tmp/bench-$1.in
	wait $(cat /tmp/bench-$1.spid)
	kill $(cat /tmp/bench-$1.hold) 2>/dev/null
}

# $1: name; vm_end, and the VMM must have succeeded.
vm_stop()
{
	vm_end $1
	grep -q "stamp: exit 0" /tmp/bench-$1.log || fail "$1: its VMM failed"
}

# Normal against protected VM boot: the same guest, alternating, and which
# goes first too. A pVM's image is measured at EL2 and every other page it
# gets is zeroed there. Each guest holds at init, where KVM's exit counts
# and the pages donated to it are read. The normal VM's boots are also
# the "boot" lines: pvmm's setup and the guest kernel's share.
boots()
{
	i=1
	while [ $i -le $BOOTS ]; do
		kinds="pvm nvm"
		[ $((i % 2)) -eq 1 ] || kinds="nvm pvm"
		for kind in $kinds; do
			prot=""
			[ $kind = nvm ] || prot=--protected
			pvmm_start $kind$i "" $prot
			vm_ready $kind$i
			times="start_to_init_ms=$(vm_ms $kind$i "pvmkit-guest: init reached") \
				guest_kernel_to_init_s=$(guest_clock_at_init $kind$i) \
				pvmm_setup_ms=$(vm_ms $kind$i "pvmm: VM ready")"
			say pboot kind=$kind run=$i $times \
				donated=$(cat /sys/kernel/pvm/pages_donated) \
				$(kvm_exits $(vm_pid $kind$i))
			[ $kind = pvm ] || say boot run=$i $times
			vm_stop $kind$i
		done
		i=$((i + 1))
	done
}

# The peer VMM: Debian 12's QEMU with KVM (run-qemu --initrd adds it) and
# pvmm boot the same guest with the same Image, memory, 1 vCPU and a 64
# MiB read-only virtio-blk disk, alternating. The guest reads the disk once
# (pvmkit.blk=readbench), then waits on its console while its VMM's memory
# is sampled. $1: pvmm or qemu, $2: round. Fails (status 1) only for QEMU.
peer_vm()
{
	name=peer-$1$2
	if [ $1 = pvmm ]; then
		pvmm_start $name pvmkit.blk=readbench:bench --disk $DISK,ro,id=bench
	else
		vm_start $name $QEMU -M virt,gic-version=3 -accel kvm -cpu host \
			-smp 1 -m $MEM -nodefaults -display none -no-reboot \
			-chardev stdio,id=con -device virtio-serial-device \
			-device virtconsole,chardev=con \
			-drive file=$DISK,if=none,format=raw,id=d,readonly=on \
			-device virtio-blk-device,drive=d,serial=bench \
			-kernel $IMAGE -initrd $GUEST -append \
			"$CMDLINE pvmkit.console=echo pvmkit.blk=readbench:bench"
	fi
	if ! vm_up $name "console echo ready"; then
		kill $(vm_pid $name) 2>/dev/null
		vm_end $name
		[ $1 = qemu ] || fail "$name: the guest did not come up"
		say peer_error vmm=$1 round=$2 "$(grep -v '^\[ *[0-9.]*\] \[' \
			/tmp/bench-$name.log | tail -n 3 | tr -d '\r' | tr '\n' ' ')"
		return 1
	fi
	rss=$(rss_of $(vm_pid $name))
	case "$rss" in *guest_kb=) fail "$name: no guest RAM mapping in smaps" ;; esac
	vm_stop $name
	say peer vmm=$1 round=$2 \
		start_to_init_ms=$(vm_ms $name "pvmkit-guest: init reached") \
		guest_kernel_to_init_s=$(guest_clock_at_init $name) \
		$(sed -n 's/.*pvmkit-guest: readbench bench //p' \
			/tmp/bench-$name.log | tr -d '\r') $rss
}

peers()
{
	if [ ! -x $QEMU ]; then
		say peer_error vmm=qemu no $QEMU in the host "(scripts/setup found no peer QEMU)"
		return
	fi
	say peer_qemu version=$($QEMU --version | sed -n 's/.*version \([^ ]*\).*/\1/p') \
		rounds=$PEER_ROUNDS
	dd if=/dev/urandom of=$DISK bs=1M count=64 2>/dev/null
	r=1
	while [ $r -le $PEER_ROUNDS ]; do
		if [ $((r % 2)) -eq 1 ]; then
			peer_vm pvmm $r && peer_vm qemu $r || break
		else
			peer_vm qemu $r && peer_vm pvmm $r || break
		fi
		r=$((r + 1))
	done
	rm -f $DISK
}

# $1: set (cpus or vms), $2: vCPUs, $3: round, $4: name
say_scale()
{
	pid=$(vm_pid $4)
	say scale set=$1 vm=$4 cpus=$2 round=$3 \
		start_to_init_ms=$(vm_ms $4 "pvmkit-guest: init reached") \
		vmrss_kb=$(status_kb $pid VmRSS) guest_kb=$(guest_ram_kb $pid)
}

# $@: a command, run for each of SCALE_VMS VMs with the VM's name last.
SCALE_VMS=4
each_vm()
{
	v=1
	while [ $v -le $SCALE_VMS ]; do
		"$@" vm$v
		v=$((v + 1))
	done
}

# $1: name; one of the VMs started at once.
scale_start()
{
	pvmm_start $1 ""
}

# One VM with 1, 2 and 4 vCPUs (SCALE_ROUNDS boots each, the order
# rotating), then SCALE_VMS VMs started at once, one vCPU each.
scale()
{
	r=1
	while [ $r -le $SCALE_ROUNDS ]; do
		for cpus in $(echo "1 2 4 1 2 4" | cut -d' ' -f$(((r - 1) % 3 + 1))-$(((r - 1) % 3 + 3))); do
			pvmm_start c$cpus "" --cpus $cpus
			vm_ready c$cpus
			say_scale cpus $cpus $r c$cpus
			vm_stop c$cpus
		done
		r=$((r + 1))
	done
	each_vm scale_start
	each_vm vm_ready
	each_vm say_scale vms 1 1
	each_vm vm_stop
}

# vsock: three guests serve vsock_bench. $1: name; its target.
vsock_target()
{
	case $1 in
	vhost) echo vsock:4 ;;
	*) echo uds:/tmp/bench-$1.vsock ;;
	esac
}

# $1: name. Its vCPU thread on CPU 0, as a host pins a VM's vCPUs; its
# device's thread (pvmm's I/O thread or the vhost worker) and the host
# client go where the scheduler puts them. Left to the scheduler too, a
# vCPU thread could share a CPU with its device's thread for a whole run,
# which moved whole runs' ratios by 25 % (bench.rst, runs Z5 and Z10-Z12).
vsock_pin()
{
	pid=$(vm_pid $1)
	vcpus=0
	for t in /proc/$pid/task/*; do
		case "$(cat $t/comm)" in
		pvmm-vcpu*)
			taskset -p 1 ${t##*/} > /dev/null || fail "backend=$1: taskset"
			vcpus=$((vcpus + 1)) ;;
		esac
	done
	[ $vcpus -eq 1 ] || fail "backend=$1: $vcpus threads named pvmm-vcpu*"
}

# $1: name; starts that guest and says how it booted.
vsock_start()
{
	opts="--vsock-cid 3 --vsock-uds /tmp/bench-$1.vsock"
	[ $1 != vhost ] || opts="--vsock-cid 4 --vsock-backend vhost"
	[ $1 != pvm ] || opts="$opts --protected"
	rm -f /tmp/bench-$1.vsock
	pvmm_start $1 pvmkit.vsock=bench:$PORT $opts
	vm_up $1 "listening on port $PORT" || fail "backend=$1: the guest did not come up"
	vsock_pin $1
	say boot run=$1 start_to_init_ms=$(vm_ms $1 "pvmkit-guest: init reached")
}

# $1: send or recv, $2: rep, $3: name
transfer()
{
	out=$($VB $1 $(vsock_target $3) $PORT $BYTES) || fail "backend=$3 dir=$1 rep=$2"
	say tput backend=$3 dir=$1 rep=$2 \
		$(echo "$out" | sed 's/^vsock_bench: [a-z]* //')
}

# $1: pid; the blocks allocated to pvmm's guest memfd, in KiB.
memfd_kb()
{
	for f in /proc/$1/fd/*; do
		case "$(readlink "$f")" in
		*pvmm-ram*)
			echo $(($(stat -L -c '%b * %B' "$f") / 1024))
			return ;;
		esac
	done
}

# $1: when, $2: name
sample_rss()
{
	pid=$(vm_pid $2)
	say rss backend=$2 when=$1 mem_mib=$MEM $(rss_of $pid) \
		memfd_kb=$(memfd_kb $pid) $(kvm_exits $pid)
}

# $1: name
vsock_quit()
{
	$VB quit $(vsock_target $1) $PORT || fail "backend=$1 quit"
	vm_stop $1
}

# $@: a command, run for each vsock guest with its name last, in an order
# that rotates with $REP, so that drift in the emulator's speed hits all
# three alike.
each_vsock()
{
	case $((${REP:-0} % 3)) in
	0) order="user vhost pvm" ;;
	1) order="vhost pvm user" ;;
	*) order="pvm user vhost" ;;
	esac
	for name in $order; do
		"$@" $name
	done
}

vsock()
{
	[ -e /dev/vhost-vsock ] || fail "no /dev/vhost-vsock"
	each_vsock vsock_start
	each_vsock sample_rss idle
	REP=1
	while [ $REP -le $REPS ]; do
		each_vsock transfer send $REP
		each_vsock transfer recv $REP
		REP=$((REP + 1))
	done
	each_vsock sample_rss loaded
	each_vsock vsock_quit
}

say host kernel="$(uname -r)" \
	el2="$(dmesg | sed -n 's/.*Protected \([hn]VHE\) mode initialized.*/\1/p' | head -n 1)" \
	cpus=$(grep -c ^processor /proc/cpuinfo) \
	boot_to_init_s=$(dmesg | sed -n 's/^\[ *\([0-9.]*\)\] Run \/init as init process.*/\1/p' | head -n 1) \
	initrd_kb=$(dmesg | sed -n 's/.*Freeing initrd memory: \([0-9]*\)K.*/\1/p' | head -n 1)
say guest mem_mib=$MEM cpus=1 initrd_kb=$(($(stat -c %s $GUEST) / 1024)) \
	boots=$BOOTS reps=$REPS bytes=$BYTES
insmod /pvmkit/pvm.ko 2>/dev/null
grep -q '^pvm ' /proc/modules || fail "pvm.ko did not load"
boots
/kselftest/pvm/pvm_mem_bench 256 7 || fail "pvm_mem_bench failed"
/kselftest/pvm/pvm_exit_bench 20000 2000 5 || fail "pvm_exit_bench failed"
peers
scale
vsock
say done
