#!/usr/bin/env bash
# The benchmark peer: bench/peer/netconf-bench-peer.c as the `netconf` subsystem of a private
# OpenSSH sshd on 127.0.0.1, logging in as the test user of scripts/netconfd.sh.
#
#   bench/peer.sh build    compile the peer (gcc -O2) into bench/.build/ when it is out of date
#   bench/peer.sh start    build, then start sshd on 127.0.0.1:$BENCH_PEER_PORT (default 18830);
#                          prints the path of bench/.state/peer.json
#   bench/peer.sh stop     stop that sshd, its connections and their peers (idempotent)
#   bench/peer.sh status   exit 0 when the sshd is running
#
# Needs the test user: `bash scripts/netconfd.sh install` (bench/run.mjs runs it). State lives
# in bench/.state/ (host key, client key, authorized_keys, sshd_config, sshd.log, peer.conf,
# peer.json); the peer re-reads bench/.state/peer.conf before every RPC, so the runner changes the
# reply size and chunk size by rewriting that file.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
BUILD_DIR="$BENCH_DIR/.build"
STATE_DIR="$BENCH_DIR/.state"
PEER_SRC="$BENCH_DIR/peer/netconf-bench-peer.c"
PEER_BIN="$BUILD_DIR/netconf-bench-peer"
PORT="${BENCH_PEER_PORT:-18830}"
TEST_USER=nctest
SSHD=/usr/sbin/sshd
# The test user's password file (scripts/netconfd.sh): checked for, never read here.
PASSWORD_FILE="${NETCONF_TEST_STATE_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}/netconfkit-test}/password"

if [[ $(id -u) -eq 0 ]]; then SUDO=(); else SUDO=(sudo); fi

