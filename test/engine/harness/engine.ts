import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EdgeModel, readEdgeModel } from './edge-model';
import { EchoUpstream, startEchoUpstream } from './echo-upstream';
import { EdgeResponse, send } from './http-client';
import {
  buildModSecurityTree,
  CrsSource,
  findCrs,
  LocalMount,
  materializeMounts,
  ModSecurityTree,
} from './modsecurity-tree';
import { RedirectState, renderNginxConf } from './nginx-conf';
import { RawResponse, sendRaw } from './raw-client';
import { freePort, NginxProcess, sleep, startNginx, testConfig } from './nginx-process';
import { CertificateFiles, generatePki, pem, ScenarioPki } from './pki';

/** Header the harness sends to emulate the client's source address (nginx realip, loopback only). */
export const CLIENT_IP_HEADER = 'X-Test-Client-IP';
/** Header that ties a request to its audit record (the JSON audit's part B holds request headers). */
export const MARKER_HEADER = 'x-conformance-id';

/** One ModSecurity JSON audit record (SecAuditLogFormat JSON), reduced to what the scenarios check. */
export interface AuditRecord {
  /** The transaction id (`modsecurity_transaction_id`, e.g. nginx's $request_id), else libmodsecurity's own. */
  readonly uniqueId: string;
  readonly clientIp: string;
  readonly uri: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly ruleIds: readonly string[];
  readonly messages: readonly string[];
  readonly raw: string;
}

/** Which certificate the client presents. */
export type ClientIdentity =
  | { readonly kind: 'none' }
  | { readonly kind: 'client'; readonly commonName: string }
  | { readonly kind: 'other-ca' }
  | { readonly kind: 'expired' }
  | { readonly kind: 'wrong-subject'; readonly commonName: string };

/** A request of a scenario, independent of ports and files. */
export interface EngineRequest {
  readonly scheme?: 'http' | 'https';
  readonly method?: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  /** Default: the first client declared in dist. */
  readonly identity?: ClientIdentity;
  /** Emulated source address (default 198.51.100.23, a documentation address). */
  readonly clientIp?: string;
  /** Tag used to find the request's audit record. */
  readonly marker: string;
}

/** A running edge: real nginx + libmodsecurity + CRS rendered from dist, and the echo upstream. */
export interface EdgeEngine {
  readonly model: EdgeModel;
  readonly pki: ScenarioPki;
  readonly crs: CrsSource;
  readonly tree: ModSecurityTree;
  /** The ConfigMaps mounted into the controller in dist, as temporary folders (e.g. the WAF policy file). */
  readonly mounts: readonly LocalMount[];
  readonly confPath: string;
  readonly confText: string;
  readonly host: string;
  readonly ports: { readonly http: number; readonly https: number };
  /**
   * Sends a request and looks up its audit record. ModSecurity writes the record after the response, so for an
   * error answer with `awaitAudit` the lookup polls up to 1.5 s.
   */
  request(
    req: EngineRequest,
    awaitAudit?: (status: number) => boolean,
  ): Promise<{ response: EdgeResponse; audit?: AuditRecord }>;
  /**
   * Sends a request byte for byte (request line and header lines as given; see raw-client.ts), on port 80 or 443
   * with the given SNI and client identity. Returns the answer and the audit record written for it, if any.
   */
  raw(req: EngineRawRequest): Promise<{ response: RawResponse; audit?: AuditRecord }>;
  /** The controller state the HTTPS redirect was rendered for. */
  readonly redirectState: RedirectState;
  /** Token of the modelled cert-manager HTTP-01 solver location, when one is rendered. */
  readonly acmeSolverToken?: string;
  /** Every audit record written so far. */
  auditRecords(): AuditRecord[];
  /** Everything nginx wrote to stderr (error log). */
  errorLog(): string;
  stop(): Promise<void>;
}

/** A raw request of an adversarial row, independent of ports and files. */
export interface EngineRawRequest {
  readonly scheme: 'http' | 'https';
  /** TLS SNI; `null` = none. */
  readonly sni: string | null;
  readonly requestLine: string;
  readonly headerLines: readonly string[];
  readonly body?: string;
  /** Default: the first client declared in dist. */
  readonly identity?: ClientIdentity;
  /** Emulated source address (default 198.51.100.23). */
  readonly clientIp?: string;
  /** Tag used to find the request's audit record (sent as a header). */
  readonly marker: string;
  /** Wait (up to 1.5 s) for the audit record of an error answer: ModSecurity writes it after the response. @default false */
  readonly awaitAudit?: boolean;
}

