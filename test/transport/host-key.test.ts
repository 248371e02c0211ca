import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  hostKeyInfo,
  keyType,
  md5Fingerprint,
  sha256Fingerprint,
} from '../../src/transport/host-key.js';

interface GeneratedKey {
  /** First field of the .pub line. */
  type: string;
  blob: Buffer;
  /** `ssh-keygen -l -E md5` fingerprint without the `MD5:` prefix. */
  md5: string;
  /** `ssh-keygen -l` fingerprint, `SHA256:...`. */
  sha256: string;
}

/** Second field of `ssh-keygen -l` output: `<bits> <fingerprint> <comment> (<TYPE>)`. */
function fingerprintOf(args: string[]): string {
  const out = execFileSync('ssh-keygen', args, { encoding: 'utf8' });
  const fp = out.trim().split(/\s+/)[1];
  assert.ok(fp, `unexpected ssh-keygen output: ${out}`);
  return fp;
}

describe('host-key fingerprints against ssh-keygen', () => {
  let dir: string;
  const keys = new Map<string, GeneratedKey>();

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'host-key-test-'));
    for (const t of ['ed25519', 'ecdsa', 'rsa']) {
      const file = join(dir, t);
      execFileSync('ssh-keygen', ['-q', '-N', '', '-t', t, '-C', `test-${t}`, '-f', file]);
      const [type, b64] = readFileSync(`${file}.pub`, 'utf8').trim().split(/\s+/);
      assert.ok(type && b64);
      const md5 = fingerprintOf(['-l', '-E', 'md5', '-f', `${file}.pub`]);
      assert.match(md5, /^MD5:/);
      keys.set(t, {
        type,
        blob: Buffer.from(b64, 'base64'),
        md5: md5.slice('MD5:'.length),
        sha256: fingerprintOf(['-l', '-f', `${file}.pub`]),
      });
    }
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  const expectedTypes: Record<string, string> = {
    ed25519: 'ssh-ed25519',
    ecdsa: 'ecdsa-sha2-nistp256',
    rsa: 'ssh-rsa',
  };

  for (const [t, expectedType] of Object.entries(expectedTypes)) {
    describe(t, () => {
      const key = (): GeneratedKey => {
        const k = keys.get(t);
        assert.ok(k, `key ${t} was not generated`);
        return k;
      };

      it('keyType reads the type from the blob', () => {
        assert.equal(keyType(key().blob), expectedType);
        assert.equal(keyType(key().blob), key().type);
      });

      it('md5Fingerprint matches ssh-keygen -l -E md5', () => {
        assert.match(md5Fingerprint(key().blob), /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
        assert.equal(md5Fingerprint(key().blob), key().md5);
      });

      it('sha256Fingerprint matches ssh-keygen -l', () => {
        assert.equal(sha256Fingerprint(key().blob), key().sha256);
        assert.doesNotMatch(sha256Fingerprint(key().blob), /=/);
      });

      it('hostKeyInfo combines them', () => {
        const { blob, md5, sha256 } = key();
        assert.deepEqual(hostKeyInfo(blob), { type: expectedType, md5, sha256, key: blob });
      });
    });
  }

  it('different keys give different fingerprints', () => {
    const all = [...keys.values()];
    assert.equal(new Set(all.map((k) => sha256Fingerprint(k.blob))).size, all.length);
    assert.equal(new Set(all.map((k) => md5Fingerprint(k.blob))).size, all.length);
  });
});

describe('keyType on malformed blobs', () => {
  const cases: Array<[string, Buffer]> = [
    ['empty blob', Buffer.alloc(0)],
    ['truncated length prefix', Buffer.from([0, 0, 0])],
    ['length beyond end', Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed2551')])],
    ['huge length', Buffer.from([0xff, 0xff, 0xff, 0xff, 0x61])],
    ['zero-length type', Buffer.from([0, 0, 0, 0, 1, 2, 3])],
    ['non-printable type', Buffer.concat([Buffer.from([0, 0, 0, 3]), Buffer.from([0x73, 0x00, 0x0a])])],
  ];
  for (const [name, blob] of cases) {
    it(`throws TypeError for ${name}`, () => {
      assert.throws(() => keyType(blob), TypeError);
      assert.throws(() => hostKeyInfo(blob), TypeError);
    });
  }

  it('reads only the first string of a minimal blob', () => {
    const blob = Buffer.concat([Buffer.from([0, 0, 0, 7]), Buffer.from('ssh-rsaEXTRA')]);
    assert.equal(keyType(blob), 'ssh-rsa');
  });
});
