import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDataPath, pathValueText, quotePathValue } from '../../src/yang/data-path.js';

describe('formatDataPath', () => {
  it('qualifies the first step and each step whose module differs from the previous one', () => {
    assert.equal(
      formatDataPath([
        { module: 'ietf-interfaces', name: 'interfaces' },
        { module: 'ietf-interfaces', name: 'interface', keys: [['name', 'eth0']] },
        { module: 'ietf-ip', name: 'ipv4' },
        { module: 'ietf-ip', name: 'mtu' },
      ]),
      "/ietf-interfaces:interfaces/interface[name='eth0']/ietf-ip:ipv4/mtu",
    );
  });

  it('writes every key of a list entry, and a leaf-list entry by its value', () => {
    assert.equal(formatDataPath([{ module: 'm', name: 'l', keys: [['k1', 'a'], ['k2', '1']] }, { module: 'm', name: 'v' }]), "/m:l[k1='a'][k2='1']/v");
    assert.equal(formatDataPath([{ module: 'm', name: 'top' }, { module: 'm', name: 'll', value: 'x' }]), "/m:top/ll[.='x']");
    assert.equal(formatDataPath([{ module: 'm', name: 'l', keys: [] }]), '/m:l');
  });

  it('is / for the top level', () => {
    assert.equal(formatDataPath([]), '/');
  });

  it('quotes values with double quotes when they hold a single quote', () => {
    assert.equal(quotePathValue("it's"), `"it's"`);
    assert.equal(quotePathValue('a"b'), `'a"b'`);
    assert.equal(formatDataPath([{ module: 'm', name: 'l', keys: [['k', "o'k"]] }]), `/m:l[k="o'k"]`);
  });

  it('renders JSON leaf values as text', () => {
    assert.equal(pathValueText('x'), 'x');
    assert.equal(pathValueText(5), '5');
    assert.equal(pathValueText(true), 'true');
    assert.equal(pathValueText([null]), '');
  });
});
