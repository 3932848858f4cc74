#!/bin/bash
# local-cluster.sh — the engines of a sharded reconciliation on this one
# machine, to try SHARDS=N with HOSTS or ENGINE=slurm before a real cluster
# (vbr-pipelines(7), EXAMPLES), and for the tests that start the real
# engines (tests/cli/engines.sh). Everything lives in DIR: throwaway keys,
# configuration, pid files, logs, state.
#
#   local-cluster.sh ssh DIR     an sshd on 127.0.0.1, on two free ports;
#                                DIR/ssh.conf names them as hosts a and b
#   local-cluster.sh slurm DIR   munged, slurmctld and slurmd: a single-node
#                                Slurm cluster, DIR/slurm.conf (SLURM_CONF)
#   local-cluster.sh stop DIR    stop whatever DIR started
#
# Exit status: 0 started (or stopped); 69 a daemon is not installed or did
# not come up (its log's last lines on standard error); 64 usage.
set -uo pipefail
umask 077

die() { local st=$1; shift; printf 'local-cluster: %s\n' "$*" >&2; exit "$st"; }
[ $# -eq 2 ] || die 64 "usage: local-cluster.sh ssh|slurm|stop DIR"
what=$1
mkdir -p -- "$2" || die 64 "$2: cannot make the directory"
D=$(cd -- "$2" && pwd -P)
case $D in *[[:space:]]* | *[\"\'\\\$\`%]*) die 64 "$D: a directory for configuration files needs a plain path" ;; esac

# a TCP port on 127.0.0.1 that nothing listens on
free_port() {
	local p
	for p in $(shuf -i 20000-60000 -n 100); do
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
	done
	die 69 "no free port found"
}
# wait_for SECONDS COMMAND...: until the command succeeds, or fail
wait_for() {
	local n=$1
	shift
	until "$@" >/dev/null 2>&1; do
		n=$((n - 1))
		[ "$n" -gt 0 ] || return 1
		sleep 1
	done
}
need() { command -v "$1" >/dev/null || [ -x "/usr/sbin/$1" ] || die 69 "$1 is not installed ($2)"; }
sbin() { command -v "$1" || echo "/usr/sbin/$1"; }

start_ssh() {
	need sshd openssh-server
	local p1 p2
	p1=$(free_port) p2=$(free_port)
	rm -f -- "$D/hostkey" "$D/key.pem"
	ssh-keygen -q -t ed25519 -N '' -f "$D/hostkey" && ssh-keygen -q -t ed25519 -N '' -f "$D/key.pem" &&
		cp -- "$D/key.pem.pub" "$D/authorized_keys" || die 69 "cannot make the keys"
	# one sshd on two ports; at VERBOSE its log says which port each
	# session came to
	cat >"$D/sshd_config" <<EOF
ListenAddress 127.0.0.1:$p1
ListenAddress 127.0.0.1:$p2
HostKey $D/hostkey
AuthorizedKeysFile $D/authorized_keys
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin prohibit-password
PidFile $D/sshd.pid
LogLevel VERBOSE
EOF
	cat >"$D/ssh.conf" <<EOF
Host a b
  HostName 127.0.0.1
  IdentityFile $D/key.pem
  IdentitiesOnly yes
  StrictHostKeyChecking no
  UserKnownHostsFile /dev/null
  BatchMode yes
  LogLevel ERROR
Host a
  Port $p1
Host b
  Port $p2
EOF
	# as root, sshd needs its privilege separation directory
	[ "$(id -u)" -ne 0 ] || mkdir -p /run/sshd
	"$(sbin sshd)" -f "$D/sshd_config" -E "$D/sshd.log" || die 69 "sshd did not start: $(tail -n 3 "$D/sshd.log")"
	wait_for 10 ssh -F "$D/ssh.conf" a true && wait_for 10 ssh -F "$D/ssh.conf" b true ||
		die 69 "cannot log in to the sshd: $(tail -n 3 "$D/sshd.log")"
	echo "local-cluster: sshd on 127.0.0.1 ports $p1 and $p2 (hosts a and b of $D/ssh.conf)"
}

start_slurm() {
	local c
	for c in munged slurmctld slurmd sbatch sinfo; do need "$c" "munge, slurm-wlm"; done
	[ "$(id -u)" -eq 0 ] || die 69 "slurmd runs jobs as their user: start the cluster as root"
	mkdir -p -- "$D/munge" "$D/spool" "$D/state"
	[ -s "$D/munge.key" ] || { dd if=/dev/urandom of="$D/munge.key" bs=1024 count=1 2>/dev/null && chmod 600 "$D/munge.key"; }
	"$(sbin munged)" --force --key-file="$D/munge.key" --socket="$D/munge/sock" --pid-file="$D/munge/pid" \
		--log-file="$D/munge/log" --seed-file="$D/munge/seed" || die 69 "munged did not start: $(tail -n 3 "$D/munge/log")"
	local c1 c2
	c1=$(free_port) c2=$(free_port)
	cat >"$D/slurm.conf" <<EOF
ClusterName=vbrlocal
SlurmctldHost=localhost
SlurmctldPort=$c1
SlurmdPort=$c2
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$D/munge/sock
StateSaveLocation=$D/state
SlurmdSpoolDir=$D/spool
SlurmctldPidFile=$D/slurmctld.pid
SlurmdPidFile=$D/slurmd.pid
SlurmctldLogFile=$D/slurmctld.log
SlurmdLogFile=$D/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
MpiDefault=none
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=localhost CPUs=$(nproc) State=UNKNOWN
PartitionName=vbr Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
	chmod 644 "$D/slurm.conf"
	export SLURM_CONF=$D/slurm.conf
	"$(sbin slurmctld)" -f "$SLURM_CONF" || die 69 "slurmctld did not start: $(tail -n 3 "$D/slurmctld.log")"
	"$(sbin slurmd)" -f "$SLURM_CONF" -N localhost || die 69 "slurmd did not start: $(tail -n 3 "$D/slurmd.log")"
	idle() { [ "$(sinfo -h -o %T)" = idle ]; }
	wait_for 30 idle || die 69 "the node did not come up: $(tail -n 3 "$D/slurmctld.log")"
	echo "local-cluster: Slurm cluster of one node, SLURM_CONF=$D/slurm.conf"
}

stop() {
	local f
	if [ -f "$D/slurm.conf" ]; then
		SLURM_CONF=$D/slurm.conf scontrol shutdown >/dev/null 2>&1
	fi
	for f in "$D/sshd.pid" "$D/slurmctld.pid" "$D/slurmd.pid" "$D/munge/pid"; do
		[ ! -f "$f" ] || kill "$(cat -- "$f")" 2>/dev/null
	done
	rm -f -- "$D/sshd.pid" "$D/slurmctld.pid" "$D/slurmd.pid" "$D/munge/pid"
	:
}

case $what in
ssh) start_ssh ;;
slurm) start_slurm ;;
stop) stop ;;
*) die 64 "usage: local-cluster.sh ssh|slurm|stop DIR" ;;
esac
