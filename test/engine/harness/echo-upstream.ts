import { createHash } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the echo upstream saw: the request as the backend behind the edge receives it. */
export interface EchoedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly bodyLength: number;
  readonly bodySha256: string;
  /** The body as UTF-8 text, cut at 4 KiB. */
  readonly body: string;
}

/** A canned backend answer that leaks internals, served under {@link LEAK_PATH_PREFIX}. */
export interface LeakingResponse {
  readonly contentType: string;
  readonly body: string;
  /** Sent as Content-Encoding (the body itself is not compressed: CRS only looks at the header). @default none */
  readonly contentEncoding?: string;
}

/** Path prefix under which the echo upstream answers with {@link LEAKING_RESPONSES} instead of echoing. */
export const LEAK_PATH_PREFIX = '/__leak/';

const SQL_ERROR =
  "You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '' OR 1=1' at line 1";
const JAVA_TRACE =
  'java.lang.NullPointerException: Cannot invoke "String.length()"\n\tat com.example.records.PatientServlet.doGet(PatientServlet.java:42)\n\tat javax.servlet.http.HttpServlet.service(HttpServlet.java:634)';
const PHP_ERROR =
  '<b>Fatal error</b>:  Uncaught Error: Call to undefined function mysql_connect() in /var/www/html/db.php:12';

/**
 * Backend answers that leak a database error or a stack trace (what CRS's RESPONSE-951/952/953 rules look for), by
 * name: `/__leak/<name>` answers with it.
 */
export const LEAKING_RESPONSES: Readonly<Record<string, LeakingResponse>> = {
  'sql-json': {
    contentType: 'application/json',
    body: JSON.stringify({ error: SQL_ERROR, query: 'SELECT * FROM patients WHERE id = 42' }),
  },
  'sql-html': {
    contentType: 'text/html; charset=utf-8',
    body: `<!doctype html><html><body><h1>Database error</h1><p>${SQL_ERROR}</p></body></html>`,
  },
  'java-json': {
    contentType: 'application/json; charset=utf-8',
    body: JSON.stringify({ status: 500, trace: JAVA_TRACE }),
  },
  'java-html': { contentType: 'text/html', body: `<html><body><pre>${JAVA_TRACE}</pre></body></html>` },
  'php-html': { contentType: 'text/html', body: `<html><body>${PHP_ERROR}</body></html>` },
  'php-problem-json': {
    contentType: 'application/problem+json',
    body: JSON.stringify({ title: 'Internal error', detail: PHP_ERROR }),
  },
  'sql-png': { contentType: 'image/png', body: SQL_ERROR },
  'sql-json-gzip': {
    contentType: 'application/json',
    body: JSON.stringify({ error: SQL_ERROR }),
    contentEncoding: 'gzip',
  },
  'clean-json': {
    contentType: 'application/json',
    body: JSON.stringify({ id: 42, name: 'Patient 42', ward: '3B', status: 'recovering' }),
  },
  'clean-html': {
    contentType: 'text/html',
    body: '<!doctype html><html><body><h1>Appointments</h1><p>No appointments today.</p></body></html>',
  },
};

/** A loopback HTTP server that answers every request with the request itself as JSON (or a leaking answer). */
export interface EchoUpstream {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Starts the echo upstream on a free loopback port. */
export async function startEchoUpstream(): Promise<EchoUpstream> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const echoed: EchoedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        bodyLength: body.length,
        bodySha256: createHash('sha256').update(body).digest('hex'),
        body: body.subarray(0, 4096).toString('utf8'),
      };
      const leak = (req.url ?? '').startsWith(LEAK_PATH_PREFIX)
        ? LEAKING_RESPONSES[(req.url ?? '').slice(LEAK_PATH_PREFIX.length).split('?')[0]]
        : undefined;
      if (leak) {
        res.writeHead(200, {
          'content-type': leak.contentType,
          'content-length': Buffer.byteLength(leak.body),
          ...(leak.contentEncoding ? { 'content-encoding': leak.contentEncoding } : {}),
        });
        res.end(leak.body);
        return;
      }
      const text = JSON.stringify(echoed);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
