import { existsSync } from 'node:fs';
import { objectsOf, readTree } from '../../support/dist';
import type { KubeManifest } from '../../../lib/synth/render';

/**
 * What the real-engine harness reads from a synthesized `dist/` tree: the inputs ingress-nginx v1.15.1 turns into
 * its nginx.conf for the features this project uses. Read from YAML files only, never from the constructs, so the
 * suite tests what GitOps applies.
 */
export interface EdgeModel {
  /** The dist root this model was read from. */
  readonly distRoot: string;
  readonly controller: ControllerModel;
  /** One entry per Ingress host served by the controller's IngressClass. */
  readonly servers: readonly ServerModel[];
  /** Client certificates declared in dist (cert-manager Certificates with usage `client auth`). */
  readonly clients: readonly ClientCertificateModel[];
  /** ConfigMap keys present in dist that the harness neither renders nor knows to be irrelevant here. */
  readonly unmodelledKeys: readonly string[];
  /** `nginx.ingress.kubernetes.io/*` annotations present in dist that the harness does not render (`ns/name: key`). */
  readonly unmodelledAnnotations: readonly string[];
  /**
   * Volume mounts of the controller container that the harness does not recreate (`volume → mountPath (why)`): any
   * mount that is not a whole ConfigMap volume, except the admission webhook's certificate.
   */
  readonly unmodelledMounts: readonly string[];
}

/**
 * A ConfigMap mounted into the controller container (volume of the controller Deployment in dist): the harness writes
 * its keys into a temporary folder and maps `mountPath` to it, as it maps the image's ModSecurity folders.
 */
export interface MountedConfigMapModel {
  /** Volume name in the Deployment. */
  readonly volume: string;
  /** Folder in the container, without trailing slash, e.g. `/etc/nginx/edge-waf`. */
  readonly mountPath: string;
  readonly configMap: { readonly namespace: string; readonly name: string };
  /** File name in the folder → content (all keys, or the volume's `items`). */
  readonly files: Readonly<Record<string, string>>;
}

/** The controller ConfigMap keys the harness renders (defaults as in ingress-nginx v1.15.1). */
export interface ControllerModel {
  readonly namespace: string;
  readonly configMapName: string;
  /** `enable-modsecurity` (default false). */
  readonly enableModsecurity: boolean;
  /** `enable-owasp-modsecurity-crs` (default false). */
  readonly enableOwaspCrs: boolean;
  /** `modsecurity-snippet`, verbatim (default empty). */
  readonly modsecuritySnippet: string;
  /** ConfigMaps mounted into the controller container (none when dist has no controller Deployment). */
  readonly mounts: readonly MountedConfigMapModel[];
  /** Entries of the ConfigMap named by `proxy-set-headers` (default none). */
  readonly proxySetHeaders: Readonly<Record<string, string>>;
  /** `ssl-redirect` (default true). */
  readonly sslRedirect: boolean;
  /** `http-redirect-code` (default 308). */
  readonly httpRedirectCode: number;
  /** `hsts` (default true), `hsts-max-age` (default 31536000), `hsts-include-subdomains` (true), `hsts-preload` (false). */
  readonly hsts: {
    readonly enabled: boolean;
    readonly maxAge: string;
    readonly includeSubdomains: boolean;
    readonly preload: boolean;
  };
  /** `enable-underscores-in-headers` (default false), `ignore-invalid-headers` (default true). */
  readonly underscoresInHeaders: boolean;
  readonly ignoreInvalidHeaders: boolean;
  /** `proxy-body-size` (default 1m) → client_max_body_size. */
  readonly proxyBodySize: string;
  /** `use-forwarded-headers` / `enable-real-ip` (default false), `forwarded-for-header` (X-Forwarded-For), `proxy-real-ip-cidr` (0.0.0.0/0). */
  readonly realIp: { readonly enabled: boolean; readonly header: string; readonly trustedCidrs: readonly string[] };
}

/** One host of an Ingress (ingress-nginx merges every Ingress of a host into one `server` block). */
export interface ServerModel {
  readonly host: string;
  readonly ingress: { readonly namespace: string; readonly name: string };
  /** The Ingress has a `tls` entry for this host (certificate filled in-cluster by cert-manager). */
  readonly tlsSecretName?: string;
  readonly auth?: ServerAuthModel;
  /** `ssl-redirect` annotation, else the ConfigMap default. */
  readonly sslRedirect: boolean;
  /** `force-ssl-redirect` annotation (default false). */
  readonly forceSslRedirect: boolean;
  readonly locations: readonly LocationModel[];
}

