#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side of "make bench", in the pKVM host: boot the nested guest under
# pvmm BOOTS times, then two guests at once, one per vsock backend (user,
# vhost), with REPS transfers of BYTES each way to each, sampling pvmm's
# memory; against Debian's QEMU as a peer VMM, PEER_ROUNDS boots each
# reading a virtio-blk disk; and how pvmm scales with vCPUs and VMs. Prints "BENCH ..." lines of key=value
# pairs; scripts/bench-report turns them into the report. Everything it
# runs is make all's: pvmm, the Image, the guest initramfs, vsock_bench.
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
CID=3
UDS=/tmp/bench.vsock
CMDLINE="console=hvc0 panic=-1"

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

# $1: stamped log; the guest kernel's own clock when it started init.
guest_init_of()
{
	sed -n 's/^\[ *[0-9.]*\] \[ *\([0-9.]*\)\] Run \/init as init process.*/\1/p' \
		"$1" | head -n 1
}

# $1: log, $2: pattern, $3: seconds
wait_for()
{
	n=$(($3 * 10))
	while [ $n -gt 0 ]; do
		grep -q "$2" "$1" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

status_kb()
{
	sed -n "s/^$2:[^0-9]*\([0-9]*\) kB/\1/p" "/proc/$1/status"
}

# The guest's RAM as pvmm sees it: the memfd mapping's resident size in
# smaps, and the blocks allocated to the memfd (a cross-check).
guest_ram_kb()
{
	awk '/pvmm-ram/ { m = 1; next } m && /^Rss:/ { print $2; exit }' \
		"/proc/$1/smaps"
}

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

# $1: backend, $2: when, $3: pvmm's pid
sample_rss()
{
	say rss backend=$1 when=$2 mem_mib=$MEM \
		vmrss_kb=$(status_kb "$3" VmRSS) vmhwm_kb=$(status_kb "$3" VmHWM) \
		rssanon_kb=$(status_kb "$3" RssAnon) \
		rssfile_kb=$(status_kb "$3" RssFile) \
		rssshmem_kb=$(status_kb "$3" RssShmem) \
		guest_kb=$(guest_ram_kb "$3") memfd_kb=$(memfd_kb "$3") \
		$(kvm_exits "$3")
}

# KVM's counters for pvmm's VM: MMIO exits to pvmm and handled in the
# kernel (ioeventfd), and all exits.
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

# $1: run name, $2: stamped log
report_boot()
{
	say boot run=$1 start_to_init_ms=$(stamp_of "$2" "pvmkit-guest: init reached") \
		guest_kernel_to_init_s=$(guest_init_of "$2") \
		pvmm_setup_ms=$(stamp_of "$2" "pvmm: VM ready")
}

# $1: backend name. pvmm's pid, as the stamp wrapper logged it.
pvmm_pid()
{
	sed -n 's/.*stamp: pid \([0-9]*\).*/\1/p' /tmp/bench-$1.log
}

# $1: backend name, $2: CID, rest: pvmm's vsock options. Boots a guest
# that serves vsock_bench on $PORT; the stamp wrapper's pid goes to
# /tmp/bench-$1.spid, for stop_vm.
start_vm()
{
	name=$1
	cid=$2
	shift 2
	log=/tmp/bench-$name.log
	$VB stamp -- $PVMM run --verbose --kernel $IMAGE --initrd $GUEST \
		--mem $MEM --cmdline "$CMDLINE pvmkit.vsock=bench:$PORT" \
		--vsock-cid $cid "$@" > $log 2>&1 &
	echo $! > /tmp/bench-$name.spid
	if ! wait_for $log "listening on port $PORT" 180; then
		tail -n 20 $log
		fail "backend=$name guest did not come up"
	fi
	report_boot $name $log
}

# $1: backend name, $2: target, $3: send or recv, $4: rep
transfer()
{
	out=$($VB $3 $2 $PORT $BYTES) || fail "backend=$1 dir=$3 rep=$4"
	say tput backend=$1 dir=$3 rep=$4 \
		$(echo "$out" | sed 's/^vsock_bench: [a-z]* //')
}

# $1: backend name, $2: target
stop_vm()
{
	$VB quit $2 $PORT || fail "backend=$1 quit"
	wait $(cat /tmp/bench-$1.spid)
	say exit backend=$1 rc=$?
}

say host kernel="$(uname -r)" \
	el2="$(dmesg | sed -n 's/.*Protected \([hn]VHE\) mode initialized.*/\1/p' | head -n 1)" \
	cpus=$(grep -c ^processor /proc/cpuinfo) \
	boot_to_init_s=$(dmesg | sed -n 's/^\[ *\([0-9.]*\)\] Run \/init as init process.*/\1/p' | head -n 1) \
	initrd_kb=$(dmesg | sed -n 's/.*Freeing initrd memory: \([0-9]*\)K.*/\1/p' | head -n 1)
say guest mem_mib=$MEM cpus=1 initrd_kb=$(($(stat -c %s $GUEST) / 1024)) \
	boots=$BOOTS reps=$REPS bytes=$BYTES

i=1
while [ $i -le $BOOTS ]; do
	log=/tmp/bench-boot$i.log
	$VB stamp -- $PVMM run --verbose --kernel $IMAGE --initrd $GUEST \
		--mem $MEM --cmdline "$CMDLINE" > $log 2>&1
	if ! grep -q "pvmkit-guest: init reached" $log ||
	    ! grep -q "stamp: exit 0" $log; then
		tail -n 20 $log
		fail "boot $i: pvmm failed"
	fi
	report_boot $i $log
	i=$((i + 1))
done

# The peer VMM: Debian 12's QEMU with KVM (run-qemu --initrd adds it) and
# pvmm boot the same guest with the same Image, memory, 1 vCPU and a 64
# MiB read-only virtio-blk disk, alternating. The guest reads the disk once
# (pvmkit.blk=readbench), then waits on its console (pvmkit.console=echo)
# while its VMM's memory is sampled, and powers off when told.
QEMU=/usr/bin/qemu-system-aarch64
DISK=/tmp/bench-disk.img
PEER_ARGS="$CMDLINE pvmkit.blk=readbench:bench pvmkit.console=echo"

# $1: QEMU's pid; the Rss of its guest RAM, the anonymous mapping of --mem.
qemu_ram_kb()
{
	awk -v kb=$((MEM * 1024)) '/^[0-9a-f]+-/ { name = $6 }
		/^Size:/ { size = $2 }
		/^Rss:/ && name == "" && size == kb { print $2; exit }' \
		"/proc/$1/smaps"
}

# $1: pvmm or qemu, $2: round. Fails (status 1) only for QEMU.
peer_vm()
{
	log=/tmp/bench-peer-$1$2.log
	in=/tmp/bench-peer.in
	rm -f $in
	mkfifo $in
	if [ $1 = pvmm ]; then
		$VB stamp -- $PVMM run --kernel $IMAGE --initrd $GUEST \
			--mem $MEM --disk $DISK,ro,id=bench \
			--cmdline "$PEER_ARGS" < $in > $log 2>&1 &
	else
		$VB stamp -- $QEMU -M virt,gic-version=3 -accel kvm -cpu host \
			-smp 1 -m $MEM -nodefaults -display none -no-reboot \
			-chardev stdio,id=con -device virtio-serial-device \
			-device virtconsole,chardev=con \
			-drive file=$DISK,if=none,format=raw,id=d,readonly=on \
			-device virtio-blk-device,drive=d,serial=bench \
			-kernel $IMAGE -initrd $GUEST \
			-append "$PEER_ARGS" < $in > $log 2>&1 &
	fi
	spid=$!
	exec 3> $in
	wait_for $log "console echo ready\\|stamp: exit" 300
	pid=$(sed -n 's/.*stamp: pid \([0-9]*\).*/\1/p' $log)
	if ! grep -q "console echo ready" $log; then
		kill $pid 2>/dev/null
		exec 3>&-
		wait $spid
		tail -n 20 $log
		[ $1 = qemu ] || fail "peer pvmm round $2: the guest did not come up"
		say peer_error vmm=$1 round=$2 "$(grep -v '^\[ *[0-9.]*\] \[' $log |
			tail -n 3 | tr -d '\r' | tr '\n' ' ')"
		return 1
	fi
	if [ $1 = pvmm ]; then
		ram=$(guest_ram_kb $pid)
	else
		ram=$(qemu_ram_kb $pid)
	fi
	[ -n "$ram" ] || fail "peer $1 round $2: no guest RAM mapping in smaps"
	rss="vmrss_kb=$(status_kb $pid VmRSS) guest_kb=$ram \
		rssanon_kb=$(status_kb $pid RssAnon) rssfile_kb=$(status_kb $pid RssFile) \
		rssshmem_kb=$(status_kb $pid RssShmem)"
	echo quit >&3
	exec 3>&-
	wait $spid
	grep -q "stamp: exit 0" $log || fail "peer $1 round $2: $1 failed"
	say peer vmm=$1 round=$2 \
		start_to_init_ms=$(stamp_of $log "pvmkit-guest: init reached") \
		$(sed -n 's/.*pvmkit-guest: readbench bench //p' $log | tr -d '\r') \
		$rss
}

