import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, readTree } from '../support/dist';
import { findPrivateKeys } from './private-keys';

describe('private key scan', () => {
  test('finds a PEM key, a base64-encoded PEM key in Secret data and a bare PKCS#8 key in base64', () => {
    const work = mkdtempSync(join(tmpdir(), 'keys-'));
    try {
      mkdirSync(join(work, '20-certificates'));
      const pemKey = `-----BEGIN EC ${'PRIVATE'} KEY-----\nMHcCAQEEIB\n-----END EC ${'PRIVATE'} KEY-----\n`; // built at run time: no key-shaped text in the repository
      writeFileSync(
        join(work, '20-certificates', 'plain.yaml'),
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: |\n    ${pemKey.split('\n').join('\n    ')}\n`,
      );
      writeFileSync(
        join(work, '20-certificates', 'encoded.yaml'),
        `apiVersion: v1\nkind: Secret\nmetadata:\n  name: b\ndata:\n  tls.key: ${Buffer.from(pemKey).toString('base64')}\n`,
      );
      writeFileSync(
        join(work, '20-certificates', 'clean.yaml'),
        'apiVersion: v1\nkind: Secret\nmetadata:\n  name: c\nstringData:\n  ca.crt: "-----BEGIN CERTIFICATE-----"\n',
      );
      expect(
        findPrivateKeys(readTree(work))
          .map((f) => f.path)
          .sort(),
      ).toEqual(['20-certificates/encoded.yaml', '20-certificates/plain.yaml']);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  test('dist/ holds no private key in any file, in any form', () => {
    const tree = readTree(DIST);
    expect(tree.size).toBeGreaterThan(0);
    expect(findPrivateKeys(tree)).toEqual([]);
  });
});