/** The `auth-tls-*` annotations of an Ingress. */
export interface ServerAuthModel {
  /** `auth-tls-secret` as written (`namespace/name`). */
  readonly secret: string;
  /** What in dist produces that secret in-cluster. */
  readonly caSource: string;
  /** `auth-tls-verify-client` (default on). */
  readonly verifyClient: string;
  /** `auth-tls-verify-depth` (default 1). */
  readonly verifyDepth: number;
  /** `auth-tls-pass-certificate-to-upstream` (default false). */
  readonly passCertificateToUpstream: boolean;
  /** `auth-tls-match-cn` (default none). */
  readonly matchCn?: string;
}

export interface LocationModel {
  readonly path: string;
  readonly pathType: string;
  readonly service: string;
  readonly port: string;
  readonly modsecurity: LocationModSecurityModel;
}

/** The per-Ingress ModSecurity annotations (rendered into each location by buildModSecurityForLocation). */
export interface LocationModSecurityModel {
  /** `enable-modsecurity` annotation; undefined when not set. */
  readonly enable?: boolean;
  /** `enable-owasp-core-rules` (default false). */
  readonly owaspRules: boolean;
  /** `modsecurity-snippet` annotation (default empty). */
  readonly snippet: string;
  /** `modsecurity-transaction-id` (default empty), e.g. `$request_id`. */
  readonly transactionId: string;
}

export interface ClientCertificateModel {
  readonly namespace: string;
  readonly name: string;
  readonly commonName: string;
  /** Subject RDNs besides the CN, openssl order (e.g. `O=Hospital A`). */
  readonly subject: readonly string[];
  readonly keyAlgorithm: 'RSA' | 'ECDSA' | 'Ed25519';
  readonly keySize?: number;
}

/** Thrown when dist/ lacks something the engine needs; the message says what and where it was looked for. */
export class EdgeModelError extends Error {
  constructor(distRoot: string, problem: string) {
    super(`${distRoot}: ${problem}`);
    this.name = 'EdgeModelError';
  }
}

const ANNOTATION = 'nginx.ingress.kubernetes.io/';
const CONTROLLER_CONFIGMAP = { namespace: 'ingress-nginx', name: 'ingress-nginx-controller' };
const CONTROLLER_DEPLOYMENT = { namespace: 'ingress-nginx', name: 'ingress-nginx-controller', container: 'controller' };
/** The admission webhook's certificate: used by the webhook server only, never by nginx. */
const WEBHOOK_CERT_MOUNT = '/usr/local/certificates';
/** Image folders the harness recreates itself; a mount over (or above) them would change what it must recreate. */
const IMAGE_FOLDERS = [
  '/etc/nginx/modsecurity',
  '/etc/nginx/owasp-modsecurity-crs',
  '/etc/nginx/template',
  '/etc/nginx/lua',
];

/** ConfigMap keys the harness renders or deliberately ignores because they do not change request handling here. */
const MODELLED_KEYS = new Set([
  'enable-modsecurity',
  'enable-owasp-modsecurity-crs',
  'modsecurity-snippet',
  'proxy-set-headers',
  'ssl-redirect',
  'http-redirect-code',
  'hsts',
  'hsts-max-age',
  'hsts-include-subdomains',
  'hsts-preload',
  'enable-underscores-in-headers',
  'ignore-invalid-headers',
  'proxy-body-size',
  'use-forwarded-headers',
  'enable-real-ip',
  'forwarded-for-header',
  'proxy-real-ip-cidr',
  // Known not to change how a request is handled on this edge (checked by reading the v1.15.1 template):
  'allow-snippet-annotations', // only decides whether *-snippet annotations are accepted; dist must have none (see unmodelledAnnotations)
  'annotations-risk-level', // admission of annotations by risk; same
]);

/** Ingress annotations the harness renders. */
const MODELLED_ANNOTATIONS = new Set([
  'auth-tls-secret',
  'auth-tls-verify-client',
  'auth-tls-verify-depth',
  'auth-tls-pass-certificate-to-upstream',
  'auth-tls-match-cn',
  'ssl-redirect',
  'force-ssl-redirect',
  'enable-modsecurity',
  'enable-owasp-core-rules',
  'modsecurity-snippet',
  'modsecurity-transaction-id',
]);

