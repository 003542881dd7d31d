import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { certManagerSecret, issueSelfSignedCa } from './cert-manager-secret';
import { ControlPlane } from './control-plane';
import { tail } from './processes';
import { startTrustManager, trustManagerValues } from './trust-manager';
import { applyObject, ApplyResult, installCrds, KubeObject, renderKustomization } from './verify';

/** What {@link publishClientCa} saw. */
export interface PublishedClientCa {
  /** The client CA certificate created for the dist/ Certificate (PEM), as cert-manager would. */
  readonly caCertPem: string;
  /** `<namespace>/<name>` of the Secret trust-manager wrote (what the mTLS Ingress's auth-tls-secret must name). */
  readonly secretRef: string;
  /** The Secret's type. */
  readonly secretType: string;
  /** The Secret's data, decoded (trust-manager's output; the Ingress reads `ca.crt`). */
  readonly data: Readonly<Record<string, string>>;
  /** The Bundle's status conditions. */
  readonly bundleConditions: readonly { readonly type: string; readonly status: string; readonly message?: string }[];
  /** Results of every apply on the way (CRDs, layers, Secret, RBAC); all should be accepted. */
  readonly applied: readonly ApplyResult[];
}

/** Options of {@link publishClientCa}. */
export interface PublishOptions {
  /** Use this CA (e.g. the engine suite's PKI) instead of making one for the dist/ Certificate. @default a new CA */
  readonly ca?: { readonly certPem: string; readonly keyPem: string };
  /** How long to wait for trust-manager's Secret. @default 90000 */
  readonly timeoutMs?: number;
}

/** SHA-256 fingerprints of every certificate in a PEM text, in order. */
export function pemFingerprints(pem: string): string[] {
  return (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map(
    (c) => new X509Certificate(c).fingerprint256,
  );
}

function findObject(objects: readonly KubeObject[], kind: string): KubeObject {
  const found = objects.filter((o) => o.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0];
}

/**
 * The client-CA path of dist/ on a real API server with the real trust-manager: CRDs, layers 00-cluster and
 * 20-certificates, the CA Secret of the client-CA Certificate (created as cert-manager writes it), trust-manager
 * with the delivery's Helm values, then waits until trust-manager has written the Bundle's target Secret in the app
 * namespace. The engine suite can trust `data['ca.crt']` of the result: it is what the controller would read.
 */
export async function publishClientCa(
  cp: ControlPlane,
  distRoot: string,
  options: PublishOptions = {},
): Promise<PublishedClientCa> {
  const applied: ApplyResult[] = [...installCrds(cp).results];
  const certificates = renderKustomization(cp, join(distRoot, '20-certificates'));
  for (const o of renderKustomization(cp, join(distRoot, '00-cluster'))) applied.push(applyObject(cp, o));
  for (const o of certificates) applied.push(applyObject(cp, o));
  const bundle = findObject(certificates, 'Bundle');
  const sourceSecret = (bundle.spec as { sources: { secret?: { name: string } }[] }).sources.find((s) => s.secret)
    ?.secret?.name;
  const caCertificate = certificates.find(
    (o) => o.kind === 'Certificate' && (o.spec as { secretName: string }).secretName === sourceSecret,
  );
  if (!caCertificate) throw new Error(`no Certificate writes the Bundle's source Secret ${sourceSecret}`);
  const ca = options.ca
    ? { ...options.ca, secret: certManagerSecret(caCertificate, options.ca.certPem, options.ca.keyPem) }
    : issueSelfSignedCa(caCertificate);
  applied.push(applyObject(cp, ca.secret, 'cert-manager'));

  const helmRelease = renderKustomization(cp, join(distRoot, 'delivery', 'flux')).find(
    (o) => o.kind === 'HelmRelease' && o.metadata.name === 'trust-manager',
  );
  if (!helmRelease) throw new Error('dist/delivery/flux has no trust-manager HelmRelease');
  const values = trustManagerValues(helmRelease);
  const tm = await startTrustManager(cp, values);
  applied.push(...tm.setup);

  const target = (bundle.spec as { target: { namespaceSelector: { matchExpressions: { values: string[] }[] } } })
    .target;
  const namespace = target.namespaceSelector.matchExpressions[0].values[0];
  const name = bundle.metadata.name; // trust-manager names the target Secret after the Bundle
  const deadline = Date.now() + (options.timeoutMs ?? 90000);
  for (;;) {
    const r = cp.kubectl(['get', 'secret', '-n', namespace, name, '-o', 'json']);
    if (r.status === 0) {
      const secret = JSON.parse(r.stdout) as { type: string; data?: Record<string, string> };
      const data = Object.fromEntries(
        Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
      );
      const b = JSON.parse(cp.kubectl(['get', 'bundle', name, '-o', 'json']).stdout) as {
        status?: { conditions?: { type: string; status: string; message?: string }[] };
      };
      const conditions = b.status?.conditions ?? [];
      if (conditions.some((c) => c.type === 'Synced')) {
        return {
          caCertPem: ca.certPem,
          secretRef: `${namespace}/${name}`,
          secretType: secret.type,
          data,
          bundleConditions: conditions,
          applied,
        };
      }
    }
    if (tm.process.child.exitCode !== null) throw new Error(`trust-manager exited:\n${tail(tm.process)}`);
    if (Date.now() > deadline)
      throw new Error(`trust-manager wrote no Secret ${namespace}/${name} in time:\n${tail(tm.process)}`);
    await new Promise((res) => setTimeout(res, 500));
  }
}
