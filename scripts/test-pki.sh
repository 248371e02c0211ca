#!/usr/bin/env bash
# Throw-away X.509 PKI for the NETCONF-over-TLS integration tests (RFC 7589),
# made with openssl (EC P-256 keys: fast). Idempotent: an existing, complete and
# still valid set in DIR is kept as it is; otherwise the whole set is remade.
#
#   test-pki.sh DIR
#
# Prints nothing but errors. See usage() for the files.
set -euo pipefail

# Bump when the set of files or their contents change: older sets are remade.
PKI_VERSION=2
DAYS=3650

usage() {
  cat <<EOF
Usage: $(basename "$0") DIR

Makes (when missing, incomplete, outdated or expired) in DIR, with openssl:
  ca.pem, ca.key                    test CA (CN 'netconfkit test CA')
  server.pem, server.key            server cert, CN netconf-server,
                                    SAN DNS:localhost, IP:127.0.0.1, IP:::1
  server-wrong-name.pem, .key       server cert, CN wrong.example, SAN DNS:wrong.example only
  server-expired.pem, .key          server cert as server.pem, valid
                                    2020-01-01..2020-01-02 (expired)
  server-not-yet-valid.pem, .key    server cert as server.pem, valid from 2099-01-01
  client.pem, client.key            client cert, CN nctest
  client-enc.key                    client.key encrypted (PKCS#8, AES-256),
                                    passphrase 'secret' (goes with client.pem)
  other-ca.pem, other-ca.key        a second, unrelated CA
  other-client.pem, other-client.key  client cert CN nctest from other-ca
  pki.version                       marker of a complete set
All keys EC P-256, mode 600; certificates SHA-256, ${DAYS} days unless stated.
Prints nothing but errors; exit 0 on success.
EOF
}

die() { echo "test-pki.sh: error: $*" >&2; exit 1; }

[[ ${1:-} == -h || ${1:-} == --help ]] && { usage; exit 0; }
[[ $# -eq 1 && -n $1 ]] || { usage >&2; exit 2; }
command -v openssl >/dev/null || die "openssl not found (run 'scripts/netconfd.sh install')"

mkdir -p -- "$1"
DIR="$(cd -- "$1" && pwd -P)"

FILES=(ca.pem ca.key server.pem server.key server-wrong-name.pem server-wrong-name.key
  server-expired.pem server-expired.key server-not-yet-valid.pem server-not-yet-valid.key
  client.pem client.key client-enc.key other-ca.pem other-ca.key other-client.pem other-client.key)

# run openssl quietly: its chatter (e.g. 'Using configuration from') only on failure
ossl() {
  local out
  if ! out="$(openssl "$@" 2>&1 </dev/null)"; then
    printf '%s\n' "$out" >&2
    die "openssl $1 failed"
  fi
}

complete_and_valid() {
  [[ "$(cat "$DIR/pki.version" 2>/dev/null)" == "$PKI_VERSION" ]] || return 1
  local f
  for f in "${FILES[@]}"; do [[ -s $DIR/$f ]] || return 1; done
  # still valid for at least a day (checks the chain and the dates)
  openssl verify -CAfile "$DIR/ca.pem" "$DIR/server.pem" "$DIR/client.pem" "$DIR/server-wrong-name.pem" >/dev/null 2>&1 || return 1
  openssl verify -CAfile "$DIR/other-ca.pem" "$DIR/other-client.pem" >/dev/null 2>&1 || return 1
  openssl x509 -checkend 86400 -noout -in "$DIR/ca.pem" >/dev/null 2>&1 || return 1
  openssl x509 -checkend 86400 -noout -in "$DIR/server.pem" >/dev/null 2>&1 || return 1
  openssl x509 -checkend 86400 -noout -in "$DIR/client.pem" >/dev/null 2>&1 || return 1
}

complete_and_valid && exit 0

umask 077
WORK="$(mktemp -d "$DIR/.pki-work.XXXXXX")"
trap 'rm -rf -- "$WORK"' EXIT

# One openssl config for everything: 'openssl ca' (needed for explicit
# -startdate/-enddate: 'openssl x509 -days' cannot make an expired certificate
# in OpenSSL 3.0) plus the extension sections.
cat >"$WORK/openssl.cnf" <<'EOF'
[ ca ]
default_ca = test_ca

[ test_ca ]
dir = .
database = $dir/index.txt
new_certs_dir = $dir/newcerts
serial = $dir/serial
default_md = sha256
policy = policy_any
unique_subject = no
email_in_dn = no
copy_extensions = none
preserve = yes

[ policy_any ]
commonName = supplied

[ req ]
distinguished_name = req_dn
prompt = no
[ req_dn ]
CN = unused

[ ext_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ ext_server ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyAgreement
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid, issuer
subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1

[ ext_server_wrong ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyAgreement
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid, issuer
subjectAltName = DNS:wrong.example

[ ext_client ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyAgreement
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid, issuer
EOF

genkey() { # NAME -> WORK/NAME.key
  ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/$1.key"
}

make_ca() { # NAME CN: self-signed CA
  local name="$1" cn="$2"
  genkey "$name"
  ossl req -config "$WORK/openssl.cnf" -new -x509 -sha256 -days "$DAYS" -key "$WORK/$name.key" \
    -subj "/CN=$cn" -extensions ext_ca -set_serial "0x$(openssl rand -hex 8)" -out "$WORK/$name.pem"
}

issue() { # CA NAME CN EXTENSIONS [openssl ca date options...]
  local ca="$1" name="$2" cn="$3" ext="$4"
  shift 4
  local dates=("$@") db="$WORK/$name.db"
  ((${#dates[@]})) || dates=(-days "$DAYS")
  genkey "$name"
  ossl req -config "$WORK/openssl.cnf" -new -key "$WORK/$name.key" -subj "/CN=$cn" -out "$WORK/$name.csr"
  # a database of its own per certificate (random serial): the issues run in parallel
  mkdir -p "$db/newcerts"
  : >"$db/index.txt"
  openssl rand -hex 8 >"$db/serial"
  # 'openssl ca' resolves dir = . against the current directory
  (cd "$db" && ossl ca -config "$WORK/openssl.cnf" -batch -notext \
    -cert "$WORK/$ca.pem" -keyfile "$WORK/$ca.key" -md sha256 -extensions "$ext" \
    "${dates[@]}" -in "$WORK/$name.csr" -out "$WORK/$name.pem")
}

wait_all() { # PIDS...: every background job must succeed (they print their own errors)
  local p rc=0
  for p in "$@"; do wait "$p" || rc=1; done
  ((rc == 0)) || die "making the PKI failed"
}

jobs=()
make_ca ca "netconfkit test CA" & jobs+=($!)
make_ca other-ca "netconfkit other test CA" & jobs+=($!)
wait_all "${jobs[@]}"
jobs=()
issue ca server netconf-server ext_server & jobs+=($!)
issue ca server-wrong-name wrong.example ext_server_wrong & jobs+=($!)
issue ca server-expired netconf-server ext_server -startdate 20200101000000Z -enddate 20200102000000Z & jobs+=($!)
issue ca server-not-yet-valid netconf-server ext_server -startdate 20990101000000Z -enddate 20991231000000Z & jobs+=($!)
issue other-ca other-client nctest ext_client & jobs+=($!)
{ issue ca client nctest ext_client &&
  ossl pkey -in "$WORK/client.key" -aes-256-cbc -passout pass:secret -out "$WORK/client-enc.key"; } & jobs+=($!)
wait_all "${jobs[@]}"

for f in "${FILES[@]}"; do
  [[ -s $WORK/$f ]] || die "$f was not made"
  chmod 600 "$WORK/$f"
done
for f in "${FILES[@]}"; do mv -f "$WORK/$f" "$DIR/$f"; done
echo "$PKI_VERSION" >"$DIR/pki.version"