/** Reads the edge model from a dist-shaped folder (layer folders with one YAML object per file). */
export function readEdgeModel(distRoot: string): EdgeModel {
  if (!existsSync(distRoot))
    throw new EdgeModelError(distRoot, 'does not exist; run `npx tsx main.ts --only cdk8s` first');
  const objects = objectsOf(readTree(distRoot)).map((o) => o.manifest);
  const find = (kind: string, namespace: string, name: string): KubeManifest | undefined =>
    objects.find((o) => o.kind === kind && o.metadata.name === name && (o.metadata.namespace ?? '') === namespace);

  const cm = find('ConfigMap', CONTROLLER_CONFIGMAP.namespace, CONTROLLER_CONFIGMAP.name);
  if (!cm) {
    throw new EdgeModelError(
      distRoot,
      `no ConfigMap ${CONTROLLER_CONFIGMAP.namespace}/${CONTROLLER_CONFIGMAP.name} (the controller configuration) in any layer`,
    );
  }
  const data = (cm.data ?? {}) as Record<string, string>;
  const { mounts, unmodelledMounts } = readMounts(distRoot, find);
  const controller = readController(distRoot, data, find, mounts);
  const unmodelledKeys = Object.keys(data)
    .filter((k) => !MODELLED_KEYS.has(k))
    .sort();

  // The controller serves the IngressClass whose spec.controller is k8s.io/ingress-nginx.
  const classes = objects
    .filter(
      (o) => o.kind === 'IngressClass' && (o.spec as { controller?: string })?.controller === 'k8s.io/ingress-nginx',
    )
    .map((o) => o.metadata.name);
  if (classes.length === 0)
    throw new EdgeModelError(distRoot, 'no IngressClass with spec.controller k8s.io/ingress-nginx');
  const ingresses = objects.filter(
    (o) => o.kind === 'Ingress' && classes.includes((o.spec as { ingressClassName?: string })?.ingressClassName ?? ''),
  );
  if (ingresses.length === 0)
    throw new EdgeModelError(distRoot, `no Ingress with ingressClassName ${classes.map((c) => `"${c}"`).join(' or ')}`);
  const servers = ingresses.flatMap((ing) => readServers(distRoot, ing, controller, objects));
  const seen = new Set<string>();
  for (const s of servers) {
    if (seen.has(s.host))
      throw new EdgeModelError(
        distRoot,
        `host ${s.host} appears in more than one Ingress; the harness renders one server per host`,
      );
    seen.add(s.host);
  }
  const unmodelledAnnotations = ingresses.flatMap((ing) =>
    Object.keys(ing.metadata.annotations ?? {})
      .filter((k) => k.startsWith(ANNOTATION) && !MODELLED_ANNOTATIONS.has(k.slice(ANNOTATION.length)))
      .map((k) => `${ing.metadata.namespace ?? 'default'}/${ing.metadata.name}: ${k}`),
  );
  return {
    distRoot,
    controller,
    servers,
    clients: readClients(objects),
    unmodelledKeys,
    unmodelledAnnotations,
    unmodelledMounts,
  };
}

interface PodSpec {
  containers?: {
    name: string;
    volumeMounts?: { name: string; mountPath: string; subPath?: string; readOnly?: boolean }[];
  }[];
  volumes?: {
    name: string;
    configMap?: { name: string; items?: { key: string; path: string }[] };
    secret?: { secretName?: string };
  }[];
}

/**
 * The controller Deployment's volume mounts: whole-ConfigMap mounts become {@link MountedConfigMapModel}s (their
 * ConfigMap must be in dist); the webhook certificate is known to be irrelevant; anything else is unmodelled.
 */