if [ ! -x $QEMU ]; then
	say peer_error vmm=qemu no $QEMU in the host "(scripts/setup found no peer QEMU)"
else
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
fi

# Scale: one VM with 1, 2 and 4 vCPUs (SCALE_ROUNDS boots each, the
# order rotating), then SCALE_VMS VMs started at once, one vCPU each. Each
# guest waits at init on its console (pvmkit.console=echo), so that its
# pvmm's memory is sampled with the guest up, and powers off when told.
SCALE_VMS=4

# $1: name, rest: pvmm run options. Starts pvmm in the background, its
# console input the FIFO /tmp/bench-$1.in, which a sleeper holds open.
held_start()
{
	name=$1
	shift
	rm -f /tmp/bench-$name.in
	mkfifo /tmp/bench-$name.in
	$VB stamp -- $PVMM run --kernel $IMAGE --initrd $GUEST --mem $MEM \
		--cmdline "$CMDLINE pvmkit.console=echo" "$@" \
		< /tmp/bench-$name.in > /tmp/bench-$name.log 2>&1 &
	echo $! > /tmp/bench-$name.spid
	sleep 100000 > /tmp/bench-$name.in &
	echo $! > /tmp/bench-$name.hold
}

# $1: name. Fails unless its guest comes up.
held_ready()
{
	wait_for /tmp/bench-$1.log "console echo ready" 600 && return 0
	tail -n 20 /tmp/bench-$1.log
	fail "$1: the guest did not come up"
}

