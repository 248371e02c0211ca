#!/usr/bin/env bash
# NETCONF over TLS (RFC 7589) test peer for the integration tests: Debian's
# stunnel4 terminating TLS on 127.0.0.1 (client certificate required, from a
# private CA made by scripts/test-pki.sh) and exec-ing netconf-subsystem per
# connection, which talks to a running scripts/netconfd.sh instance.
#
#   stunnel-netconf.sh start DIR PORT NETCONFD_DIR NETCONFD_PORT [options]
#   stunnel-netconf.sh stop DIR
#   stunnel-netconf.sh status DIR
#
# See usage() below for the services (one per port, PORT .. PORT+6).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
LOG_TAG="stunnel-netconf.sh"
ZOMBIES_ALIVE=0 # stop: do not wait for PID 1 to reap the killed daemon (see lib-sshd.sh)
# shellcheck source=scripts/lib-sshd.sh
source "$SCRIPT_DIR/lib-sshd.sh" # SUDO, die, log, resolve_dir, live_pid, port_open, kill_pids, ...

STUNNEL=/usr/bin/stunnel4
SUBSYSTEM=/usr/sbin/netconf-subsystem
TEST_USER="nctest" # the daemon and netconf-subsystem run as this user
START_TIMEOUT="${TEST_SERVER_START_TIMEOUT:-15}"
# service name -> port offset from PORT, in order
SERVICES=(good expired wrong-name not-yet-valid tls11 tls12 tls13)

usage() {
  cat <<EOF
Usage: $(basename "$0") COMMAND [ARGS]

Runs a NETCONF-over-TLS server (RFC 7589) for the integration tests: stunnel4
on 127.0.0.1 requiring a client certificate from the test CA, exec-ing
$SUBSYSTEM per connection against a netconfd started by
'scripts/netconfd.sh start NETCONFD_DIR NETCONFD_PORT'.

Commands:
  start DIR PORT NETCONFD_DIR NETCONFD_PORT [--tls-min 1.2|1.3] [--tls-max 1.2|1.3]
        Make the test PKI in DIR/pki (scripts/test-pki.sh, kept between
        starts) and start one stunnel4 daemon with 7 services, each on its
        own port (all must be free), each requiring a client certificate
        issued by DIR/pki/ca.pem:
          PORT     good           server.pem; TLS --tls-min (default 1.2)
                                  .. --tls-max (default 1.3)
          PORT+1   expired        server-expired.pem (valid 2020-01-01..02)
          PORT+2   wrong-name     server-wrong-name.pem (SAN DNS:wrong.example only)
          PORT+3   not-yet-valid  server-not-yet-valid.pem (valid from 2099)
          PORT+4   tls11          server.pem, TLS 1.1 only (OpenSSL security
                                  level 0: OpenSSL 3 refuses TLS 1.1 otherwise)
          PORT+5   tls12          server.pem, TLS 1.2 only
          PORT+6   tls13          server.pem, TLS 1.3 only
        Every service serves NETCONF: a client that accepts its certificate
        gets netconfd's hello. Writes DIR/tls.json and prints its path as the
        last line of stdout.
  stop DIR      Stop the daemon of DIR and its netconf-subsystem children
                (no error when not running).
  status DIR    Exit 0 when the daemon of DIR is alive, else 1.
  -h, --help    Show this help.

Per connection, DIR/subsystem.sh (exec'd by stunnel as user '$TEST_USER')
maps the client certificate to the NETCONF user the RFC 7589 common-name way:
USER = the CN of SSL_CLIENT_DN (stunnel's RFC 2253 subject, e.g. 'CN=nctest');
a subject without a CN made of [A-Za-z0-9._@-] is refused (connection closed
before any hello). It also sets
SSH_CONNECTION="REMOTE_HOST REMOTE_PORT 127.0.0.1 NETCONFD_PORT" (netconfd
only accepts sessions whose SSH_CONNECTION names a port of its --port list)
and runs $SUBSYSTEM --ncxserver-sockname=NETCONFD_PORT@NETCONFD_DIR/ncxserver.sock
with its stderr in DIR/run/subsystem.log (one 'user=' line per connection),
through DIR/netconf-gate.pl (perl-base), which holds the client's bytes until
netconfd's hello went out, then passes the client's hello alone and the rest
50 ms after netconf-subsystem read it (netconfd loses bytes that arrive in
one read with <ncx-connect> or with the client's <hello>); transparent after.

Files in DIR: stunnel.conf, subsystem.sh, netconf-gate.pl, tls.json, pki/
(test-pki.sh), run/ (owned by '$TEST_USER': stunnel.pid, stunnel.log,
subsystem.log).
Run 'scripts/netconfd.sh install' first (packages stunnel4, openssl, user
'$TEST_USER'). Not root: uses sudo to start and kill stunnel4.

Environment:
  TEST_SERVER_START_TIMEOUT  seconds to wait for the daemon (default: 15)
EOF
}

# ------------------------------------------------------------- helpers ------

tls_version() { # 1.2|1.3 -> TLSv1.2|TLSv1.3
  case "$1" in
    1.2 | TLSv1.2) echo TLSv1.2 ;;
    1.3 | TLSv1.3) echo TLSv1.3 ;;
    *) die "invalid TLS version '$1' (use 1.2 or 1.3)" ;;
  esac
}