function readMounts(
  distRoot: string,
  find: (k: string, ns: string, n: string) => KubeManifest | undefined,
): { mounts: MountedConfigMapModel[]; unmodelledMounts: string[] } {
  const deployment = find('Deployment', CONTROLLER_DEPLOYMENT.namespace, CONTROLLER_DEPLOYMENT.name);
  if (!deployment) return { mounts: [], unmodelledMounts: [] };
  const where = `Deployment ${CONTROLLER_DEPLOYMENT.namespace}/${CONTROLLER_DEPLOYMENT.name}`;
  const pod = ((deployment.spec as { template?: { spec?: PodSpec } })?.template?.spec ?? {}) as PodSpec;
  const container = (pod.containers ?? []).find((c) => c.name === CONTROLLER_DEPLOYMENT.container);
  if (!container)
    throw new EdgeModelError(distRoot, `${where}: no container named "${CONTROLLER_DEPLOYMENT.container}"`);
  const mounts: MountedConfigMapModel[] = [];
  const unmodelledMounts: string[] = [];
  for (const m of container.volumeMounts ?? []) {
    const mountPath = m.mountPath.replace(/\/+$/, '') || '/';
    const volume = (pod.volumes ?? []).find((v) => v.name === m.name);
    if (!volume) throw new EdgeModelError(distRoot, `${where}: volumeMount ${m.name} has no volume of that name`);
    if (volume.secret && mountPath === WEBHOOK_CERT_MOUNT) continue;
    if (!volume.configMap || m.subPath !== undefined) {
      unmodelledMounts.push(
        `${m.name} → ${m.mountPath} (${
          m.subPath !== undefined
            ? 'subPath mount'
            : `${Object.keys(volume)
                .filter((k) => k !== 'name')
                .join(', ')} volume`
        })`,
      );
      continue;
    }
    const shadowed = IMAGE_FOLDERS.find(
      (f) => f === mountPath || f.startsWith(`${mountPath}/`) || mountPath.startsWith(`${f}/`),
    );
    if (shadowed)
      throw new EdgeModelError(
        distRoot,
        `${where}: volume ${m.name} is mounted at ${m.mountPath}, over the image's ${shadowed}, which the harness recreates itself`,
      );
    const source = find('ConfigMap', CONTROLLER_DEPLOYMENT.namespace, volume.configMap.name);
    if (!source)
      throw new EdgeModelError(
        distRoot,
        `${where}: volume ${m.name} mounts ConfigMap ${CONTROLLER_DEPLOYMENT.namespace}/${volume.configMap.name}, which is not in dist`,
      );
    const data = (source.data ?? {}) as Record<string, string>;
    const files: Record<string, string> = {};
    for (const item of volume.configMap.items ?? Object.keys(data).map((key) => ({ key, path: key }))) {
      if (data[item.key] === undefined)
        throw new EdgeModelError(
          distRoot,
          `${where}: volume ${m.name} wants key ${item.key} of ConfigMap ${volume.configMap.name}, which has no such key`,
        );
      files[item.path] = data[item.key];
    }
    mounts.push({
      volume: m.name,
      mountPath,
      configMap: { namespace: CONTROLLER_DEPLOYMENT.namespace, name: volume.configMap.name },
      files,
    });
  }
  return { mounts, unmodelledMounts };
}

function readController(
  distRoot: string,
  data: Record<string, string>,
  find: (k: string, ns: string, n: string) => KubeManifest | undefined,
  mounts: readonly MountedConfigMapModel[],
): ControllerModel {
  const bool = (key: string, dflt: boolean): boolean => {
    const v = data[key];
    if (v === undefined) return dflt;
    if (v !== 'true' && v !== 'false')
      throw new EdgeModelError(distRoot, `ConfigMap key ${key}: "${v}" is not "true" or "false"`);
    return v === 'true';
  };
  let proxySetHeaders: Record<string, string> = {};
  const ref = data['proxy-set-headers'];
  if (ref) {
    const [ns, name] = ref.includes('/') ? ref.split('/', 2) : [CONTROLLER_CONFIGMAP.namespace, ref];
    const headers = find('ConfigMap', ns, name);
    if (!headers)
      throw new EdgeModelError(
        distRoot,
        `ConfigMap key proxy-set-headers points at ${ns}/${name}, which is not in dist`,
      );
    proxySetHeaders = { ...((headers.data ?? {}) as Record<string, string>) };
  }
  const realIpEnabled = bool('use-forwarded-headers', false) || bool('enable-real-ip', false);
  return {
    namespace: CONTROLLER_CONFIGMAP.namespace,
    configMapName: CONTROLLER_CONFIGMAP.name,
    enableModsecurity: bool('enable-modsecurity', false),
    enableOwaspCrs: bool('enable-owasp-modsecurity-crs', false),
    modsecuritySnippet: data['modsecurity-snippet'] ?? '',
    mounts,
    proxySetHeaders,
    sslRedirect: bool('ssl-redirect', true),
    httpRedirectCode: Number(data['http-redirect-code'] ?? '308'),
    hsts: {
      enabled: bool('hsts', true),
      maxAge: data['hsts-max-age'] ?? '31536000',
      includeSubdomains: bool('hsts-include-subdomains', true),
      preload: bool('hsts-preload', false),
    },
    underscoresInHeaders: bool('enable-underscores-in-headers', false),
    ignoreInvalidHeaders: bool('ignore-invalid-headers', true),
    proxyBodySize: data['proxy-body-size'] ?? '1m',
    realIp: {
      enabled: realIpEnabled,
      header: data['forwarded-for-header'] ?? 'X-Forwarded-For',
      trustedCidrs: (data['proxy-real-ip-cidr'] ?? '0.0.0.0/0')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    },
  };
}

