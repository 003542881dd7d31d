import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { CorazaFilterConfig } from '../../../lib/waf/coraza';

/**
 * Client of tools/coraza-host (our Go host: Coraza v3.7.0 + coraza-coreruleset v4.25.0 fed the way built-on-envoy's
 * coraza-waf filter feeds them). Built by scripts/test-deps/20-go-tools.sh into `${EDGE_CACHE_DIR:-.cache}/bin`.
 */

const REPO_ROOT = join(__dirname, '..', '..', '..');

/** Where the binary is. */
export function corazaHostBinary(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.EDGE_CACHE_DIR ?? join(REPO_ROOT, '.cache'), 'bin', 'coraza-host');
}

/** Why the Coraza suites cannot run, or undefined when the binary is there. */
export function corazaHostMissing(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const bin = corazaHostBinary(env);
  if (existsSync(bin)) return undefined;
  return (
    `${bin} is missing: the real-Coraza suite (test/coraza) is SKIPPED and nothing proves the Envoy Gateway WAF text works. ` +
    'Build it with `bash scripts/test-deps/20-go-tools.sh` (Go 1.26; `npm test` runs it as pretest).'
  );
}

/** A request as it reaches the filter (after Envoy's codec and connection manager). */
export interface FilterRequest {
  readonly id: string;
  readonly method: string;
  readonly path: string;
  readonly authority: string;
  readonly scheme: 'http' | 'https';
  readonly protocol: string;
  /** Header entries in order, names lower-case (Envoy's HeaderMap), pseudo-headers excluded (the host adds them). */
  readonly headers: readonly (readonly [string, string])[];
  /** Body bytes. */
  readonly body?: Buffer;
  readonly sourceIp: string;
  /** The upstream's answer, for the response phases (FULL mode). */
  readonly response?: {
    readonly status: number;
    readonly headers: readonly (readonly [string, string])[];
    readonly body: Buffer;
  };
}

/** What the filter decided. */
export interface FilterResult {
  readonly id: string;
  /** The status the filter answers with (403/413/…), or the upstream's when not interrupted (200 without a response). */
  readonly status: number;
  readonly interrupted: boolean;
  /** Matched rules that carry a message, in match order (what an audit record lists). */
  readonly ruleIds: readonly number[];
  /** Phase of the interruption (1 request headers, 2 request body, 3 response headers, 4 response body). */
  readonly phase: number;
  /** Rule that interrupted. */
  readonly blockRule: number;
  readonly error?: string;
}

/** A running coraza-host loaded with one filter config. */
export interface CorazaHost {
  readonly mode: string;
  run(req: FilterRequest): Promise<FilterResult>;
  close(): Promise<void>;
  /** What the directives wrote to /dev/stdout (the JSON audit log), so far. */
  auditLog(): string;
}

function encode(req: FilterRequest): string {
  return JSON.stringify({
    id: req.id,
    method: req.method,
    path: req.path,
    authority: req.authority,
    scheme: req.scheme,
    protocol: req.protocol,
    headers: req.headers,
    body: (req.body ?? Buffer.alloc(0)).toString('base64'),
    sourceIp: req.sourceIp,
    response: req.response
      ? { status: req.response.status, headers: req.response.headers, body: req.response.body.toString('base64') }
      : undefined,
  });
}

/** Starts coraza-host with the filter config; rejects with Coraza's error when the directives do not load. */
export async function startCorazaHost(config: CorazaFilterConfig): Promise<CorazaHost> {
  const dir = mkdtempSync(join(tmpdir(), 'coraza-host-'));
  const file = join(dir, 'filter.json');
  writeFileSync(file, JSON.stringify(config));
  const child = spawn(corazaHostBinary(), ['-config', file], { stdio: ['pipe', 'pipe', 'pipe'] });
  let audit = '';
  child.stderr.on('data', (d: Buffer) => {
    audit += d.toString('utf8');
  });
  const lines = createInterface({ input: child.stdout });
  const waiting: ((line: string) => void)[] = [];
  const buffered: string[] = [];
  lines.on('line', (line) => {
    const next = waiting.shift();
    if (next) next(line);
    else buffered.push(line);
  });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const nextLine = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const b = buffered.shift();
      if (b !== undefined) return resolve(b);
      waiting.push(resolve);
      void exited.then(() => reject(new Error(`coraza-host exited: ${audit.slice(-2000)}`)));
    });
  const close = async (): Promise<void> => {
    child.stdin.end();
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const hello = JSON.parse(await nextLine()) as { loaded: boolean; mode?: string; error?: string };
  if (!hello.loaded) {
    await close();
    throw new Error(`Coraza refused the directives: ${hello.error}`);
  }
  let queue = Promise.resolve();
  return {
    mode: hello.mode ?? '',
    run: (req) => {
      const result = queue.then(async () => {
        child.stdin.write(`${encode(req)}\n`);
        return JSON.parse(await nextLine()) as FilterResult;
      });
      queue = result.then(
        () => undefined,
        () => undefined,
      );
      return result;
    },
    close,
    auditLog: () => audit,
  };
}

/** Coraza's `@rx` verdict on patterns: compiles or not (a one-rule WAF is built for each). */
export function corazaCompiles(patterns: readonly string[]): { ok: boolean; error: string }[] {
  const out = spawnSync(corazaHostBinary(), ['-compile-regex'], {
    input: patterns.map((p) => JSON.stringify(p)).join('\n') + '\n',
    encoding: 'utf8',
  });
  if (out.status !== 0) throw new Error(`coraza-host -compile-regex failed: ${out.stderr}`);
  return out.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { ok: boolean; error: string });
}

/** Coraza's `@rx` result on samples (JavaScript strings whose characters are bytes). */
export function corazaMatches(
  queries: readonly { pattern: string; samples: readonly string[] }[],
): { ok: boolean; error: string; matches: boolean[] }[] {
  const out = spawnSync(corazaHostBinary(), ['-match-regex'], {
    input: queries.map((q) => JSON.stringify(q)).join('\n') + '\n',
    encoding: 'utf8',
  });
  if (out.status !== 0) throw new Error(`coraza-host -match-regex failed: ${out.stderr}`);
  return out.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { ok: boolean; error: string; matches: boolean[] });
}
