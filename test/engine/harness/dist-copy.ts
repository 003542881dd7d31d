import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import type { KubeManifest } from '../../../lib/synth/render';
import { objectsOf, readTree } from '../../support/dist';

/**
 * Copies a dist-shaped tree into a new temporary folder, letting `edit` change each file's text (return the text
 * unchanged to keep it, or undefined to drop the file). Used to show that the suite fails when dist is broken.
 */
export function copyDist(
  source: string,
  edit: (path: string, content: string) => string | undefined = (_p, c) => c,
): string {
  const target = mkdtempSync(join(tmpdir(), 'edge-dist-'));
  for (const [path, content] of readTree(source)) {
    const next = edit(path, content);
    if (next === undefined) continue;
    mkdirSync(dirname(join(target, path)), { recursive: true });
    writeFileSync(join(target, path), next);
  }
  return target;
}

/** The fixture tree of the harness's own tests. */
export const FIXTURE_DIST = join(__dirname, '..', 'fixtures', 'dist');

/** Where the converted fixture mounts its policy (the product's mount, see lib/controller/waf-policy.ts). */
const POLICY_MOUNT = { configMap: 'ingress-nginx-waf-policy', key: 'policy.conf', path: '/etc/nginx/edge-waf' };

/**
 * Writes objects into `dist/10-controller/` (one YAML file each, named like dist's files), replacing any file that
 * holds an object of the same kind, namespace and name.
 */
export function writeControllerObjects(dist: string, objects: readonly KubeManifest[]): void {
  const tree = readTree(dist);
  for (const o of objects) {
    for (const [path, content] of tree) {
      if (!path.endsWith('.yaml') || path.endsWith('kustomization.yaml')) continue;
      const same = parseAllDocuments(content).some((d) => {
        const m = d.toJS() as KubeManifest;
        return (
          m?.kind === o.kind &&
          m.metadata?.name === o.metadata.name &&
          (m.metadata?.namespace ?? '') === (o.metadata.namespace ?? '')
        );
      });
      if (same) rmSync(join(dist, path));
    }
    const file = join(
      dist,
      '10-controller',
      `${o.metadata.namespace ? `${o.metadata.namespace}_` : ''}${o.kind}_${o.metadata.name}.yaml`,
    );
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, stringify(o, { lineWidth: 0 }));
  }
}

/** nginx's unescaping of a single-quoted parameter (`\\` `\'` `\"`; ngx_conf_file.c), i.e. what libmodsecurity reads. */
export function nginxUnquote(text: string): string {
  return text.replace(/\\(["'\\])/g, '$1');
}

/**
 * A copy of a dist tree whose controller loads its ModSecurity rules from a mounted file instead of the inline
 * snippet, the way the product renders it: the snippet keeps its base `Include` and includes
 * `/etc/nginx/edge-waf/policy.conf`, which a ConfigMap mounted by a (minimal) controller Deployment holds. `policy`
 * replaces the rules (default: the snippet's own rules after its first line, unescaped, as they would read in a file).
 */
export function withMountedPolicy(source: string, policy?: string): string {
  const dist = copyDist(source);
  const manifests = objectsOf(readTree(dist)).map((o) => o.manifest);
  const cm = manifests.find(
    (o) =>
      o.kind === 'ConfigMap' &&
      o.metadata.name === 'ingress-nginx-controller' &&
      o.metadata.namespace === 'ingress-nginx',
  );
  if (!cm) throw new Error(`${source}: no controller ConfigMap`);
  const data = { ...((cm.data ?? {}) as Record<string, string>) };
  const [base, ...rules] = nginxUnquote(data['modsecurity-snippet'] ?? '').split('\n');
  if (!base.startsWith('Include ')) throw new Error(`${source}: the snippet does not start with the base Include`);
  data['modsecurity-snippet'] = `${base}\nInclude ${POLICY_MOUNT.path}/${POLICY_MOUNT.key}\n`;
  const metadata = { namespace: 'ingress-nginx' };
  writeControllerObjects(dist, [
    { ...cm, data },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { ...metadata, name: POLICY_MOUNT.configMap },
      data: { [POLICY_MOUNT.key]: policy ?? rules.join('\n') },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { ...metadata, name: 'ingress-nginx-controller' },
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'controller',
                volumeMounts: [{ name: 'waf-policy', mountPath: `${POLICY_MOUNT.path}/`, readOnly: true }],
              },
            ],
            volumes: [{ name: 'waf-policy', configMap: { name: POLICY_MOUNT.configMap } }],
          },
        },
      },
    } as KubeManifest,
  ]);
  return dist;
}