interface IngressSpec {
  tls?: { hosts?: string[]; secretName?: string }[];
  rules?: {
    host?: string;
    http?: {
      paths?: {
        path?: string;
        pathType?: string;
        backend?: { service?: { name: string; port: { number?: number; name?: string } } };
      }[];
    };
  }[];
}

function readServers(
  distRoot: string,
  ing: KubeManifest,
  controller: ControllerModel,
  objects: readonly KubeManifest[],
): ServerModel[] {
  const spec = (ing.spec ?? {}) as IngressSpec;
  const ann = ing.metadata.annotations ?? {};
  const a = (key: string): string | undefined => ann[ANNOTATION + key];
  const namespace = ing.metadata.namespace ?? 'default';
  const where = `Ingress ${namespace}/${ing.metadata.name}`;
  const boolAnn = (key: string, dflt: boolean): boolean => {
    const v = a(key);
    if (v === undefined) return dflt;
    if (v !== 'true' && v !== 'false')
      throw new EdgeModelError(distRoot, `${where}: annotation ${ANNOTATION}${key} "${v}" is not "true" or "false"`);
    return v === 'true';
  };
  const auth = readAuth(distRoot, where, namespace, a, boolAnn, objects);
  const enableText = a('enable-modsecurity');
  const modsecurity: LocationModSecurityModel = {
    enable: enableText === undefined ? undefined : boolAnn('enable-modsecurity', false),
    owaspRules: boolAnn('enable-owasp-core-rules', false),
    snippet: a('modsecurity-snippet') ?? '',
    transactionId: a('modsecurity-transaction-id') ?? '',
  };
  return (spec.rules ?? []).map((rule) => {
    if (!rule.host)
      throw new EdgeModelError(distRoot, `${where}: a rule without host (the harness serves named hosts only)`);
    const tls = (spec.tls ?? []).find((t) => (t.hosts ?? []).includes(rule.host!));
    const locations = (rule.http?.paths ?? []).map((p) => {
      const svc = p.backend?.service;
      if (!svc) throw new EdgeModelError(distRoot, `${where}: path ${p.path} has no service backend`);
      return {
        path: p.path ?? '/',
        pathType: p.pathType ?? 'Prefix',
        service: svc.name,
        port: String(svc.port.number ?? svc.port.name),
        modsecurity,
      };
    });
    return {
      host: rule.host,
      ingress: { namespace, name: ing.metadata.name },
      tlsSecretName: tls ? (tls.secretName ?? '(default certificate)') : undefined,
      auth,
      sslRedirect: boolAnn('ssl-redirect', controller.sslRedirect),
      forceSslRedirect: boolAnn('force-ssl-redirect', false),
      locations,
    };
  });
}

