import { connect as netConnect, Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { EchoedRequest } from './echo-upstream';

/**
 * A client that writes the request bytes exactly as given — request line, Host header (or none), any header order
 * and whitespace — so the adversarial tables can send what an attacker sends (absolute-form request lines, a Host
 * with a trailing dot or an empty port, encoded line breaks) and choose the TLS SNI independently of `Host`.
 * node:http normalizes too much of that away.
 */
export interface RawRequest {
  readonly scheme: 'http' | 'https';
  readonly port: number;
  /** TLS server name; `null` sends no SNI (https only). */
  readonly sni: string | null;
  /** The request line, without CRLF, e.g. `GET /api HTTP/1.1`. */
  readonly requestLine: string;
  /** Header lines in order, without CRLF, e.g. `Host: a.example.com`. `Connection: close` is appended. */
  readonly headerLines: readonly string[];
  readonly body?: string;
  readonly serverCa?: Buffer;
  readonly clientCertificate?: { readonly cert: Buffer; readonly key: Buffer };
}

/** The edge's answer to a raw request. */
export interface RawResponse {
  /** Status code, 0 when the connection closed without an HTTP answer (e.g. a TLS handshake refused). */
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The request as the echo upstream received it, when the edge forwarded it. */
  readonly upstream?: EchoedRequest;
  /** Connection error text, when there was one. */
  readonly error?: string;
}

/** Sends one raw request on a fresh connection and reads the answer until the server closes it. */
export function sendRaw(req: RawRequest): Promise<RawResponse> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (error?: string): void => {
      if (settled) return;
      settled = true;
      resolve({ ...parseResponse(Buffer.concat(chunks)), ...(error ? { error } : {}) });
    };
    const payload =
      [
        req.requestLine,
        ...req.headerLines,
        'Connection: close',
        ...(req.body !== undefined ? [`Content-Length: ${Buffer.byteLength(req.body)}`] : []),
        '',
        '',
      ].join('\r\n') + (req.body ?? '');
    const onConnect = (socket: Socket): void => {
      socket.write(payload);
    };
    let socket: Socket;
    if (req.scheme === 'https') {
      socket = tlsConnect(
        {
          host: '127.0.0.1',
          port: req.port,
          ...(req.sni !== null ? { servername: req.sni } : {}),
          ca: req.serverCa,
          cert: req.clientCertificate?.cert,
          key: req.clientCertificate?.key,
          // The server certificate is checked by the node:http scenarios; here the SNI may deliberately not match it.
          rejectUnauthorized: false,
          minVersion: 'TLSv1.2',
        },
        () => onConnect(socket),
      );
    } else {
      socket = netConnect({ host: '127.0.0.1', port: req.port }, () => onConnect(socket));
    }
    socket.setTimeout(10000, () => {
      socket.destroy();
      finish('timeout');
    });
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => finish());
    socket.on('close', () => finish());
    socket.on('error', (err) => finish(err.message));
  });
}

function parseResponse(raw: Buffer): Omit<RawResponse, 'error'> {
  const text = raw.toString('utf8');
  const split = text.indexOf('\r\n\r\n');
  if (!text.startsWith('HTTP/') || split < 0) return { status: 0, headers: {}, body: text };
  const [statusLine, ...lines] = text.slice(0, split).split('\r\n');
  const headers: Record<string, string> = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  let body = text.slice(split + 4);
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(body);
  return { status: Number(statusLine.split(' ')[1] ?? 0), headers, body, upstream: parseEcho(headers, body) };
}

function dechunk(body: string): string {
  let out = '';
  let rest = body;
  for (;;) {
    const eol = rest.indexOf('\r\n');
    if (eol < 0) return out;
    const size = parseInt(rest.slice(0, eol), 16);
    if (!size) return out;
    out += rest.slice(eol + 2, eol + 2 + size);
    rest = rest.slice(eol + 2 + size + 2);
  }
}

function parseEcho(headers: Readonly<Record<string, string>>, body: string): EchoedRequest | undefined {
  if (!(headers['content-type'] ?? '').startsWith('application/json')) return undefined;
  try {
    const parsed = JSON.parse(body) as EchoedRequest;
    return typeof parsed.method === 'string' && typeof parsed.headers === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}
