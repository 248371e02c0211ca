#!/usr/bin/env bash
# Real NETCONF test server for the integration tests:
# Debian's netconfd (yuma123 2.13) behind a private OpenSSH sshd on 127.0.0.1.
#
#   netconfd.sh install            install packages + test users (idempotent)
#   netconfd.sh start DIR PORT     start one instance, state in DIR
#   netconfd.sh stop DIR           stop that instance (idempotent)
#   netconfd.sh status DIR         exit 0 when sshd and netconfd are alive
#
# See usage() below for details. The SSH jump host (bastion) of the tests is
# scripts/jump-host.sh; its user is created here by 'install'.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
LOG_TAG="netconfd.sh"
KEY_COMMENT_PREFIX="nctest"
# shellcheck source=scripts/lib-sshd.sh
source "$SCRIPT_DIR/lib-sshd.sh" # SUDO, STATE_ROOT, die, log, sshd helpers

# The passwords are machine-wide, in STATE_ROOT (see lib-sshd.sh).
PASSWORD_FILE="$STATE_ROOT/password"
TEST_USER="nctest"
# The jump-host user of scripts/jump-host.sh (SSH bastion in front of netconfd).
JUMP_USER="ncjump"
JUMP_PASSWORD_FILE="$STATE_ROOT/password-ncjump"

PACKAGES=(netconfd openssh-server openssh-client socat stunnel4 openssl libyang2-tools redis-server)
NETCONFD=/usr/sbin/netconfd
SUBSYSTEM=/usr/sbin/netconf-subsystem
SSHD=/usr/sbin/sshd
# YANG modules loaded into netconfd. toaster has a SIL library; the ietf ones
# load from YANG alone (no SIL) and simply store their configuration.
# NEVER install the netconfd-module-ietf-interfaces package (netconfd aborts).
read -r -a MODULES <<<"${TEST_SERVER_MODULES:-toaster iana-if-type ietf-interfaces ietf-ip}"
START_TIMEOUT="${TEST_SERVER_START_TIMEOUT:-15}"
USE_PAM="${TEST_SERVER_USE_PAM:-yes}"
WITH_NMDA="${TEST_SERVER_NMDA:-0}"

usage() {
  cat <<EOF
Usage: $(basename "$0") COMMAND [ARGS]

Runs a real NETCONF server (netconfd from yuma123 behind a private OpenSSH sshd)
on 127.0.0.1 for the integration tests.

Commands:
  install           Install the Debian packages when missing (apt-get,
                    --no-install-recommends): ${PACKAGES[*]}
                    (stunnel4 and openssl serve the NETCONF-over-TLS peer of
                    scripts/stunnel-netconf.sh and scripts/test-pki.sh; the
                    package scripts start no system service: policy-rc.d);
                    create the users '$TEST_USER' (NETCONF user, shell /bin/bash)
                    and '$JUMP_USER' (jump-host user of scripts/jump-host.sh,
                    shell /usr/sbin/nologin) when missing and (re)set their
                    passwords from these files (each generated once):
                      $PASSWORD_FILE
                      $JUMP_PASSWORD_FILE
                    Idempotent.
  start DIR PORT    Start one instance with its state in DIR (created when
                    missing) listening on 127.0.0.1:PORT. Writes DIR/server.json
                    and prints its path as the last line of stdout.
  stop DIR          Stop the instance in DIR (no error when not running).
  status DIR        Exit 0 when both sshd and netconfd of DIR are alive, else 1.
  -h, --help        Show this help.

Environment:
  TEST_SERVER_MODULES        YANG modules for netconfd (default: ${MODULES[*]})
  TEST_SERVER_START_TIMEOUT  seconds to wait for the server (default: 15)
  TEST_SERVER_USE_PAM        sshd UsePAM yes|no (default: yes)
  TEST_SERVER_NMDA           1: start netconfd with --with-nmda=true (get-data,
                             ietf-datastores, ietf-origin); default: 0

Files in DIR: sshd_config, sshd.pid, sshd.log, netconfd.pid, netconfd.log,
netconfd.out, startup-cfg.xml (kept between starts; delete it to reset the
configuration), ncxserver.sock, ssh_host_{ed25519,ecdsa,rsa}_key[.pub],
client_{ed25519,ecdsa,rsa}[.pub], client_ed25519_enc[.pub] (passphrase =
the user's password), authorized_keys, server.json.
Not root: uses sudo for apt-get, user management, and for running/killing
sshd and netconfd.
EOF
}

# ---------------------------------------------------------------- install ---

pkg_installed() {
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]
}

