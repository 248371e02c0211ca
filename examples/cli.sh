# The netconf command. Where and as whom: NETCONF_HOST, NETCONF_PORT, NETCONF_USER and
# NETCONF_PASSWORD, or options given to this script, which every command gets (--host, -u,
# --known-hosts FILE …). Host keys: ~/.ssh/known_hosts and the --known-hosts files.
#   NETCONF_PASSWORD=… bash examples/cli.sh --host router1 -u admin
set -euo pipefail
IF=urn:ietf:params:xml:ns:yang:ietf-interfaces
netconf hello "$@"                                        # session-id, framing, capabilities
netconf get-config --xpath /if:interfaces/if:interface --ns if=$IF "$@"
# lock, edit the candidate, validate, commit, unlock (on failure: discard, unlock)
echo "<interfaces xmlns='$IF'><interface><name>eth7</name><description>set from the shell</description></interface></interfaces>" |
  netconf edit-config - --lock --validate --commit "$@"
netconf get-config --json --filter "<interfaces xmlns='$IF'><interface><name>eth7</name></interface></interfaces>" "$@"
