#!/usr/bin/env bash
# SSH jump host (bastion) for the integration tests: a private OpenSSH sshd on
# 127.0.0.1 that lets the user 'ncjump' open TCP forwards (ssh -W, ProxyJump,
# direct-tcpip channels) to 127.0.0.1 only, e.g. to a netconfd.sh instance.
#
#   jump-host.sh start DIR PORT     start one instance, state in DIR
#   jump-host.sh stop DIR           stop that instance (idempotent)
#   jump-host.sh status DIR         exit 0 when its sshd is alive
#
# Needs 'scripts/netconfd.sh install' first (packages, user ncjump, password).
# See usage() below for details.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
LOG_TAG="jump-host.sh"
KEY_COMMENT_PREFIX="ncjump"
ZOMBIES_ALIVE=0 # stop: do not wait for PID 1 to reap the killed sshd (see lib-sshd.sh)
# shellcheck source=scripts/lib-sshd.sh
source "$SCRIPT_DIR/lib-sshd.sh" # SUDO, STATE_ROOT, die, log, sshd helpers

JUMP_USER="ncjump"
PASSWORD_FILE="$STATE_ROOT/password-ncjump" # written by netconfd.sh install
SSHD=/usr/sbin/sshd
START_TIMEOUT="${TEST_SERVER_START_TIMEOUT:-15}"
USE_PAM="${TEST_SERVER_USE_PAM:-yes}"

usage() {
  cat <<EOF
Usage: $(basename "$0") COMMAND [ARGS]

Runs an SSH jump host (bastion: a private OpenSSH sshd) on 127.0.0.1 for the
integration tests. Its only user, '$JUMP_USER', may log in with its password or
the client keys in DIR, may not run commands or get a terminal, and may open
TCP forwards (direct-tcpip: ssh -W, ProxyJump) to 127.0.0.1:any port only.

Commands:
  start DIR PORT    Start one instance with its state in DIR (created when
                    missing) listening on 127.0.0.1:PORT. Writes DIR/jump.json
                    and prints its path as the last line of stdout.
  stop DIR          Stop the instance in DIR and its per-connection processes
                    (no error when not running).
  status DIR        Exit 0 when the sshd of DIR is alive, else 1.
  -h, --help        Show this help.

Run 'scripts/netconfd.sh install' first: it installs the packages, creates
the user '$JUMP_USER' and its password file $PASSWORD_FILE.

Environment:
  TEST_SERVER_START_TIMEOUT  seconds to wait for sshd (default: 15)
  TEST_SERVER_USE_PAM        sshd UsePAM yes|no (default: yes)

Files in DIR: sshd_config, sshd.pid, sshd.log, ssh_host_{ed25519,ecdsa,rsa}_key[.pub],
client_{ed25519,rsa}[.pub], authorized_keys, jump.json.
Not root: uses sudo for running/killing sshd and chown of authorized_keys.
EOF
}

# ---------------------------------------------------------------- status ----

