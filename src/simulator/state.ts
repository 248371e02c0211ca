/**
 * The state data `<get>` adds to the running configuration: RFC 6022 `netconf-state`
 * (capabilities, datastores and their locks, schemas, sessions) and RFC 5277 `netconf/streams`;
 * with compiled YANG modules and `yangLibrary`, the YANG library (RFC 7895 `modules-state`, RFC 8525
 * `yang-library`).
 * @module
 */
import { parseConfigText } from './datastore.js';
import { YANG_LIBRARY_NS, type Device } from './device.js';
import { textElement } from './xml.js';
import { DATASTORES_NS, MONITORING_NS, NETMOD_NOTIFICATION_NS } from '../namespaces.js';
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
  if (device.yangLibrary) xml += modulesState(device) + yangLibrary(device);
  return parseConfigText(xml, 'state data');
}

/** RFC 7895 `/modules-state`: every compiled module, implemented or imported, with its features, deviations and submodules. */
function modulesState(device: Device): string {
  const model = device.model;
  if (!model) return '';
  let xml = `<modules-state xmlns="${YANG_LIBRARY_NS}">${textElement('module-set-id', model.moduleSetId)}`;
  const modules = [...model.schema.modules.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const m of modules) {
    xml += `<module>${textElement('name', m.name)}${textElement('revision', m.revision ?? '')}${textElement('namespace', m.namespace)}`;
    for (const f of m.features) xml += textElement('feature', f);
    for (const d of m.deviatedBy) xml += `<deviation>${textElement('name', d)}${textElement('revision', model.schema.modules.get(d)?.revision ?? '')}</deviation>`;
    xml += textElement('conformance-type', m.implemented ? 'implement' : 'import');
    for (const [name, revision] of m.submodules) xml += `<submodule>${textElement('name', name)}${textElement('revision', revision ?? '')}</submodule>`;
    xml += '</module>';
  }
  return `${xml}</modules-state>`;
}

/**
 * RFC 8525 `/yang-library`: one module set (implemented modules, import-only modules), one schema
 * used by every datastore (the simulator's datastores share their modules).
 */
function yangLibrary(device: Device): string {
  const model = device.model;
  if (!model?.top(YANG_LIBRARY_NS, 'yang-library')) return ''; // an ietf-yang-library older than RFC 8525
  const modules = [...model.schema.modules.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let xml = `<yang-library xmlns="${YANG_LIBRARY_NS}" xmlns:ds="${DATASTORES_NS}"><module-set><name>complete</name>`;
  for (const m of modules.filter((x) => x.implemented)) {
    xml += `<module>${textElement('name', m.name)}${m.revision ? textElement('revision', m.revision) : ''}${textElement('namespace', m.namespace)}`;
    for (const [name, revision] of m.submodules) xml += `<submodule>${textElement('name', name)}${revision ? textElement('revision', revision) : ''}</submodule>`;
    for (const f of m.features) xml += textElement('feature', f);
    for (const d of m.deviatedBy) xml += textElement('deviation', d);
    xml += '</module>';
  }
  for (const m of modules.filter((x) => !x.implemented)) {
    xml += `<import-only-module>${textElement('name', m.name)}${textElement('revision', m.revision ?? '')}${textElement('namespace', m.namespace)}`;
    for (const [name, revision] of m.submodules) xml += `<submodule>${textElement('name', name)}${revision ? textElement('revision', revision) : ''}</submodule>`;
    xml += '</import-only-module>';
  }
  xml += '</module-set><schema><name>complete</name><module-set>complete</module-set></schema>';
  const datastores = ['running', ...(['candidate', 'startup'] as const).filter((d) => device.has(`:${d}`)), 'intended', 'operational'];
  for (const d of datastores) xml += `<datastore><name>ds:${d}</name><schema>complete</schema></datastore>`;
  return `${xml}${textElement('content-id', model.moduleSetId)}</yang-library>`;
}
