/**
 * The simulator parses what a client sends with the library's parser and its default limits, so
 * the deepest configuration it can be given is `maxDepth` (1024) levels, rpc and edit-config
 * included. Its walks over configurations (edit, subtree filter, XPath, copy, serialization,
 * change detection) recurse; they must work at that depth, and a deeper RPC is refused by the
 * parser before any walk.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XmlLimitError } from '../../src/xml/limit-error.js';
import { DEFAULT_XML_LIMITS } from '../../src/xml/limits.js';
import { parseXml } from '../../src/xml/parse.js';
import { applyEdit, cloneRoot, diffRoots, emptyRoot, parseConfigText, rootToXml } from '../../src/simulator/datastore.js';
import { subtreeFilter } from '../../src/simulator/filter.js';
import { ListKeys } from '../../src/simulator/list-keys.js';
import { xpathSelect } from '../../src/simulator/xpath.js';
import { NC_NS } from './helpers.js';

/** An edit-config RPC whose configuration nests `levels` elements. */
const editConfig = (levels: number): string =>
  `<rpc xmlns="${NC_NS}" message-id="1"><edit-config><target><running/></target><config>` +
  `<a xmlns="urn:deep">${'<a>'.repeat(levels - 1)}v${'</a>'.repeat(levels)}</config></edit-config></rpc>`;

describe('simulator: configurations as deep as the parser accepts', () => {
  // rpc, edit-config and config take three levels.
  const levels = DEFAULT_XML_LIMITS.maxDepth - 3;

  it('edit, serialize, parse back, copy, diff, subtree filter and XPath all work at that depth', () => {
    const config = parseXml(editConfig(levels)).find('edit-config/config') ?? assert.fail();
    const keys = new ListKeys();
    const before = emptyRoot();
    const { root, errors } = applyEdit(before, config, { defaultOperation: 'merge', errorOption: 'stop-on-error', keys });
    assert.deepEqual(errors, []);
    const xml = rootToXml(root);
    assert.equal(xml.split('<a').length - 1, levels);
    assert.equal(rootToXml(parseConfigText(xml)), xml);
    assert.equal(rootToXml(cloneRoot(root)), xml);
    assert.equal(diffRoots(before, root, keys).length, 1);
    assert.equal(rootToXml(subtreeFilter(root, config.elements)), xml);
    assert.equal(xpathSelect(root, '//a', new Map()).length, levels);
  });

  it('a deeper RPC is refused by the parser', () => {
    assert.throws(() => parseXml(editConfig(levels + 1)), XmlLimitError);
  });
});