cmd_status() {
  [[ $# -eq 1 ]] || die "usage: $0 status DIR"
  local dir
  dir="$(resolve_dir "$1")" || exit 1
  live_pid "$dir/sshd.pid" sshd >/dev/null
}

# ------------------------------------------------------------------ stop ----

do_stop() { # absolute DIR
  local dir="$1" pids=() p listener
  if listener="$(live_pid "$dir/sshd.pid" sshd)"; then
    # Freeze the listener so that it forks no new connection while we collect
    # its per-connection children (sshd: ncjump [priv], sshd: ncjump, ...).
    "${SUDO[@]}" kill -STOP "$listener" 2>/dev/null || true
    pids+=("$listener")
    while read -r p; do [[ -n $p ]] && pids+=("$p"); done < <(descendants "$listener")
    "${SUDO[@]}" kill -TERM "${pids[@]}" 2>/dev/null || true
    "${SUDO[@]}" kill -CONT "$listener" 2>/dev/null || true
  fi
  kill_pids "${pids[@]}"
  "${SUDO[@]}" rm -f "$dir/sshd.pid" "$dir/jump.json"
}

cmd_stop() {
  [[ $# -eq 1 ]] || die "usage: $0 stop DIR"
  local dir
  dir="$(resolve_dir "$1")" || return 0 # no such dir: nothing running
  do_stop "$dir"
}

# ----------------------------------------------------------------- start ----

cmd_start() {
  [[ $# -eq 2 ]] || die "usage: $0 start DIR PORT"
  local port="$2" dir p
  [[ $port =~ ^[0-9]{1,5}$ ]] || die "invalid PORT '$port'"
  port=$((10#$port))
  ((port >= 1 && port <= 65535)) || die "invalid PORT '$port'"
  dir="$(resolve_dir "$1" create)" || die "cannot create DIR '$1'"
  check_dir_name "$dir"
  # sshd reads authorized_keys as the user ncjump: it needs search (x)
  # permission on DIR (e.g. after mktemp -d, which makes it 0700)
  chmod go+x "$dir" 2>/dev/null || true

  [[ -x $SSHD ]] || die "$SSHD not found: run 'scripts/netconfd.sh install' first"
  command -v ssh-keygen >/dev/null || die "ssh-keygen not found (openssh-client)"
  getent passwd "$JUMP_USER" >/dev/null ||
    die "user $JUMP_USER missing: run 'scripts/netconfd.sh install' first"
  local password
  password="$(read_password_file "$PASSWORD_FILE")"

  if live_pid "$dir/sshd.pid" sshd >/dev/null; then
    die "a jump host is already running in $dir (run '$0 stop $dir' first)"
  fi
  do_stop "$dir" # stale pid file, leftover per-connection processes
  port_open "$port" && die "127.0.0.1:$port is already in use"

  # --- keys (kept between starts of the same DIR), generated in parallel:
  # the two RSA keys take most of the start time
  local t jobs=()
  for t in ed25519 ecdsa rsa; do gen_key "$dir/ssh_host_${t}_key" "$t" & jobs+=($!); done
  for t in ed25519 rsa; do gen_key "$dir/client_${t}" "$t" & jobs+=($!); done
  for p in "${jobs[@]}"; do wait "$p" || die "ssh-keygen failed in $dir"; done
  install_authorized_keys "$dir" "$JUMP_USER" "$dir"/client_{ed25519,rsa}.pub

  # --- sshd
  # Forwarding: ssh -W / ProxyJump open a direct-tcpip channel, which needs
  # AllowTcpForwarding (yes or local) and is checked against PermitOpen; it
  # runs no command, so ForceCommand (which applies to session channels only)
  # does not get in its way and keeps 'ssh jump COMMAND' from running anything.
  # PermitOpen compares the host string the client sends: 127.0.0.1 only, not
  # 'localhost', not 127.0.0.2, nothing off the machine.
  {
    echo "# generated by scripts/jump-host.sh"
    sshd_base_config "$dir" "$port" "$JUMP_USER" 6 "$USE_PAM"
    cat <<EOF
AllowStreamLocalForwarding no
PermitTunnel no
GatewayPorts no
PermitTTY no
PermitUserRC no
ForceCommand /bin/false
AllowTcpForwarding yes
PermitOpen 127.0.0.1:*
EOF
  } >"$dir/sshd_config"
  prepare_privsep_dir
  "${SUDO[@]}" "$SSHD" -t -f "$dir/sshd_config" 2>"$dir/sshd.log" || {
    cat "$dir/sshd.log" >&2
    die "sshd rejected $dir/sshd_config"
  }
  "${SUDO[@]}" "$SSHD" -f "$dir/sshd_config" -E "$dir/sshd.log" </dev/null ||
    { do_stop "$dir"; tail -n 25 "$dir/sshd.log" >&2 || true; die "sshd failed to start"; }

  # --- wait until it accepts connections
  local deadline=$((SECONDS + START_TIMEOUT)) ok=0 why
  while ((SECONDS < deadline)); do
    why=""
    live_pid "$dir/sshd.pid" sshd >/dev/null || why="sshd is not running"
    [[ -z $why ]] && ! port_open "$port" && why="sshd does not accept connections on 127.0.0.1:$port"
    if [[ -z $why ]]; then ok=1; break; fi
    sleep 0.05
  done
  if ((!ok)); then
    echo "----- tail $dir/sshd.log -----" >&2
    tail -n 25 "$dir/sshd.log" >&2 || true
    do_stop "$dir"
    die "jump host in $dir failed to start (waited up to ${START_TIMEOUT}s): $why"
  fi

  # --- jump.json
  local pid
  pid="$(live_pid "$dir/sshd.pid" sshd)"
  cat >"$dir/jump.json.tmp" <<EOF
{
  "host": "127.0.0.1",
  "port": $port,
  "username": $(json_str "$JUMP_USER"),
  "password": $(json_str "$password"),
  "clientKeys": {
    "ed25519": $(json_str "$dir/client_ed25519"),
    "rsa": $(json_str "$dir/client_rsa")
  },
  "hostKeys": {
    "ed25519": $(json_str "$dir/ssh_host_ed25519_key.pub"),
    "ecdsa": $(json_str "$dir/ssh_host_ecdsa_key.pub"),
    "rsa": $(json_str "$dir/ssh_host_rsa_key.pub")
  },
  "pid": $pid,
  "stateDir": $(json_str "$dir")
}
EOF
  chmod 600 "$dir/jump.json.tmp"
  mv -f "$dir/jump.json.tmp" "$dir/jump.json"
  echo "$dir/jump.json"
}

# ------------------------------------------------------------------ main ----

main() {
  local cmd="${1:-}"
  (($#)) && shift
  case "$cmd" in
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    status) cmd_status "$@" ;;
    -h | --help | help) usage ;;
    "") usage >&2; exit 2 ;;
    *) echo "jump-host.sh: unknown command '$cmd'" >&2; usage >&2; exit 2 ;;
  esac
}

main "$@"