# netconf-subsystem processes started for DIR (their environment carries the
# marker STUNNEL_NETCONF_DIR=DIR), also when the daemon is already gone
subsystem_pids() { # DIR
  local p comm env
  for p in /proc/[0-9]*; do
    comm=""
    read -r comm 2>/dev/null <"$p/comm" || continue # no fork per process: fast
    [[ $comm == netconf-subsys* || $comm == subsystem.sh || $comm == perl ]] || continue
    env="$("${SUDO[@]}" cat "$p/environ" 2>/dev/null | tr '\0' '\n')" || continue
    [[ $'\n'$env$'\n' == *$'\n'"STUNNEL_NETCONF_DIR=$1"$'\n'* ]] && echo "${p#/proc/}"
  done
  return 0
}

# the daemon's pid when it is alive (a zombie waiting for PID 1 is not)
daemon_pid() { # DIR
  local pid state
  pid="$(live_pid "$1/run/stunnel.pid" stunnel4)" || return 1
  state="$(awk '{ sub(/.*\) /, ""); print $1 }' "/proc/$pid/stat" 2>/dev/null)" || return 1
  [[ -n $state && $state != Z ]] || return 1
  echo "$pid"
}

# ---------------------------------------------------------------- status ----

cmd_status() {
  [[ $# -eq 1 ]] || die "usage: $0 status DIR"
  local dir
  dir="$(resolve_dir "$1")" || exit 1
  daemon_pid "$dir" >/dev/null
}

# ------------------------------------------------------------------ stop ----

do_stop() { # absolute DIR
  local dir="$1" pids=() p daemon
  if daemon="$(daemon_pid "$dir")"; then
    # freeze it so that it forks no new connection while we collect children
    "${SUDO[@]}" kill -STOP "$daemon" 2>/dev/null || true
    pids+=("$daemon")
    while read -r p; do [[ -n $p ]] && pids+=("$p"); done < <(descendants "$daemon")
  fi
  while read -r p; do [[ -n $p ]] && pids+=("$p"); done < <(subsystem_pids "$dir")
  if ((${#pids[@]})); then
    "${SUDO[@]}" kill -TERM "${pids[@]}" 2>/dev/null || true
    if [[ -n ${daemon:-} ]]; then "${SUDO[@]}" kill -CONT "$daemon" 2>/dev/null || true; fi
    kill_pids "${pids[@]}"
  fi
  "${SUDO[@]}" rm -f "$dir/run/stunnel.pid" "$dir/tls.json"
}

cmd_stop() {
  [[ $# -eq 1 ]] || die "usage: $0 stop DIR"
  local dir
  dir="$(resolve_dir "$1")" || return 0 # no such dir: nothing running
  do_stop "$dir"
}

# ------------------------------------------------------------------ gate ----

# netconfd (yuma123 2.13) loses client bytes that reach it in the same read as
# netconf-subsystem's <ncx-connect> message or as the client's <hello>: an SSH
# client rarely hits that (the subsystem is up before the client writes, and
# clients wait for the server's hello), but behind stunnel the client's hello
# is already waiting when netconf-subsystem starts, and one TLS record may
# carry hello + first <rpc>. Measured without this relay: hello + <rpc> in one
# write, every <rpc> lost (over SSH too); hello right after the handshake, the
# session never became active about 1 run in 6 under load. This relay
# (perl-base only) paces the first bytes; it is transparent afterwards.
write_gate() {
  cat <<'GATE'
#!/usr/bin/perl
# netconf-gate: runs COMMAND (netconf-subsystem) on pipes and relays between them and our
# stdin/stdout (the decrypted TLS connection from stunnel), pacing the client's first bytes the
# way netconfd needs them:
#   1. nothing from the client until COMMAND has written something (netconfd's hello: it has then
#      processed netconf-subsystem's <ncx-connect>; bytes arriving with that message are lost);
#   2. then the client's hello, up to and including its ']]>]]>', alone;
#   3. the rest only once COMMAND has read the hello and SETTLE seconds have passed (netconfd
#      drops what arrives in the same read as the client's hello);
# then it is transparent. Exits when COMMAND closes its stdout, with its exit status.
use strict;
use warnings;
use POSIX ();
use Fcntl qw(F_GETFL F_SETFL O_NONBLOCK);
use Time::HiRes qw(time);

@ARGV or die "usage: netconf-gate COMMAND [ARGS...]\n";
$SIG{PIPE} = 'IGNORE';
my $SETTLE = 0.05;
my $FIONREAD = 0x541B; # Linux
my $EOM = ']]>]]>';
my $HELLO_MAX = 1 << 20; # a client that sends no ']]>]]>' this long: go transparent

pipe(my $to_child_r, my $to_child_w) or die "pipe: $!";
pipe(my $from_child_r, my $from_child_w) or die "pipe: $!";
my $pid = fork() // die "fork: $!";
if ($pid == 0) {
  POSIX::dup2(fileno($to_child_r), 0) // die "dup2: $!";
  POSIX::dup2(fileno($from_child_w), 1) // die "dup2: $!";
  close $_ for ($to_child_r, $to_child_w, $from_child_r, $from_child_w);
  exec { $ARGV[0] } @ARGV or die "exec $ARGV[0]: $!";
}
close $from_child_w;
# $to_child_r stays open here: FIONREAD on it tells whether COMMAND has read the hello

for my $fh (\*STDIN, \*STDOUT, $to_child_w, $from_child_r) {
  my $flags = fcntl($fh, F_GETFL, 0) // die "fcntl: $!";
  fcntl($fh, F_SETFL, $flags | O_NONBLOCK) // die "fcntl: $!";
}
my ($in, $out, $cin, $cout) = (0, 1, fileno($to_child_w), fileno($from_child_r));

sub unread_by_child {
  my $n = pack('i', 0);
  ioctl($to_child_r, $FIONREAD, $n) or return 0;
  return unpack('i', $n);
}

my $LIMIT = 1 << 20;        # buffered bytes per direction before we stop reading
my ($up, $down) = ('', ''); # client -> command, command -> client
my $fwd = '';               # the part of $up that may be written to the command now
my ($in_open, $cout_open, $cin_open) = (1, 1, 1);
my $phase = 1;              # 1: wait for COMMAND; 2: hello; 3: settle; 4: transparent
my $settle_from;            # phase 3: when COMMAND had read everything we wrote

while (1) {
  last if !$cout_open && $down eq '';
  # what may go to the command
  if ($phase == 2) {
    my $i = index($up, $EOM);
    if ($i >= 0) {
      $fwd .= substr($up, 0, $i + length $EOM, '');
      $phase = 3;
    } elsif (length($up) > $HELLO_MAX || !$in_open) {
      $fwd .= $up; $up = ''; $phase = 4;
    }
  }
  if ($phase == 3 && $fwd eq '') {
    if (unread_by_child() > 0) { $settle_from = undef; }
    else {
      $settle_from //= time;
      $phase = 4 if time - $settle_from >= $SETTLE;
    }
  }
  if ($phase == 4 && $up ne '') { $fwd .= $up; $up = ''; }
  if (!$in_open && $up eq '' && $fwd eq '' && $cin_open) { close $to_child_w; $cin_open = 0; }

  my ($r, $w) = ('', '');
  vec($r, $in, 1) = 1 if $in_open && $phase >= 2 && length($up) + length($fwd) < $LIMIT;
  vec($r, $cout, 1) = 1 if $cout_open && length($down) < $LIMIT;
  vec($w, $cin, 1) = 1 if $cin_open && $fwd ne '';
  vec($w, $out, 1) = 1 if $down ne '';
  my $timeout = $phase == 3 ? 0.01 : undef;
  my $n = select(my $rr = $r, my $ww = $w, undef, $timeout);
  if ($n < 0) { next if $!{EINTR}; last; }
  next if $n == 0;
  if ($cout_open && vec($rr, $cout, 1)) {
    my $got = POSIX::read($cout, my $buf, 65536);
    if (!defined $got) { $cout_open = 0 unless $!{EAGAIN} || $!{EINTR}; }
    elsif ($got == 0) { $cout_open = 0; }
    else { $down .= $buf; $phase = 2 if $phase == 1; }
  }
  if ($in_open && vec($rr, $in, 1)) {
    my $got = POSIX::read($in, my $buf, 65536);
    if (!defined $got) { $in_open = 0 unless $!{EAGAIN} || $!{EINTR}; }
    elsif ($got == 0) { $in_open = 0; }
    else { $up .= $buf; }
  }
  if ($down ne '' && vec($ww, $out, 1)) {
    my $put = POSIX::write($out, $down, length $down);
    if (defined $put) { substr($down, 0, $put) = ''; }
    elsif (!$!{EAGAIN} && !$!{EINTR}) { last; } # the client is gone
  }
  if ($cin_open && $fwd ne '' && vec($ww, $cin, 1)) {
    my $put = POSIX::write($cin, $fwd, length $fwd);
    if (defined $put) { substr($fwd, 0, $put) = ''; }
    elsif (!$!{EAGAIN} && !$!{EINTR}) { ($up, $fwd) = ('', ''); close $to_child_w; $cin_open = 0; }
  }
}
close $to_child_w if $cin_open;
# COMMAND's end closes the connection (stunnel sees our stdout close when we exit);
# the client's end ends COMMAND
kill 'TERM', $pid if $cout_open;
waitpid($pid, 0);
exit($? & 127 ? 1 : $? >> 8);
GATE
}

# ----------------------------------------------------------------- start ----

service_config() { # NAME PORT CERTBASE MIN MAX [extra lines...]
  local name="$1" port="$2" cert="$3" min="$4" max="$5"
  shift 5
  cat <<EOF

[$name]
accept = 127.0.0.1:$port
cert = $PKI/$cert.pem
key = $PKI/$cert.key
CAfile = $PKI/ca.pem
verifyChain = yes
requireCert = yes
sslVersionMin = $min
sslVersionMax = $max
exec = $DIR/subsystem.sh
EOF
  local line
  for line in "$@"; do echo "$line"; done
}

cmd_start() {
  (($# >= 4)) || die "usage: $0 start DIR PORT NETCONFD_DIR NETCONFD_PORT [--tls-min 1.2|1.3] [--tls-max 1.2|1.3]"
  local port="$2" ncport="$4" ncdir min=TLSv1.2 max=TLSv1.3
  [[ $port =~ ^[0-9]{1,5}$ ]] || die "invalid PORT '$port'"
  port=$((10#$port))
  ((port >= 1 && port + ${#SERVICES[@]} - 1 <= 65535)) || die "invalid PORT '$port'"
  [[ $ncport =~ ^[0-9]{1,5}$ ]] || die "invalid NETCONFD_PORT '$ncport'"
  ncport=$((10#$ncport))
  ncdir="$(resolve_dir "$3")" || die "NETCONFD_DIR '$3' does not exist"
  DIR="$(resolve_dir "$1" create)" || die "cannot create DIR '$1'"
  shift 4
  while (($#)); do
    case "$1" in
      --tls-min) (($# >= 2)) || die "--tls-min needs a value"; min="$(tls_version "$2")"; shift 2 ;;
      --tls-max) (($# >= 2)) || die "--tls-max needs a value"; max="$(tls_version "$2")"; shift 2 ;;
      *) die "unknown option '$1'" ;;
    esac
  done
  [[ $min == TLSv1.3 && $max == TLSv1.2 ]] && die "--tls-min 1.3 with --tls-max 1.2"
  check_dir_name "$DIR"
  check_dir_name "$ncdir"
  PKI="$DIR/pki"

  [[ -x $STUNNEL ]] || die "$STUNNEL not found: run 'scripts/netconfd.sh install' first"
  [[ -x $SUBSYSTEM ]] || die "$SUBSYSTEM not found: run 'scripts/netconfd.sh install' first"
  getent passwd "$TEST_USER" >/dev/null || die "user $TEST_USER missing: run 'scripts/netconfd.sh install' first"
  [[ -S $ncdir/ncxserver.sock ]] || die "no netconfd socket $ncdir/ncxserver.sock (scripts/netconfd.sh start $ncdir $ncport)"

  if daemon_pid "$DIR" >/dev/null; then
    die "an instance is already running in $DIR (run '$0 stop $DIR' first)"
  fi
  do_stop "$DIR" # stale pid file, leftover subsystems
  local i
  for ((i = 0; i < ${#SERVICES[@]}; i++)); do
    port_open $((port + i)) && die "127.0.0.1:$((port + i)) is already in use"
  done

  bash "$SCRIPT_DIR/test-pki.sh" "$PKI"

  # the daemon runs as TEST_USER (setuid below): it must reach DIR/subsystem.sh
  # and write DIR/run; it reads the keys as root, before dropping privileges
  chmod go+x "$DIR" 2>/dev/null || true
  mkdir -p "$DIR/run"
  "${SUDO[@]}" chown "$TEST_USER:" "$DIR/run"
  "${SUDO[@]}" chmod 755 "$DIR/run"

  cat >"$DIR/subsystem.sh.tmp" <<EOF
#!/bin/sh
# generated by scripts/stunnel-netconf.sh: exec'd by stunnel4 per TLS connection.
# stdout/stdin are the decrypted connection; stderr would be too: log it.
exec 2>>"$DIR/run/subsystem.log"
# RFC 7589 cert-to-name, common-name mapping: USER = CN of the client subject
# (stunnel: SSL_CLIENT_DN in RFC 2253 form, most specific first, e.g.
# 'CN=nctest,O=x'): the first CN
cn=\$(printf '%s\n' "\${SSL_CLIENT_DN:-}" | tr ',+' '\n\n' | sed -n 's/^ *CN=//p' | head -n 1)
case "\$cn" in
  "" | *[!A-Za-z0-9._@-]*)
    echo "\$(date -u +%FT%TZ) pid=\$\$ refused: no usable CN in subject '\${SSL_CLIENT_DN:-}'" >&2
    exit 1 ;;
esac
echo "\$(date -u +%FT%TZ) pid=\$\$ user=\$cn from=\${REMOTE_HOST:-?}:\${REMOTE_PORT:-?} subject='\${SSL_CLIENT_DN:-}' issuer='\${SSL_CLIENT_I_DN:-}'" >&2
# netconfd accepts a session only when the server port in SSH_CONNECTION is in its --port list
export USER="\$cn" LOGNAME="\$cn" SSH_CONNECTION="\${REMOTE_HOST:-127.0.0.1} \${REMOTE_PORT:-0} 127.0.0.1 $ncport"
export STUNNEL_NETCONF_DIR="$DIR"
exec /usr/bin/perl "$DIR/netconf-gate.pl" $SUBSYSTEM --ncxserver-sockname=$ncport@$ncdir/ncxserver.sock
EOF
  chmod 755 "$DIR/subsystem.sh.tmp"
  mv -f "$DIR/subsystem.sh.tmp" "$DIR/subsystem.sh"
  write_gate >"$DIR/netconf-gate.pl.tmp"
  chmod 755 "$DIR/netconf-gate.pl.tmp"
  mv -f "$DIR/netconf-gate.pl.tmp" "$DIR/netconf-gate.pl"

  local g
  g="$(id -gn "$TEST_USER")"
  {
    cat <<EOF
; generated by scripts/stunnel-netconf.sh
foreground = no
pid = $DIR/run/stunnel.pid
output = $DIR/run/stunnel.log
syslog = no
debug = info
setuid = $TEST_USER
setgid = $g
; per service defaults
TIMEOUTclose = 0
EOF
    service_config good "$port" server "$min" "$max"
    service_config expired $((port + 1)) server-expired TLSv1.2 TLSv1.3
    service_config wrong-name $((port + 2)) server-wrong-name TLSv1.2 TLSv1.3
    service_config not-yet-valid $((port + 3)) server-not-yet-valid TLSv1.2 TLSv1.3
    # OpenSSL 3 allows TLS < 1.2 only at security level 0 (SHA-1 signatures)
    service_config tls11 $((port + 4)) server TLSv1.1 TLSv1.1 "securityLevel = 0" "ciphers = DEFAULT@SECLEVEL=0"
    service_config tls12 $((port + 5)) server TLSv1.2 TLSv1.2
    service_config tls13 $((port + 6)) server TLSv1.3 TLSv1.3
  } >"$DIR/stunnel.conf"

  "${SUDO[@]}" rm -f "$DIR/run/stunnel.log"
  local out rc=0
  out="$(cd "$DIR" && "${SUDO[@]}" env STUNNEL_NETCONF_DIR="$DIR" "$STUNNEL" "$DIR/stunnel.conf" </dev/null 2>&1)" || rc=$?
  if ((rc != 0)); then
    printf '%s\n' "$out" | tail -n 25 >&2
    [[ -s $DIR/run/stunnel.log ]] && tail -n 25 "$DIR/run/stunnel.log" >&2
    do_stop "$DIR"
    die "stunnel4 failed to start (exit $rc)"
  fi

  # --- wait until every service accepts connections
  local deadline=$((SECONDS + START_TIMEOUT)) ok=0 why
  while ((SECONDS < deadline)); do
    why=""
    daemon_pid "$DIR" >/dev/null || why="stunnel4 is not running"
    for ((i = 0; i < ${#SERVICES[@]}; i++)); do
      [[ -z $why ]] && ! port_open $((port + i)) && why="stunnel4 does not accept connections on 127.0.0.1:$((port + i))"
    done
    if [[ -z $why ]]; then ok=1; break; fi
    sleep 0.05
  done
  if ((!ok)); then
    [[ -s $DIR/run/stunnel.log ]] && tail -n 25 "$DIR/run/stunnel.log" >&2
    do_stop "$DIR"
    die "stunnel4 in $DIR failed to start (waited up to ${START_TIMEOUT}s): $why"
  fi

  # --- tls.json
  local pid
  pid="$(daemon_pid "$DIR")"
  cat >"$DIR/tls.json.tmp" <<EOF
{
  "host": "127.0.0.1",
  "port": $port,
  "ports": {
    "good": $port,
    "expired": $((port + 1)),
    "wrongName": $((port + 2)),
    "notYetValid": $((port + 3)),
    "tls11": $((port + 4)),
    "tls12": $((port + 5)),
    "tls13": $((port + 6))
  },
  "tlsMin": $(json_str "$min"),
  "tlsMax": $(json_str "$max"),
  "username": $(json_str "$TEST_USER"),
  "pki": {
    "dir": $(json_str "$PKI"),
    "ca": $(json_str "$PKI/ca.pem"),
    "caKey": $(json_str "$PKI/ca.key"),
    "server": $(json_str "$PKI/server.pem"),
    "serverKey": $(json_str "$PKI/server.key"),
    "serverWrongName": $(json_str "$PKI/server-wrong-name.pem"),
    "serverWrongNameKey": $(json_str "$PKI/server-wrong-name.key"),
    "serverExpired": $(json_str "$PKI/server-expired.pem"),
    "serverExpiredKey": $(json_str "$PKI/server-expired.key"),
    "serverNotYetValid": $(json_str "$PKI/server-not-yet-valid.pem"),
    "serverNotYetValidKey": $(json_str "$PKI/server-not-yet-valid.key"),
    "client": $(json_str "$PKI/client.pem"),
    "clientKey": $(json_str "$PKI/client.key"),
    "clientEncKey": $(json_str "$PKI/client-enc.key"),
    "clientEncPassphrase": "secret",
    "otherCa": $(json_str "$PKI/other-ca.pem"),
    "otherCaKey": $(json_str "$PKI/other-ca.key"),
    "otherClient": $(json_str "$PKI/other-client.pem"),
    "otherClientKey": $(json_str "$PKI/other-client.key")
  },
  "netconfd": { "port": $ncport, "stateDir": $(json_str "$ncdir") },
  "pid": $pid,
  "stateDir": $(json_str "$DIR")
}
EOF
  chmod 600 "$DIR/tls.json.tmp"
  mv -f "$DIR/tls.json.tmp" "$DIR/tls.json"
  echo "$DIR/tls.json"
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
    *) echo "stunnel-netconf.sh: unknown command '$cmd'" >&2; usage >&2; exit 2 ;;
  esac
}

main "$@"