/** Options of {@link startEdgeEngine}. */
export interface EdgeEngineOptions {
  /** A dist-shaped folder. */
  readonly distRoot: string;
  /** Keep the temporary folder (PKI, rendered nginx.conf) for inspection. @default false */
  readonly keepTemp?: boolean;
  /** The controller state the Lua HTTPS redirect is rendered for. @default 'certificate-configured' */
  readonly redirectState?: RedirectState;
  /** Model a cert-manager HTTP-01 solver Ingress with this token on every TLS host. @default none */
  readonly acmeSolverToken?: string;
  /** Rewrites the rendered configuration before `nginx -t` (tests of the harness's own error path). @default identity */
  readonly transformConf?: (conf: string) => string;
  /**
   * Where the trusted client CA comes from: given the run-time client CA (certificate and key PEM), returns the PEM
   * nginx trusts as `ssl_client_certificate`. test/cluster passes it through cert-manager's Secret shape and the real
   * trust-manager, and the engine then trusts exactly the `ca.crt` trust-manager wrote.
   * @default the run-time client CA certificate itself
   */
  readonly trustedClientCa?: (ca: { readonly certPem: string; readonly keyPem: string }) => Promise<string>;
}

/**
 * Reads dist, renders the configuration, generates the PKI, runs `nginx -t` (failing with the offending line),
 * starts nginx and the echo upstream. Everything started is stopped by `stop()`, and also when start-up fails.
 */