die() { echo "peer.sh: error: $*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

live_sshd() { # pid of our sshd listener, when alive
  local pid
  [[ -r $STATE_DIR/sshd.pid ]] || return 1
  pid="$(tr -dc '0-9' <"$STATE_DIR/sshd.pid")"
  [[ -n $pid && "$(cat "/proc/$pid/comm" 2>/dev/null)" == sshd ]] || return 1
  echo "$pid"
}

descendants() { # pid -> every descendant pid (per-connection sshd processes, the peers)
  ps -e -o pid=,ppid= | awk -v root="$1" '
    { parent[$1] = $2; pids[NR] = $1 }
    END {
      found[root] = 1; changed = 1
      while (changed) {
        changed = 0
        for (i in pids) { p = pids[i]
          if (!(p in found) && (parent[p] in found)) { found[p] = 1; changed = 1 } }
      }
      for (p in found) if (p != root) print p
    }'
}

cmd_build() {
  mkdir -p "$BUILD_DIR"
  if [[ ! -x $PEER_BIN || $PEER_SRC -nt $PEER_BIN ]]; then
    command -v gcc >/dev/null || die "gcc not found (apt-get install gcc libc6-dev)"
    gcc -O2 -Wall -Wextra -o "$PEER_BIN.tmp" "$PEER_SRC"
    mv -f "$PEER_BIN.tmp" "$PEER_BIN"
  fi
}

cmd_stop() {
  local pid pids=() p i
  if pid="$(live_sshd)"; then
    # The listener first, so that no connection starts while its descendants are listed.
    "${SUDO[@]}" kill -STOP "$pid" 2>/dev/null || true
    pids=("$pid")
    while read -r p; do [[ -n $p ]] && pids+=("$p"); done < <(descendants "$pid")
    "${SUDO[@]}" kill -TERM "${pids[@]}" 2>/dev/null || true
    "${SUDO[@]}" kill -CONT "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
      local alive=0
      for p in "${pids[@]}"; do [[ -d /proc/$p ]] && alive=1 && break; done
      ((alive)) || break
      sleep 0.1
    done
    "${SUDO[@]}" kill -KILL "${pids[@]}" 2>/dev/null || true
  fi
  # A connection that was mid-login while the tree was listed can leave a peer behind (reparented
  # to init): ours are the processes running exactly "$PEER_BIN $STATE_DIR/peer.conf".
  pids=()
  for p in /proc/[0-9]*; do
    [[ "$({ tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null)" == "$PEER_BIN $STATE_DIR/peer.conf " ]] && pids+=("${p#/proc/}")
  done
  if ((${#pids[@]})); then "${SUDO[@]}" kill -KILL "${pids[@]}" 2>/dev/null || true; fi
  rm -f "$STATE_DIR/sshd.pid" "$STATE_DIR/peer.json"
}

cmd_start() {
  [[ -x $SSHD ]] || die "$SSHD missing (apt-get install openssh-server)"
  getent passwd "$TEST_USER" >/dev/null || die "user $TEST_USER missing: run 'bash scripts/netconfd.sh install'"
  [[ -s $PASSWORD_FILE ]] || die "$PASSWORD_FILE missing: run 'bash scripts/netconfd.sh install'"
  [[ $PORT =~ ^[0-9]+$ ]] || die "invalid BENCH_PEER_PORT '$PORT'"
  [[ $BENCH_DIR =~ ^[A-Za-z0-9_./@+:=,-]+$ ]] || die "path $BENCH_DIR has characters sshd_config cannot carry"
  cmd_build
  if live_sshd >/dev/null; then cmd_stop; fi
  port_open "$PORT" && die "127.0.0.1:$PORT is already in use (set BENCH_PEER_PORT)"

  mkdir -p "$STATE_DIR"
  # sshd reads authorized_keys and runs the peer as the test user: it needs to get there.
  chmod 755 "$STATE_DIR" "$BUILD_DIR"
  local key
  for key in ssh_host_ed25519_key client_ed25519; do
    [[ -s $STATE_DIR/$key ]] || ssh-keygen -q -t ed25519 -N '' -C "netconf-bench-$key" -f "$STATE_DIR/$key" </dev/null >/dev/null
  done
  (umask 077; cat "$STATE_DIR/client_ed25519.pub" >"$STATE_DIR/authorized_keys.tmp")
  "${SUDO[@]}" chown "$TEST_USER" "$STATE_DIR/authorized_keys.tmp"
  mv -f "$STATE_DIR/authorized_keys.tmp" "$STATE_DIR/authorized_keys"
  [[ -s $STATE_DIR/peer.conf ]] || printf 'reply_bytes=4096\nchunk_bytes=16384\nframing=auto\n' >"$STATE_DIR/peer.conf"
  chmod 644 "$STATE_DIR/peer.conf"

  # UsePAM no: one fork less per login; password logins still work (shadow). MaxStartups lets
  # thousands of sessions handshake at once; LoginGraceTime covers a slow many-sessions ramp.
  cat >"$STATE_DIR/sshd_config" <<EOF
# generated by bench/peer.sh
Port $PORT
ListenAddress 127.0.0.1
HostKey $STATE_DIR/ssh_host_ed25519_key
PidFile $STATE_DIR/sshd.pid
AuthorizedKeysFile $STATE_DIR/authorized_keys
StrictModes no
PubkeyAuthentication yes
PasswordAuthentication yes
PermitEmptyPasswords no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin no
AllowUsers $TEST_USER
MaxStartups 2000:30:2000
MaxSessions 100
MaxAuthTries 10
LoginGraceTime 180
UseDNS no
PrintMotd no
PrintLastLog no
X11Forwarding no
AllowAgentForwarding no
AllowTcpForwarding no
LogLevel INFO
Subsystem netconf $PEER_BIN $STATE_DIR/peer.conf
EOF
  "${SUDO[@]}" mkdir -p /run/sshd
  "${SUDO[@]}" "$SSHD" -t -f "$STATE_DIR/sshd_config" || die "sshd rejected $STATE_DIR/sshd_config"
  "${SUDO[@]}" runuser -u "$TEST_USER" -- test -x "$PEER_BIN" ||
    die "user $TEST_USER cannot run $PEER_BIN (check the permissions of its parent directories)"
  # -r: no re-exec of sshd for each connection (cheaper connections for the many-sessions run).
  "${SUDO[@]}" "$SSHD" -r -f "$STATE_DIR/sshd_config" -E "$STATE_DIR/sshd.log" </dev/null || die "sshd failed to start (see $STATE_DIR/sshd.log)"

  local i
  for ((i = 0; i < 100; i++)); do
    live_sshd >/dev/null && port_open "$PORT" && break
    sleep 0.1
  done
  live_sshd >/dev/null && port_open "$PORT" || { tail -n 20 "$STATE_DIR/sshd.log" >&2; cmd_stop; die "sshd did not come up on 127.0.0.1:$PORT"; }

  cat >"$STATE_DIR/peer.json" <<EOF
{
  "host": "127.0.0.1",
  "port": $PORT,
  "username": "$TEST_USER",
  "keyFile": "$STATE_DIR/client_ed25519",
  "passwordFile": "$PASSWORD_FILE",
  "confFile": "$STATE_DIR/peer.conf",
  "peerBinary": "$PEER_BIN",
  "sshdPid": $(live_sshd)
}
EOF
  echo "$STATE_DIR/peer.json"
}

case "${1:-}" in
  build) cmd_build ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) live_sshd >/dev/null ;;
  *) echo "usage: $0 build|start|stop|status" >&2; exit 2 ;;
esac
