import { request as httpRequest, IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { EchoedRequest } from './echo-upstream';

/** One request sent to the edge on loopback. */
export interface EdgeRequest {
  readonly scheme: 'http' | 'https';
  readonly port: number;
  /** Host header and TLS SNI. */
  readonly host: string;
  readonly method: string;
  /** Path and query exactly as sent on the request line. */
  readonly path: string;
  readonly headers: OutgoingHttpHeaders;
  readonly body?: string | Buffer;
  /** PEM CA that signs the server certificate. */
  readonly serverCa?: Buffer;
  /** Client certificate and key (PEM), none for "no certificate". */
  readonly clientCertificate?: { readonly cert: Buffer; readonly key: Buffer };
}

/** The edge's answer. */
export interface EdgeResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The request as the echo upstream received it, when the edge forwarded it. */
  readonly upstream?: EchoedRequest;
}

/** Sends one request on a fresh connection (no connection reuse: each request gets its own TLS handshake). */
export function send(req: EdgeRequest): Promise<EdgeResponse> {
  return new Promise((resolve, reject) => {
    const headers: OutgoingHttpHeaders = { host: req.host, ...req.headers };
    if (req.body !== undefined) headers['content-length'] = Buffer.byteLength(req.body);
    const common = {
      host: '127.0.0.1',
      port: req.port,
      method: req.method,
      path: req.path,
      headers,
      agent: false as const,
    };
    const r =
      req.scheme === 'https'
        ? httpsRequest({
            ...common,
            servername: req.host,
            ca: req.serverCa,
            cert: req.clientCertificate?.cert,
            key: req.clientCertificate?.key,
            minVersion: 'TLSv1.2',
          })
        : httpRequest(common);
    r.setTimeout(10000, () => r.destroy(new Error(`timeout: ${req.method} ${req.scheme}://${req.host}${req.path}`)));
    r.on('error', reject);
    r.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, upstream: parseEcho(res.headers, body) });
      });
      res.on('error', reject);
    });
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

function parseEcho(headers: IncomingHttpHeaders, body: string): EchoedRequest | undefined {
  if (!String(headers['content-type'] ?? '').startsWith('application/json')) return undefined;
  try {
    const parsed = JSON.parse(body) as EchoedRequest;
    return typeof parsed.method === 'string' && typeof parsed.headers === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}