export async function startEdgeEngine(options: EdgeEngineOptions): Promise<EdgeEngine> {
  const model = readEdgeModel(options.distRoot);
  const crs = findCrs();
  if (!crs)
    throw new Error(
      'no OWASP CRS found: provide ../shared/crs-v4.22.0, set ENGINE_CRS_DIR, or install Debian modsecurity-crs',
    );
  const prefix = mkdtempSync(join(tmpdir(), 'edge-engine-'));
  for (const t of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'])
    mkdirSync(join(prefix, 'tmp', t), { recursive: true });
  let upstream: EchoUpstream | undefined;
  let nginx: NginxProcess | undefined;
  const cleanup = async (): Promise<void> => {
    await nginx?.stop();
    await upstream?.close();
    if (!options.keepTemp) rmSync(prefix, { recursive: true, force: true });
  };
  try {
    const tree = buildModSecurityTree(join(prefix, 'etc-nginx'), crs);
    const mounts = materializeMounts(join(prefix, 'mounts'), model.controller.mounts, tree);
    const hosts = model.servers.map((s) => s.host);
    const pki = generatePki(join(prefix, 'pki'), hosts, model.clients);
    let clientCaFile = pki.clientCa.cert;
    if (options.trustedClientCa) {
      clientCaFile = join(prefix, 'pki', 'trusted-client-ca.crt');
      writeFileSync(
        clientCaFile,
        await options.trustedClientCa({
          certPem: readFileSync(pki.clientCa.cert, 'utf8'),
          keyPem: readFileSync(pki.clientCa.key, 'utf8'),
        }),
      );
    }
    upstream = await startEchoUpstream();
    const serverCertificates = new Map<string, { cert: string; key: string }>();
    for (const [host, files] of pki.serverCertificates) serverCertificates.set(host, files);
    const confPath = join(prefix, 'nginx.conf');
    let ports = { http: 0, https: 0 };
    let confText = '';
    // Free ports are probed, then bound by nginx: another process may take one in between; retry with new ports.
    for (let attempt = 1; ; attempt++) {
      ports = { http: await freePort(), https: await freePort() };
      confText = renderNginxConf(model, {
        prefix,
        httpPort: ports.http,
        httpsPort: ports.https,
        upstream: { host: upstream.host, port: upstream.port },
        tree,
        mounts,
        serverCertificates,
        defaultCertificate: pki.defaultCertificate,
        clientCaFile,
        clientIpHeader: CLIENT_IP_HEADER,
        runWorkersAsRoot: process.getuid?.() === 0,
        redirectState: options.redirectState,
        acmeSolverToken: options.acmeSolverToken,
      });
      if (options.transformConf) confText = options.transformConf(confText);
      writeFileSync(confPath, confText);
      testConfig(confPath, prefix);
      try {
        nginx = await startNginx(confPath, prefix, ports.https);
        break;
      } catch (err) {
        if (attempt >= 3 || !/Address already in use/.test((err as Error).message)) throw err;
      }
    }
    const running = nginx;
    const host = hosts[0];
    const realIpHeader = model.controller.realIp.enabled ? model.controller.realIp.header : CLIENT_IP_HEADER;

    const auditRecords = (): AuditRecord[] => parseAudit(running.stdout());
    const request = async (
      req: EngineRequest,
      awaitAudit?: (status: number) => boolean,
    ): Promise<{ response: EdgeResponse; audit?: AuditRecord }> => {
      const cert = identityFiles(pki, req.identity ?? { kind: 'client', commonName: model.clients[0].commonName });
      const scheme = req.scheme ?? 'https';
      const before = auditRecords().length;
      const response = await send({
        scheme,
        port: scheme === 'https' ? ports.https : ports.http,
        host,
        method: req.method ?? 'GET',
        path: req.path,
        headers: {
          [realIpHeader]: req.clientIp ?? '198.51.100.23',
          [MARKER_HEADER]: req.marker,
          ...(req.headers ?? {}),
        },
        body: req.body,
        serverCa: pem(pki.serverCa.cert),
        clientCertificate: cert ? { cert: pem(cert.cert), key: pem(cert.key) } : undefined,
      });
      let audit = findAudit(auditRecords(), req.marker, before, req.path);
      if (!audit && (awaitAudit ?? ((status: number) => status >= 400))(response.status)) {
        const deadline = Date.now() + 1500;
        while (!audit && Date.now() < deadline) {
          await sleep(20);
          audit = findAudit(auditRecords(), req.marker, before, req.path);
        }
      }
      return { response, audit };
    };
    const raw = async (req: EngineRawRequest): Promise<{ response: RawResponse; audit?: AuditRecord }> => {
      const cert = identityFiles(pki, req.identity ?? { kind: 'client', commonName: model.clients[0].commonName });
      const before = auditRecords().length;
      const response = await sendRaw({
        scheme: req.scheme,
        port: req.scheme === 'https' ? ports.https : ports.http,
        sni: req.sni,
        requestLine: req.requestLine,
        headerLines: [
          ...req.headerLines,
          `${realIpHeader}: ${req.clientIp ?? '198.51.100.23'}`,
          `${MARKER_HEADER}: ${req.marker}`,
        ],
        body: req.body,
        serverCa: pem(pki.serverCa.cert),
        clientCertificate: cert ? { cert: pem(cert.cert), key: pem(cert.key) } : undefined,
      });
      // By the marker header (audit part B); without part B (the default parts AHZ), by the request-target among the
      // records written since the request was sent (requests are sent one at a time), else the only such record.
      const target = req.requestLine.split(' ')[1] ?? '';
      const lookup = (): AuditRecord | undefined => {
        const byMarker = auditRecords().find((r) => r.headers[MARKER_HEADER] === req.marker);
        if (byMarker) return byMarker;
        const since = auditRecords()
          .slice(before)
          .filter((r) => Object.keys(r.headers).length === 0);
        return (
          since.find((r) => r.uri === target || (r.uri !== '' && target.endsWith(r.uri))) ??
          (since.length === 1 ? since[0] : undefined)
        );
      };
      let audit = lookup();
      if (!audit && req.awaitAudit && response.status >= 400) {
        const deadline = Date.now() + 1500;
        while (!audit && Date.now() < deadline) {
          await sleep(20);
          audit = lookup();
        }
      }
      return { response, audit };
    };
    return {
      model,
      pki,
      crs,
      tree,
      mounts,
      confPath,
      confText,
      host,
      ports,
      redirectState: options.redirectState ?? 'certificate-configured',
      acmeSolverToken: options.acmeSolverToken,
      request,
      raw,
      auditRecords,
      errorLog: () => running.stderr(),
      stop: cleanup,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

function identityFiles(pki: ScenarioPki, id: ClientIdentity): CertificateFiles | undefined {
  switch (id.kind) {
    case 'none':
      return undefined;
    case 'other-ca':
      return pki.otherCaClient;
    case 'expired':
      return pki.expiredClient;
    case 'client': {
      const files = pki.clients.get(id.commonName);
      if (!files)
        throw new Error(
          `no client certificate for CN=${id.commonName} (dist declares: ${[...pki.clients.keys()].join(', ')})`,
        );
      return files;
    }
    case 'wrong-subject': {
      const files = pki.wrongSubjectClients.get(id.commonName);
      if (!files) throw new Error(`no wrong-subject certificate for CN=${id.commonName}`);
      return files;
    }
  }
}

/** Parses the JSON audit lines nginx wrote; non-JSON lines are ignored. */
export function parseAudit(stdout: string): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    let t: {
      unique_id?: string;
      client_ip?: string;
      request?: { uri?: string; headers?: Record<string, string> };
      response?: { http_code?: number };
      messages?: { message?: string; details?: { ruleId?: string } }[];
    };
    try {
      t = (JSON.parse(line) as { transaction: typeof t }).transaction;
    } catch {
      continue;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(t.request?.headers ?? {})) headers[k.toLowerCase()] = String(v);
    const messages = t.messages ?? [];
    records.push({
      uniqueId: t.unique_id ?? '',
      clientIp: t.client_ip ?? '',
      uri: t.request?.uri ?? '',
      status: t.response?.http_code ?? 0,
      headers,
      ruleIds: [...new Set(messages.map((m) => m.details?.ruleId ?? '').filter(Boolean))],
      messages: messages.map((m) => m.message ?? ''),
      raw: line,
    });
  }
  return records;
}

/**
 * The audit record of a request: by the marker header (part B of the audit log), else — when the policy's
 * SecAuditLogParts omit B — the first record written after the request was sent with the same URI.
 */
function findAudit(
  records: readonly AuditRecord[],
  marker: string,
  before: number,
  uri: string,
): AuditRecord | undefined {
  return (
    records.find((r) => r.headers[MARKER_HEADER] === marker) ??
    records.slice(before).find((r) => Object.keys(r.headers).length === 0 && r.uri === uri)
  );
}
