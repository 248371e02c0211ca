/**
 * The state data `<get>` adds to the running configuration: RFC 6022 `netconf-state`
 * (capabilities, datastores and their locks, schemas, sessions) and RFC 5277 `netconf/streams`.
 * @module
 */
import { parseConfigText } from './datastore.js';
import type { Device } from './device.js';
import { textElement } from './xml.js';
import { MONITORING_NS, NETMOD_NOTIFICATION_NS } from '../namespaces.js';
import type { XmlElement } from '../index.js';

/** The state data of the device, as a datastore-like tree. */
export function stateTree(device: Device): XmlElement {
  let xml = `<netconf-state xmlns="${MONITORING_NS}" xmlns:ncm="${MONITORING_NS}"><capabilities>`;
  for (const uri of device.capabilities) xml += textElement('capability', uri);
  xml += '</capabilities><datastores>';
  for (const name of ['running', 'candidate', 'startup'] as const) {
    if (name !== 'running' && !device.has(`:${name}`)) continue;
    xml += `<datastore>${textElement('name', name)}`;
    const lock = device.locks.get(name);
    if (lock) xml += `<locks><global-lock>${textElement('locked-by-session', lock.sessionId)}${textElement('locked-time', lock.since.toISOString())}</global-lock></locks>`;
    xml += '</datastore>';
  }
  xml += '</datastores><schemas>';
  for (const m of device.schema.modules) {
    xml += `<schema>${textElement('identifier', m.name)}${textElement('version', m.revision)}<format>ncm:yang</format>`;
    xml += `${textElement('namespace', m.namespace)}<location>NETCONF</location></schema>`;
  }
  xml += '</schemas><sessions>';
  for (const s of device.sessions.values()) {
    xml += `<session>${textElement('session-id', s.id)}<transport>ncm:netconf-${s.peer.transport}</transport>${textElement('username', s.username)}`;
    xml += `${textElement('source-host', s.sourceHost)}${textElement('login-time', s.loginTime.toISOString())}`;
    xml += `${textElement('in-rpcs', s.counters.inRpcs)}${textElement('in-bad-rpcs', s.counters.inBadRpcs)}`;
    xml += `${textElement('out-rpc-errors', s.counters.outRpcErrors)}${textElement('out-notifications', s.counters.outNotifications)}</session>`;
  }
  xml += '</sessions></netconf-state>';
  if (device.has(':notification')) {
    xml += `<netconf xmlns="${NETMOD_NOTIFICATION_NS}"><streams>`;
    for (const [name, description] of device.hub.streams) {
      xml += `<stream>${textElement('name', name)}${textElement('description', description)}<replaySupport>true</replaySupport>`;
      const since = device.hub.replayLogCreationTime;
      if (since) xml += textElement('replayLogCreationTime', since.toISOString());
      xml += '</stream>';
    }
    xml += '</streams></netconf>';
  }
  return parseConfigText(xml, 'state data');
}
