import { validateManifest } from '../support/schema';

describe('schema validation', () => {
  test('accepts a well-formed Deployment', () => {
    expect(() =>
      validateManifest({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'ok' },
        spec: {
          selector: { matchLabels: { a: 'b' } },
          template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
        },
      } as never),
    ).not.toThrow();
  });

  test('rejects a Deployment whose replicas is a string', () => {
    expect(() =>
      validateManifest({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'bad' },
        spec: { replicas: 'two', selector: {}, template: { spec: { containers: [{ name: 'c', image: 'i' }] } } },
      } as never),
    ).toThrow(/replicas must be integer/);
  });

  test('rejects a cert-manager Certificate without secretName', () => {
    expect(() =>
      validateManifest({
        apiVersion: 'cert-manager.io/v1',
        kind: 'Certificate',
        metadata: { name: 'c' },
        spec: { issuerRef: { name: 'x' } },
      } as never),
    ).toThrow(/secretName/);
  });

  test('rejects a kind it has no schema for', () => {
    expect(() => validateManifest({ apiVersion: 'example.org/v1', kind: 'Widget', metadata: { name: 'w' } })).toThrow(
      /no schema known/,
    );
  });
});
