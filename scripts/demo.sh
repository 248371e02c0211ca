#!/usr/bin/env bash
# The README's first command (npm start): start the built-in device simulator on a loopback port
# and run the `netconf` command against it — hello, get-config, an edit + commit, the change read
# back. Needs nothing but Node.js and this package.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
netconf() { node "$repo/bin/netconf.js" "$@"; }
dir="$(mktemp -d /tmp/netconf-demo-XXXXXX)"
port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
node "$repo/bin/netconf.js" serve --port "$port" --user admin --password admin --config "$repo/examples/device-config.xml" --write-known-hosts "$dir/known_hosts" 2>"$dir/serve.log" &
sim=$!
trap 'kill $sim 2>/dev/null; wait $sim 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 100); do [[ -s $dir/known_hosts ]] && break; sleep 0.1; done
[[ -s $dir/known_hosts ]] || { cat "$dir/serve.log"; exit 1; }
export NETCONF_HOST=127.0.0.1 NETCONF_PASSWORD=admin
common=(--port "$port" -u admin --known-hosts "$dir/known_hosts")
step() { printf '\n\033[1m$ netconf %s\033[0m\n' "$*"; }

step hello; netconf hello "${common[@]}" | head -8; echo '  …'
step get-config --source running; netconf get-config --source running "${common[@]}"
change='<interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces"><interface><name>eth0</name><description>uplink, set by netconfkit</description><enabled>true</enabled></interface></interfaces>'
step "edit-config - --commit   (stdin: $change)"
echo "$change" | netconf edit-config - --commit "${common[@]}"
step "get-config --xpath /if:interfaces --ns if=urn:ietf:params:xml:ns:yang:ietf-interfaces"
netconf get-config --xpath /if:interfaces --ns if=urn:ietf:params:xml:ns:yang:ietf-interfaces "${common[@]}"
step "get-config --json --filter '<interfaces xmlns=\"urn:ietf:params:xml:ns:yang:ietf-interfaces\"/>'"
netconf get-config --json --filter '<interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces"/>' "${common[@]}"
printf '\nThe same commands work against any NETCONF device: netconf --help\n'
