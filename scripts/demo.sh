#!/usr/bin/env bash
# The README's first command: start a real NETCONF server (netconfd behind a private sshd) on
# loopback, run examples/hello.mjs against it, stop the server.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
repo="$(cd "$here/.." && pwd -P)"
bash "$here/test-server.sh" install
dir="$(mktemp -d /tmp/netconf-demo-XXXXXX)"
port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
trap 'bash "$here/test-server.sh" stop "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
echo "starting netconfd behind sshd on 127.0.0.1:$port …"
bash "$here/test-server.sh" start "$dir" "$port" >/dev/null
info="$dir/server.json"
field() { node -e "console.log(require(process.argv[1])[process.argv[2]])" "$info" "$1"; }
# Trust the server's host key through a known_hosts file, as you would for a real device.
echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$dir/ssh_host_ed25519_key.pub")" > "$dir/known_hosts"
NETCONF_HOST=127.0.0.1 NETCONF_PORT="$port" NETCONF_USER="$(field username)" NETCONF_PASSWORD="$(field password)" \
  NETCONF_KNOWN_HOSTS="$dir/known_hosts" node "$repo/examples/hello.mjs"