function readAuth(
  distRoot: string,
  where: string,
  namespace: string,
  a: (key: string) => string | undefined,
  boolAnn: (key: string, dflt: boolean) => boolean,
  objects: readonly KubeManifest[],
): ServerAuthModel | undefined {
  const secret = a('auth-tls-secret');
  if (!secret) return undefined;
  const [secretNs, secretName] = secret.includes('/') ? secret.split('/', 2) : [namespace, secret];
  // ingress-nginx reads key ca.crt (and optional ca.crl) of that Secret. In dist it is either a Secret (bring your own
  // CA) or the target of a trust-manager Bundle (filled in-cluster; the Bundle is named like its target Secret).
  const asSecret = objects.find(
    (o) => o.kind === 'Secret' && o.metadata.name === secretName && o.metadata.namespace === secretNs,
  );
  const asBundle = objects.find(
    (o) =>
      o.kind === 'Bundle' &&
      o.metadata.name === secretName &&
      (o.spec as { target?: { secret?: { key?: string } } })?.target?.secret?.key === 'ca.crt',
  );
  let caSource: string;
  if (asSecret) {
    const keys = Object.keys({ ...((asSecret.data ?? {}) as object), ...((asSecret.stringData ?? {}) as object) });
    if (!keys.includes('ca.crt'))
      throw new EdgeModelError(
        distRoot,
        `${where}: auth-tls-secret ${secret} has no key ca.crt (keys: ${keys.join(', ') || 'none'})`,
      );
    caSource = `Secret ${secretNs}/${secretName} (ca.crt)`;
  } else if (asBundle) {
    caSource = `trust-manager Bundle ${secretName} → Secret ${secretNs}/${secretName} (ca.crt)`;
  } else {
    throw new EdgeModelError(
      distRoot,
      `${where}: auth-tls-secret ${secret} is produced by nothing in dist (no Secret ${secretNs}/${secretName} with ca.crt, no trust-manager Bundle ${secretName} targeting secret key ca.crt)`,
    );
  }
  const depthText = a('auth-tls-verify-depth') ?? '1';
  const verifyDepth = Number(depthText);
  if (!Number.isInteger(verifyDepth))
    throw new EdgeModelError(distRoot, `${where}: auth-tls-verify-depth "${depthText}" is not an integer`);
  return {
    secret,
    caSource,
    verifyClient: a('auth-tls-verify-client') ?? 'on',
    verifyDepth,
    passCertificateToUpstream: boolAnn('auth-tls-pass-certificate-to-upstream', false),
    matchCn: a('auth-tls-match-cn'),
  };
}

interface CertificateSpec {
  commonName?: string;
  usages?: string[];
  isCA?: boolean;
  subject?: {
    organizations?: string[];
    organizationalUnits?: string[];
    countries?: string[];
    localities?: string[];
    provinces?: string[];
  };
  privateKey?: { algorithm?: string; size?: number };
}

function readClients(objects: readonly KubeManifest[]): ClientCertificateModel[] {
  return objects
    .filter((o) => o.kind === 'Certificate' && o.apiVersion.startsWith('cert-manager.io/'))
    .map((o) => ({ o, spec: (o.spec ?? {}) as CertificateSpec }))
    .filter(({ spec }) => !spec.isCA && (spec.usages ?? []).includes('client auth') && spec.commonName)
    .map(({ o, spec }) => {
      const subject: string[] = [];
      for (const c of spec.subject?.countries ?? []) subject.push(`C=${c}`);
      for (const p of spec.subject?.provinces ?? []) subject.push(`ST=${p}`);
      for (const l of spec.subject?.localities ?? []) subject.push(`L=${l}`);
      for (const org of spec.subject?.organizations ?? []) subject.push(`O=${org}`);
      for (const ou of spec.subject?.organizationalUnits ?? []) subject.push(`OU=${ou}`);
      const alg = spec.privateKey?.algorithm ?? 'RSA';
      return {
        namespace: o.metadata.namespace ?? 'default',
        name: o.metadata.name,
        commonName: spec.commonName!,
        subject,
        keyAlgorithm: alg === 'ECDSA' || alg === 'Ed25519' ? alg : 'RSA',
        keySize: spec.privateKey?.size,
      } as ClientCertificateModel;
    })
    .sort((x, y) => x.commonName.localeCompare(y.commonName));
}

/** The first mTLS server (the scenario has one); throws when dist has none. */
export function mtlsServer(model: EdgeModel): ServerModel & { auth: ServerAuthModel } {
  const server = model.servers.find((s) => s.auth && s.tlsSecretName);
  if (!server)
    throw new EdgeModelError(
      model.distRoot,
      'no Ingress host with both a tls entry and auth-tls-secret (the mutual-TLS path)',
    );
  return server as ServerModel & { auth: ServerAuthModel };
}