# $1: name. Tells the guest to power off and waits for pvmm.
held_stop()
{
	echo quit > /tmp/bench-$1.in
	wait $(cat /tmp/bench-$1.spid)
	kill $(cat /tmp/bench-$1.hold) 2>/dev/null
	grep -q "stamp: exit 0" /tmp/bench-$1.log || fail "$1: pvmm failed"
}

# $1: set (cpus or vms), $2: name, $3: vCPUs, $4: round
say_scale()
{
	pid=$(pvmm_pid $2)
	say scale set=$1 vm=$2 cpus=$3 round=$4 \
		start_to_init_ms=$(stamp_of /tmp/bench-$2.log "pvmkit-guest: init reached") \
		vmrss_kb=$(status_kb $pid VmRSS) guest_kb=$(guest_ram_kb $pid)
}

r=1
while [ $r -le $SCALE_ROUNDS ]; do
	for cpus in $(echo "1 2 4 1 2 4" | cut -d' ' -f$(((r - 1) % 3 + 1))-$(((r - 1) % 3 + 3))); do
		held_start c$cpus --cpus $cpus
		held_ready c$cpus
		say_scale cpus c$cpus $cpus $r
		held_stop c$cpus
	done
	r=$((r + 1))
done
# $@: a command, run for each of the SCALE_VMS VMs with its name last.
each_vm()
{
	v=1
	while [ $v -le $SCALE_VMS ]; do
		"$@" vm$v
		v=$((v + 1))
	done
}

# $1: name; say_scale's line for one of the VMs started at once.
say_vms()
{
	say_scale vms $1 1 1
}

each_vm held_start
each_vm held_ready
each_vm say_vms
each_vm held_stop

# Protected VM memory (issue 4): first touch and teardown, pVM vs nVM.
insmod /pvmkit/pvm.ko 2>/dev/null
grep -q '^pvm ' /proc/modules || fail "pvm.ko did not load"
/kselftest/pvm/pvm_mem_bench 256 7 || fail "pvm_mem_bench failed"
# Protected against normal VM boot: the same guest, alternating, and which
# goes first too. A pVM's image is measured at EL2 and every other page it
# gets is zeroed there. Each guest holds at init, where KVM's exit counts
# and the pages donated to it are read.
i=1
while [ $i -le $BOOTS ]; do
	for kind in $(if [ $((i % 2)) -eq 1 ]; then echo pvm nvm; else echo nvm pvm; fi); do
		prot=""
		[ $kind = nvm ] || prot=--protected
		held_start $kind$i $prot
		held_ready $kind$i
		say pboot kind=$kind run=$i \
			start_to_init_ms=$(stamp_of /tmp/bench-$kind$i.log "pvmkit-guest: init reached") \
			donated=$(cat /sys/kernel/pvm/pages_donated) \
			$(kvm_exits $(pvmm_pid $kind$i))
		held_stop $kind$i
	done
	i=$((i + 1))
done
# Protected vCPU exits (issue 5): a call answered at EL2, an MMIO write.
/kselftest/pvm/pvm_exit_bench 20000 2000 5 || fail "pvm_exit_bench failed"

# Both backends at once, one guest each, transfers alternating between
# them (and which goes first), so that drift in the emulator's speed
# hits both alike.
[ -e /dev/vhost-vsock ] || fail "no /dev/vhost-vsock"
rm -f $UDS
start_vm user $CID --vsock-uds $UDS
start_vm vhost $((CID + 1)) --vsock-backend vhost
sample_rss user idle $(pvmm_pid user)
sample_rss vhost idle $(pvmm_pid vhost)
r=1
while [ $r -le $REPS ]; do
	for dir in send recv; do
		if [ $((r % 2)) -eq 1 ]; then
			transfer user uds:$UDS $dir $r
			transfer vhost vsock:$((CID + 1)) $dir $r
		else
			transfer vhost vsock:$((CID + 1)) $dir $r
			transfer user uds:$UDS $dir $r
		fi
	done
	r=$((r + 1))
done
sample_rss user loaded $(pvmm_pid user)
sample_rss vhost loaded $(pvmm_pid vhost)
stop_vm user uds:$UDS
stop_vm vhost vsock:$((CID + 1))
say done