cmd_install() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do pkg_installed "$p" || missing+=("$p"); done
  if ((${#missing[@]})); then
    log "installing ${missing[*]} ..."
    # Keep the package scripts from starting a system-wide sshd on port 22
    # (standard Debian policy-rc.d mechanism), unless a policy already exists.
    local policy=/usr/sbin/policy-rc.d added_policy=0
    if [[ ! -e $policy ]]; then
      printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$policy" >/dev/null
      "${SUDO[@]}" chmod 755 "$policy"
      added_policy=1
    fi
    local rc=0
    {
      "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 &&
      "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        --no-install-recommends "${missing[@]}" >&2
    } || rc=$?
    if ((added_policy)); then "${SUDO[@]}" rm -f "$policy"; fi
    ((rc == 0)) || die "apt-get install ${missing[*]} failed (exit $rc)"
  fi
  for p in "$NETCONFD" "$SUBSYSTEM" "$SSHD"; do
    [[ -x $p ]] || die "$p missing after install"
  done

  for p in ssh ssh-keygen ssh-agent ssh-add socat stunnel4 openssl yanglint redis-server; do
    command -v "$p" >/dev/null || die "$p missing after install"
  done

  mkdir -p "$STATE_ROOT"
  ensure_user "$TEST_USER" /bin/bash "$PASSWORD_FILE"
  # a bastion account: no shell (sshd's ssh -W / direct-tcpip needs none)
  ensure_user "$JUMP_USER" /usr/sbin/nologin "$JUMP_PASSWORD_FILE"
}

ensure_user() { # USER SHELL PASSWORD_FILE: create/repair the user, set its password
  local user="$1" want_shell="$2" pwfile="$3"
  if ! getent passwd "$user" >/dev/null; then
    log "creating user $user"
    "${SUDO[@]}" useradd --create-home --shell "$want_shell" "$user"
  else
    local shell home
    shell="$(getent passwd "$user" | cut -d: -f7)"
    home="$(getent passwd "$user" | cut -d: -f6)"
    [[ $shell == "$want_shell" ]] || "${SUDO[@]}" usermod --shell "$want_shell" "$user"
    if [[ ! -d $home ]]; then
      "${SUDO[@]}" mkdir -p "$home"
      "${SUDO[@]}" chown "$user:" "$home"
    fi
  fi

  if [[ ! -s $pwfile ]]; then
    local pw
    pw="$(head -c 48 /dev/urandom | base64 -w0)"
    pw="${pw//[^A-Za-z0-9]/}"
    pw="${pw:0:24}"
    [[ ${#pw} -ge 16 ]] || die "could not generate a password"
    (umask 077; printf '%s\n' "$pw" >"$pwfile")
  fi
  chmod 600 "$pwfile"
  printf '%s:%s\n' "$user" "$(read_password_file "$pwfile")" | "${SUDO[@]}" chpasswd
}

read_password() {
  [[ -s $PASSWORD_FILE ]] || die "$PASSWORD_FILE missing: run '$0 install' first"
  head -n1 "$PASSWORD_FILE" | tr -d '\r\n'
}

# ------------------------------------------------------------- helpers ------

check_dir_chars() {
  check_dir_name "$1"
  local sock="$1/ncxserver.sock"
  ((${#sock} < 100)) || die "DIR path too long for a unix socket: $sock"
}

subsystem_pids() { # DIR -> netconf-subsystem pids using DIR's socket
  ps -e -o pid=,args= 2>/dev/null |
    grep -F -- "@$1/ncxserver.sock" | grep -F "$SUBSYSTEM" |
    awk -v self=$$ '$1 != self { print $1 }' || true
}

tail_logs() {
  local f
  for f in "$1/netconfd.out" "$1/netconfd.log" "$1/sshd.log"; do
    [[ -s $f ]] || continue
    echo "----- tail $f -----" >&2
    tail -n 25 "$f" >&2 || true
  done
}

# ---------------------------------------------------------------- status ----

cmd_status() {
  [[ $# -eq 1 ]] || die "usage: $0 status DIR"
  local dir
  dir="$(resolve_dir "$1")" || exit 1
  live_pid "$dir/sshd.pid" sshd >/dev/null && live_pid "$dir/netconfd.pid" netconfd >/dev/null
}

# ------------------------------------------------------------------ stop ----

do_stop() { # absolute DIR
  local dir="$1" pids=() p
  if p="$(live_pid "$dir/sshd.pid" sshd)"; then
    # the listener plus its per-connection children (sshd: nctest [priv] ...)
    pids+=("$p")
    while read -r p; do [[ -n $p ]] && pids+=("$p"); done < <(descendants "$p")
  fi
  if p="$(live_pid "$dir/netconfd.pid" netconfd)"; then
    # netconfd 2.13 unlinks the hard-coded default /tmp/ncxserver.sock on a
    # graceful (SIGTERM) shutdown, whatever --ncxserver-sockname says. When
    # that file exists it belongs to another server: SIGKILL ours instead.
    if [[ -e /tmp/ncxserver.sock ]]; then
      "${SUDO[@]}" kill -KILL "$p" 2>/dev/null || true
    fi
    pids+=("$p")
  fi
  # sshd and netconfd each need ~1.5-3 s to exit on SIGTERM: signal together
  kill_pids "${pids[@]}"
  pids=()
  while read -r p; do [[ -n $p ]] && pids+=("$p"); done < <(subsystem_pids "$dir")
  kill_pids "${pids[@]}"
  "${SUDO[@]}" rm -f "$dir/ncxserver.sock" "$dir/sshd.pid" "$dir/netconfd.pid" "$dir/server.json"
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
  local port="$2" dir
  [[ $port =~ ^[0-9]{1,5}$ ]] || die "invalid PORT '$port'"
  port=$((10#$port))
  ((port >= 1 && port <= 65535)) || die "invalid PORT '$port'"
  dir="$(resolve_dir "$1" create)" || die "cannot create DIR '$1'"
  check_dir_chars "$dir"
  # sshd reads authorized_keys and netconf-subsystem opens the socket as the
  # test user: it needs search (x) permission on DIR (e.g. after mktemp -d)
  chmod go+x "$dir" 2>/dev/null || true

  for p in "$NETCONFD" "$SUBSYSTEM" "$SSHD"; do
    [[ -x $p ]] || die "$p not found: run '$0 install' first"
  done
  getent passwd "$TEST_USER" >/dev/null || die "user $TEST_USER missing: run '$0 install' first"
  command -v ssh-keygen >/dev/null || die "ssh-keygen not found (openssh-client)"
  local password
  password="$(read_password)"

  if live_pid "$dir/sshd.pid" sshd >/dev/null && live_pid "$dir/netconfd.pid" netconfd >/dev/null; then
    die "an instance is already running in $dir (run '$0 stop $dir' first)"
  fi
  do_stop "$dir" # clean up a half-dead previous instance, stale socket, pid files
  rm -f "$dir/server.json"
  port_open "$port" && die "127.0.0.1:$port is already in use"

  # --- keys
  local t
  for t in ed25519 ecdsa rsa; do
    gen_key "$dir/ssh_host_${t}_key" "$t"
    gen_key "$dir/client_${t}" "$t"
  done
  # its passphrase must be the current password (regenerate if it changed)
  if [[ -s $dir/client_ed25519_enc ]] &&
    ! ssh-keygen -y -P "$password" -f "$dir/client_ed25519_enc" >/dev/null 2>&1; then
    rm -f "$dir/client_ed25519_enc" "$dir/client_ed25519_enc.pub"
  fi
  gen_key "$dir/client_ed25519_enc" ed25519 "$password"
  install_authorized_keys "$dir" "$TEST_USER" "$dir"/client_{ed25519,ecdsa,rsa,ed25519_enc}.pub

  # --- sshd
  {
    echo "# generated by scripts/netconfd.sh"
    sshd_base_config "$dir" "$port" "$TEST_USER" 10 "$USE_PAM"
    cat <<EOF
AllowTcpForwarding no
Subsystem netconf "$SUBSYSTEM --ncxserver-sockname=$port@$dir/ncxserver.sock"
EOF
  } >"$dir/sshd_config"
  prepare_privsep_dir
  "${SUDO[@]}" "$SSHD" -t -f "$dir/sshd_config" 2>"$dir/sshd.log" || {
    cat "$dir/sshd.log" >&2
    die "sshd rejected $dir/sshd_config"
  }

  # --- netconfd (HOME, startup config, logs all inside DIR)
  local startup="$dir/startup-cfg.xml"
  if [[ ! -s $startup ]]; then
    printf '<?xml version="1.0" encoding="UTF-8"?>\n<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"/>\n' >"$startup"
  fi
  # netconfd writes startup-cfg-txid.txt to $YUMA_HOME/data (else ~/.yuma of
  # the real user, whatever HOME says): --yuma-home=DIR keeps it in DIR/data.
  mkdir -p "$dir/data"
  local args=(
    --config=/dev/null # ignore /etc/yuma/netconfd.conf
    --superuser="$TEST_USER"
    --port="$port"
    --ncxserver-sockname="$dir/ncxserver.sock"
    --max-burst=0
    --target=candidate
    --with-startup=true
    --with-validate=true
    --startup="$startup"
    --home="$dir"
    --yuma-home="$dir"
    --log="$dir/netconfd.log"
    --log-level=info
  )
  local m
  for m in "${MODULES[@]}"; do args+=(--module="$m"); done
  if [[ $WITH_NMDA == 1 ]]; then args+=(--with-nmda=true); fi

  rm -f "$dir/netconfd.out"
  "${SUDO[@]}" rm -f "$dir/ncxserver.sock" "$dir/netconfd.pid"
  # The inner shell records the pid: setsid/nohup exec in place (the background
  # job is not a process group leader), so $! is netconfd itself.
  "${SUDO[@]}" env HOME="$dir" sh -c '
    dir=$1; shift
    cd "$dir" || exit 1
    setsid nohup "$@" </dev/null >"$dir/netconfd.out" 2>&1 &
    echo $! >"$dir/netconfd.pid"
  ' sh "$dir" "$NETCONFD" "${args[@]}"

  "${SUDO[@]}" "$SSHD" -f "$dir/sshd_config" -E "$dir/sshd.log" </dev/null ||
    { do_stop "$dir"; tail_logs "$dir"; die "sshd failed to start"; }

  # --- wait until both are up
  local deadline=$((SECONDS + START_TIMEOUT)) ok=0 why
  while ((SECONDS < deadline)); do
    why=""
    live_pid "$dir/netconfd.pid" netconfd >/dev/null || why="netconfd is not running"
    [[ -z $why && ! -S $dir/ncxserver.sock ]] && why="netconfd socket $dir/ncxserver.sock not created"
    [[ -z $why ]] && ! live_pid "$dir/sshd.pid" sshd >/dev/null && why="sshd is not running"
    [[ -z $why ]] && ! port_open "$port" && why="sshd does not accept connections on 127.0.0.1:$port"
    if [[ -z $why ]]; then ok=1; break; fi
    # netconfd exited early: no point waiting
    if [[ $why == "netconfd is not running" && -s $dir/netconfd.pid ]] &&
      [[ ! -d /proc/$(tr -dc '0-9' <"$dir/netconfd.pid") ]]; then
      why="netconfd exited during startup (see $dir/netconfd.log)"
      break
    fi
    sleep 0.1
  done
  if ((!ok)); then
    tail_logs "$dir"
    do_stop "$dir"
    die "server in $dir failed to start (waited up to ${START_TIMEOUT}s): $why"
  fi
  if ! "${SUDO[@]}" runuser -u "$TEST_USER" -- test -w "$dir/ncxserver.sock" 2>/dev/null; then
    do_stop "$dir"
    die "user $TEST_USER cannot reach $dir/ncxserver.sock (check the permissions of $dir and its parents)"
  fi

  # --- server.json
  local sshd_pid netconfd_pid mods="" sep=""
  sshd_pid="$(live_pid "$dir/sshd.pid" sshd)"
  netconfd_pid="$(live_pid "$dir/netconfd.pid" netconfd)"
  for m in "${MODULES[@]}"; do mods+="$sep$(json_str "$m")"; sep=","; done
  cat >"$dir/server.json.tmp" <<EOF
{
  "host": "127.0.0.1",
  "port": $port,
  "username": $(json_str "$TEST_USER"),
  "password": $(json_str "$password"),
  "clientKeys": {
    "ed25519": $(json_str "$dir/client_ed25519"),
    "ecdsa": $(json_str "$dir/client_ecdsa"),
    "rsa": $(json_str "$dir/client_rsa"),
    "ed25519Encrypted": $(json_str "$dir/client_ed25519_enc")
  },
  "hostKeys": {
    "ed25519": $(json_str "$dir/ssh_host_ed25519_key.pub"),
    "ecdsa": $(json_str "$dir/ssh_host_ecdsa_key.pub"),
    "rsa": $(json_str "$dir/ssh_host_rsa_key.pub")
  },
  "pids": { "sshd": $sshd_pid, "netconfd": $netconfd_pid },
  "modules": [$mods],
  "stateDir": $(json_str "$dir")
}
EOF
  chmod 600 "$dir/server.json.tmp"
  mv -f "$dir/server.json.tmp" "$dir/server.json"
  echo "$dir/server.json"
}

# ------------------------------------------------------------------ main ----

main() {
  local cmd="${1:-}"
  (($#)) && shift
  case "$cmd" in
    install) (($# == 0)) || die "usage: $0 install"; cmd_install ;;
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    status) cmd_status "$@" ;;
    -h | --help | help) usage ;;
    "") usage >&2; exit 2 ;;
    *) echo "netconfd.sh: unknown command '$cmd'" >&2; usage >&2; exit 2 ;;
  esac
}

main "$@"
