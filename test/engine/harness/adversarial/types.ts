import type { ClientIdentity } from '../engine';

/**
 * The adversarial suite: per mechanism, a table of request shapes an attacker would use, each with the outcome the
 * edge must produce. Tables are data — to add a case, add a row; to add a mechanism, add a table file and one line
 * in ./index.ts. The conformance suite (test/engine/adversarial.test.ts) and `npm run verify` run every row in
 * every controller state its table lists, against the real engine.
 *
 * Host names are written as placeholders, resolved from the dist under test:
 * - `{api}`: the scenario's mTLS API host (the first Ingress host with mutual TLS),
 * - `{portal}`: the second host (the one the host- and path-scoped WAF rules are written for),
 * - `{acme-token}`: the token of the modelled cert-manager HTTP-01 solver location.
 */

/** Mechanisms under test (one table each). */
export type Mechanism = 'mtls' | 'host-scope' | 'path-scope' | 'header-rules' | 'ip-rules';

/**
 * States a row runs in: the two states of the controller's Lua HTTPS redirect on the dist under test (see
 * RedirectState in nginx-conf.ts); `https-redirect-off`, the reference deployment synthesized with
 * `app.httpsRedirect: false`; and `custom-rules-only`, the reference deployment synthesized with
 * `waf.inboundAnomalyScoreThreshold: 10000`, where CRS scores but never blocks — what the custom rules (allow-lists,
 * deny rules) do on their own, without CRS happening to score the same request (e.g. 921190 scores a `%0a` in a path).
 */
export type EngineState =
  'certificate-configured' | 'certificate-not-configured' | 'https-redirect-off' | 'custom-rules-only';

/** Every engine state, in the order the suite runs them. */
export const ENGINE_STATES: readonly EngineState[] = [
  'certificate-configured',
  'certificate-not-configured',
  'https-redirect-off',
  'custom-rules-only',
];

/** The request of a row, written as the attacker sends it. */
export interface RowRequest {
  /**
   * Port 80 (`http`) or 443 (`https`).
   * @default 'https'
   */
  readonly scheme?: 'http' | 'https';
  /**
   * Request method.
   * @default 'GET'
   */
  readonly method?: string;
  /** Request target as sent on the request line: origin form (`/admin`) or absolute form (`https://{portal}/admin`). */
  readonly target: string;
  /**
   * Value of the Host header, exactly (placeholders resolved); `null` sends no Host header.
   * @default '{api}'
   */
  readonly host?: string | null;
  /**
   * TLS server name (https only); `null` sends no SNI.
   * @default the host of `host` without port and trailing dot, else `{api}`
   */
  readonly sni?: string | null;
  /**
   * Protocol on the request line.
   * @default 'HTTP/1.1'
   */
  readonly protocol?: 'HTTP/1.1' | 'HTTP/1.0';
  /**
   * Client certificate presented (https only).
   * @default the first client declared in dist (valid, allow-listed)
   */
  readonly identity?: ClientIdentity;
  /**
   * Extra header lines, verbatim (`name: value`; whitespace and case kept).
   * @default none
   */
  readonly headers?: readonly string[];
  /**
   * Emulated source address.
   * @default 198.51.100.23 (an address no rule denies)
   */
  readonly clientIp?: string;
  /**
   * Request body (sent with Content-Length).
   * @default none
   */
  readonly body?: string;
}

/** Where the request must end up. */
export type Outcome =
  /** Proxied to this backend location (`api`/`portal` Ingress, or cert-manager's solver) with status 200. */
  | { readonly kind: 'backend'; readonly route: 'api' | 'portal' | 'acme-solver' }
  /** Answered by the edge with one of these statuses; no backend saw it. `by: 'waf'` also requires an audit record. */
  | { readonly kind: 'refused'; readonly status: number | readonly number[]; readonly by?: 'waf' | 'nginx' | 'envoy' }
  /** Redirected to `location` (placeholders resolved) with one of these statuses; no backend saw it. */
  | { readonly kind: 'redirect'; readonly status: number | readonly number[]; readonly location: string };

/** One request shape and its expected outcome. */
export interface AdversarialRow {
  /** Stable id, unique in its table (kebab-case). */
  readonly id: string;
  /** What the attacker tries, in a few words. */
  readonly title: string;
  readonly request: RowRequest;
  /** The required outcome, possibly per state. */
  readonly expect: Outcome | ((state: EngineState) => Outcome);
  /**
   * States this row runs in.
   * @default every state of its table
   */
  readonly states?: readonly EngineState[];
  /**
   * Why the row's outcome depends on CRS 4.22's rules (what the image ships): with the Debian CRS 3 fallback (no
   * ../shared) the row is reported NOT CHECKED instead of run.
   * @default the outcome does not depend on the CRS version
   */
  readonly requiresCrs4?: string;
  /**
   * On Envoy Gateway + Coraza (test/coraza), where the outcome differs from `expect`: the outcome there (or
   * `'not-modelled'` when it is decided by Envoy code the harness cannot run), and why.
   * @default the same outcome as `expect` (`by: 'nginx'` then means the proxy in front of the WAF)
   */
  readonly coraza?: CorazaExpectation;
}

/** A row's outcome on Envoy Gateway + Coraza, where it differs from ingress-nginx's. */
export interface CorazaExpectation {
  readonly expect: Outcome | 'not-modelled';
  /** Why the data planes differ here (cite the source). */
  readonly reason: string;
}

/** The table of one mechanism. */
export interface AdversarialTable {
  readonly mechanism: Mechanism;
  /** One line: what the table proves. */
  readonly title: string;
  /** States every row runs in unless it lists its own. */
  readonly states: readonly EngineState[];
  readonly rows: readonly AdversarialRow[];
  /**
   * Checked on every row whose request reached a backend: returns a problem, or undefined when fine (e.g. "the
   * portal only ever sees paths inside its allow-list"). `uri` is nginx's normalized path (`$uri`).
   * @default no extra check
   */
  readonly invariant?: (reached: { readonly route: string; readonly uri: string }) => string | undefined;
}
