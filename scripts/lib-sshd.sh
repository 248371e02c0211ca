# shellcheck shell=bash
# Helpers shared by scripts/netconfd.sh and scripts/jump-host.sh, which both run
# private OpenSSH sshd instances on 127.0.0.1 for the integration tests.
# Sourced, not executed. The sourcing script sets LOG_TAG (prefix of its
# messages) and KEY_COMMENT_PREFIX (comment of the keys it generates) first.

: "${LOG_TAG:=$(basename "$0")}"
: "${KEY_COMMENT_PREFIX:=nctest}"

if [[ $(id -u) -eq 0 ]]; then SUDO=(); else SUDO=(sudo); fi

die() { echo "$LOG_TAG: error: $*" >&2; exit 1; }
log() { echo "$LOG_TAG: $*" >&2; }

# The test users' passwords are machine-wide (one user, one password), so they live with the user
# running the tests, not in a checkout: two checkouts on one machine must not reset each other's.
STATE_ROOT="${NETCONF_TEST_STATE_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}/netconfkit-test}"

read_password_file() { # FILE -> first line, without CR/LF
  [[ -s $1 ]] || die "$1 missing: run 'scripts/netconfd.sh install' first"
  head -n1 "$1" | tr -d '\r\n'
}

resolve_dir() { # DIR [create] -> absolute path on stdout
  local d="$1"
  [[ -n $d ]] || die "DIR must not be empty"
  if [[ ${2:-} == create ]]; then mkdir -p -- "$d"; fi
  [[ -d $d ]] || return 1
  (cd -- "$d" && pwd -P)
}

check_dir_name() { # DIR: only characters usable unquoted in sshd_config
  [[ $1 =~ ^[A-Za-z0-9_./@+:=,-]+$ ]] ||
    die "DIR '$1' contains characters not usable in sshd_config (use letters, digits, _ . / - + @ : = ,)"
}

# pid from file when that process is alive and has the expected name
live_pid() { # pidfile comm
  local pid
  [[ -r $1 ]] || return 1
  pid="$(tr -dc '0-9' <"$1")"
  [[ -n $pid && -r /proc/$pid/comm ]] || return 1
  [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == "$2" ]] || return 1
  echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

descendants() { # pid -> all descendant pids
  local all
  all="$(ps -e -o pid=,ppid= 2>/dev/null)" || return 0
  awk -v root="$1" '
    { parent[$1] = $2; pids[NR] = $1 }
    END {
      found[root] = 1; changed = 1
      while (changed) {
        changed = 0
        for (i in pids) { p = pids[i]
          if (!(p in found) && (parent[p] in found)) { found[p] = 1; changed = 1 } }
      }
      for (p in found) if (p != root) print p
    }' <<<"$all"
}

# Whether a zombie counts as alive in alive_any/kill_pids. Default 1 (netconfd.sh).
# A killed daemon (parent: PID 1) stays a zombie until PID 1 reaps it, which
# takes ~1.5 s on the test machines (their PID 1 is not a prompt reaper); a
# zombie holds no port, file or socket any more, so ZOMBIES_ALIVE=0 (used by
# jump-host.sh) does not wait for that.
: "${ZOMBIES_ALIVE:=1}"

alive_any() {
  local p state
  for p in "$@"; do
    [[ -d /proc/$p ]] || continue
    ((ZOMBIES_ALIVE)) && return 0
    state="$(awk '{ sub(/.*\) /, ""); print $1 }' "/proc/$p/stat" 2>/dev/null)" || continue
    [[ -n $state && $state != Z ]] && return 0
  done
  return 1
}

kill_pids() { # pids... : TERM, wait ~3s, KILL
  (($#)) || return 0
  "${SUDO[@]}" kill -TERM "$@" 2>/dev/null || true
  local i
  for ((i = 0; i < 30; i++)); do
    alive_any "$@" || return 0
    sleep 0.1
  done
  "${SUDO[@]}" kill -KILL "$@" 2>/dev/null || true
  for ((i = 0; i < 20; i++)); do
    alive_any "$@" || return 0
    sleep 0.1
  done
}

json_str() { # minimal JSON string escaping (inputs are already restricted)
  local s="${1//\\/\\\\}"
  s="${s//\"/\\\"}"
  printf '"%s"' "$s"
}

gen_key() { # file type [passphrase]: kept when it already exists
  [[ -s $1 && -s $1.pub ]] && return 0
  rm -f "$1" "$1.pub"
  local bits=()
  [[ $2 == rsa ]] && bits=(-b 3072)
  ssh-keygen -q -t "$2" "${bits[@]}" -N "${3:-}" -C "$KEY_COMMENT_PREFIX-$(basename "$1")" -f "$1" </dev/null >/dev/null
}

install_authorized_keys() { # DIR USER PUBFILES... -> DIR/authorized_keys owned by USER, mode 600
  local dir="$1" user="$2"
  shift 2
  # sshd reads authorized_keys with the user's uid: it must own the file
  (umask 077
   cat "$@" >"$dir/authorized_keys.tmp")
  "${SUDO[@]}" chown "$user" "$dir/authorized_keys.tmp"
  "${SUDO[@]}" chmod 600 "$dir/authorized_keys.tmp"
  "${SUDO[@]}" mv -f "$dir/authorized_keys.tmp" "$dir/authorized_keys"
}

prepare_privsep_dir() { # sshd's privilege separation directory (Debian: /run/sshd)
  "${SUDO[@]}" mkdir -p /run/sshd
  "${SUDO[@]}" chmod 755 /run/sshd
}

sshd_base_config() { # DIR PORT USER MAX_AUTH_TRIES USE_PAM -> the sshd_config lines both servers share
  cat <<EOF
Port $2
ListenAddress 127.0.0.1
HostKey $1/ssh_host_ed25519_key
HostKey $1/ssh_host_ecdsa_key
HostKey $1/ssh_host_rsa_key
PidFile $1/sshd.pid
AuthorizedKeysFile $1/authorized_keys
StrictModes no
PasswordAuthentication yes
PermitEmptyPasswords no
PubkeyAuthentication yes
KbdInteractiveAuthentication no
UsePAM $5
PermitRootLogin no
AllowUsers $3
MaxStartups 2000:30:2000
MaxSessions 100
MaxAuthTries $4
LoginGraceTime 30
UseDNS no
PrintMotd no
PrintLastLog no
X11Forwarding no
AllowAgentForwarding no
LogLevel VERBOSE
EOF
}
