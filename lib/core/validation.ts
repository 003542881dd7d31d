import type { IConstruct } from 'constructs';

/**
 * The brand every {@link ValidationError} carries: a registry symbol (`Symbol.for`), so two copies of the package
 * agree on it. The key names the package; changing it would break recognition across versions.
 */
const VALIDATION_ERROR_BRAND = Symbol.for('aks-waf-mtls-edge.ValidationError');

/**
 * Validation errors shared by every construct. A message always names the field, the bad value and the fix,
 * so a failed `npm run synth` tells the user exactly what to change (and writes nothing). An error raised by a
 * construct also names the construct and its path (`ModSecurityController "edge/controller": replicas: 1 ...`), and
 * its {@link field} is then the prop path as the user wrote it in that construct's props; the reference deployment
 * names its config paths instead (`controller.replicas`). Recognise one with {@link ValidationError.isValidationError},
 * not `instanceof` (which fails across two installed copies).
 */
export class ValidationError extends Error {
  /**
   * Whether `x` is a {@link ValidationError} from any installed copy of this package. Use it instead of
   * `instanceof`: when an app ends up with two copies (a library of yours depends on one version, the app on
   * another), each copy has its own class and `instanceof` is false for the other's errors. The check reads a brand
   * registered with `Symbol.for`, which is one symbol per JavaScript realm, whatever copy created it.
   */
  public static isValidationError(x: unknown): x is ValidationError {
    return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[VALIDATION_ERROR_BRAND] === true;
  }

  /** Path of the offending field, e.g. `denySourceIps[2]` (a construct's prop path) or `waf.denySourceIps[2]`. */
  public readonly field: string;
  /** The rejected value as the user gave it. */
  public readonly value: unknown;
  /** What is wrong with the value, e.g. `is not a valid Kubernetes name (RFC 1123 label)`. */
  public readonly problem: string;
  /** What to do instead. */
  public readonly fix: string;
  /**
   * The construct whose props hold {@link field}.
   * @default undefined: not raised by a construct (a config or a plain function)
   */
  public readonly construct?: ConstructLocation;

  constructor(field: string, value: unknown, problem: string, fix: string, construct?: ConstructLocation) {
    const where = construct ? `${construct.kind} "${construct.path}": ` : '';
    super(`${where}${field}: ${describe(value)} ${problem}. Fix: ${fix}`);
    this.name = 'ValidationError';
    this.field = field;
    this.value = value;
    this.problem = problem;
    this.fix = fix;
    this.construct = construct;
    Object.defineProperty(this, VALIDATION_ERROR_BRAND, { value: true });
  }
}

/** Which construct a {@link ValidationError} belongs to. */
export interface ConstructLocation {
  /** The construct's class, e.g. `ModSecurityController`. */
  readonly kind: string;
  /** The construct path (`node.path`), e.g. `hospital-edge/controller`. */
  readonly path: string;
}

/** Throws a {@link ValidationError}; reads as a statement at call sites. */
export function invalid(field: string, value: unknown, problem: string, fix: string): never {
  throw new ValidationError(field, value, problem, fix);
}

/**
 * The validator of one construct's props: runs checks and names the construct in the errors they raise, so that the
 * field of each is the prop path the user wrote in that construct's props (`resources.limits.memory`). Get one with
 * {@link propsValidator} at the top of the constructor.
 */
export interface PropsValidator {
  /** Where errors of this construct point. */
  readonly location: ConstructLocation;
  /**
   * Runs `check` and returns its result; a {@link ValidationError} it throws is thrown again naming the construct
   * (an error that already names a construct, e.g. of a child, passes unchanged).
   */
  check<T>(check: () => T): T;
  /** Throws a {@link ValidationError} of this construct. */
  invalid(field: string, value: unknown, problem: string, fix: string): never;
  /**
   * Registers `check` to run when the app is synthesized (`node.addValidation()`): for facts known only after the
   * constructor, such as calls to methods (`addClient`, `trustIn`). A {@link ValidationError} it throws becomes a
   * validation message of the construct; `synthesizeCharts` (lib/synth/synth-charts.ts) throws it again as is.
   */
  late(check: () => void): void;
}

/** The {@link PropsValidator} of `construct`, a `kind` (its class name, e.g. `MtlsIngress`). */
export function propsValidator(construct: IConstruct, kind: string): PropsValidator {
  const location: ConstructLocation = { kind, path: construct.node.path };
  const check = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      throw locate(err, location);
    }
  };
  return {
    location,
    check,
    invalid: (field, value, problem, fix) => {
      throw new ValidationError(field, value, problem, fix, location);
    },
    late: (fn) =>
      construct.node.addValidation({
        validate: () => {
          try {
            fn();
            return [];
          } catch (err) {
            const located = locate(err, location);
            if (!ValidationError.isValidationError(located)) throw located;
            recordLateError(construct, located);
            return [located.message];
          }
        },
      }),
  };
}

/**
 * Runs `build` and reports the {@link ValidationError}s it raises under the paths the caller's user wrote: `paths`
 * maps a field (a prop path of the construct `build` makes, or a prefix of one: `hosts[0]` covers `hosts[0].host`)
 * to the path it came from (`app.hosts[1]`). A mapped error names no construct; errors of fields not in `paths`
 * pass unchanged. Two callers: the reference deployment (lib/reference), the one place a construct's prop path
 * becomes a config path, and a construct that builds children from its own props (EdgeMonitoring), inside its
 * {@link PropsValidator.check} so the error then names it and its prop path.
 */
export function withFieldPaths<T>(paths: Readonly<Record<string, string>>, build: () => T): T {
  try {
    return build();
  } catch (err) {
    if (!ValidationError.isValidationError(err)) throw err;
    const field = mappedPath(err.field, paths);
    if (field === undefined) throw err;
    const mapped = new ValidationError(field, err.value, err.problem, err.fix);
    mapped.stack = err.stack;
    throw mapped;
  }
}

/** `field` with its longest prefix found in `paths` replaced; undefined when none matches. */
function mappedPath(field: string, paths: Readonly<Record<string, string>>): string | undefined {
  let best: string | undefined;
  for (const prefix of Object.keys(paths)) {
    const matches = field === prefix || field.startsWith(`${prefix}.`) || field.startsWith(`${prefix}[`);
    if (matches && (best === undefined || prefix.length > best.length)) best = prefix;
  }
  return best === undefined ? undefined : `${paths[best]}${field.slice(best.length)}`;
}

/** `err` naming the construct at `location`, if it is a {@link ValidationError} that names none yet. */
function locate(err: unknown, location: ConstructLocation): unknown {
  if (!ValidationError.isValidationError(err) || err.construct !== undefined) return err;
  const located = new ValidationError(err.field, err.value, err.problem, err.fix, location);
  located.stack = err.stack;
  return located;
}

/** Where late checks leave their errors on the construct (a registry symbol, read across package copies). */
const LATE_ERRORS = Symbol.for('aks-waf-mtls-edge.lateValidationErrors');

function recordLateError(construct: IConstruct, err: ValidationError): void {
  const holder = construct as unknown as Record<symbol, Map<string, ValidationError> | undefined>;
  if (!holder[LATE_ERRORS]) Object.defineProperty(holder, LATE_ERRORS, { value: new Map() });
  holder[LATE_ERRORS]?.set(err.message, err);
}

/**
 * The {@link ValidationError} behind `message`, one of the messages `construct.node.validate()` returned, when a late
 * check ({@link PropsValidator.late}) raised it.
 * @returns undefined for messages of other validations
 */
export function lateValidationError(construct: IConstruct, message: string): ValidationError | undefined {
  return (construct as unknown as Record<symbol, Map<string, ValidationError> | undefined>)[LATE_ERRORS]?.get(message);
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** Integer in [min, max], inclusive. */
export function checkIntegerInRange(field: string, value: number, min: number, max: number, fix?: string): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    invalid(
      field,
      value,
      `is not an integer between ${min} and ${max}`,
      fix ?? `use a whole number from ${min} to ${max}`,
    );
  }
  return value;
}

/** RFC 1123 label: what Kubernetes requires of namespace and most object names. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** RFC 1123 subdomain: what Kubernetes requires of most object names. */
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function checkDnsLabel(field: string, value: string): string {
  if (typeof value !== 'string' || !DNS_LABEL.test(value)) {
    invalid(
      field,
      value,
      'is not a valid Kubernetes name (RFC 1123 label)',
      'use at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit',
    );
  }
  return value;
}

export function checkDnsSubdomain(field: string, value: string): string {
  if (typeof value !== 'string' || !DNS_SUBDOMAIN.test(value)) {
    invalid(
      field,
      value,
      'is not a valid Kubernetes object name (RFC 1123 subdomain)',
      'use lower-case letters, digits, "-" and ".", at most 253 characters, starting and ending with a letter or digit',
    );
  }
  return value;
}

/**
 * A fully qualified DNS host name as used in an Ingress rule. Wildcards are allowed only when `allowWildcard`
 * is set, and then only as the whole left-most label (`*.example.com`), as Kubernetes requires.
 */
export function checkHostname(field: string, value: string, allowWildcard = false): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 253) {
    invalid(field, value, 'is not a host name', 'use a fully qualified DNS name such as "api.example.com"');
  }
  const labels = value.split('.');
  if (labels.length < 2)
    invalid(field, value, 'is not a fully qualified host name', 'use a name with a domain, such as "api.example.com"');
  labels.forEach((label, i) => {
    if (label === '*') {
      if (!allowWildcard)
        invalid(
          field,
          value,
          'is a wildcard host, which is not allowed here',
          'name each host explicitly, e.g. "api.example.com"',
        );
      if (i !== 0)
        invalid(
          field,
          value,
          'has "*" outside the left-most label',
          'a wildcard must be the whole first label, e.g. "*.example.com"',
        );
      if (labels.length < 3)
        invalid(
          field,
          value,
          'is a wildcard over a top-level domain',
          'use a wildcard below a registered domain, e.g. "*.example.com"',
        );
      return;
    }
    if (!DNS_LABEL.test(label)) {
      invalid(
        field,
        value,
        `has an invalid label "${label}"`,
        'use lower-case letters, digits and "-" in each dot-separated label (IP addresses and upper case are not host names)',
      );
    }
  });
  if (/^[0-9]+$/.test(labels[labels.length - 1]))
    invalid(field, value, 'looks like an IP address', 'Ingress hosts must be DNS names');
  return value;
}

/** Rejects duplicates in a list, naming the first repeated value. */
export function checkUnique<T>(field: string, values: readonly T[], key: (v: T) => string = String): void {
  const seen = new Set<string>();
  for (const v of values) {
    const k = key(v);
    if (seen.has(k)) invalid(field, k, 'appears more than once', 'list each entry once');
    seen.add(k);
  }
}

/**
 * Template openers that a consumer of our output evaluates inside plain strings: Terraform (`${…}` interpolation and
 * `%{…}` directives, in JSON configuration too — cdktf writes user strings verbatim; Terraform's escapes are `$${` and
 * `%%{`), Go templates (`{{…}}`: Prometheus alert annotations, Alertmanager, Helm) and Grafana/Argo CD variables.
 */
const TEMPLATE_OPENERS: readonly { readonly text: string; readonly who: string }[] = [
  { text: '${', who: 'Terraform interpolation' },
  { text: '%{', who: 'a Terraform template directive' },
  { text: '{{', who: 'a Go template (Prometheus, Alertmanager)' },
];

/** Rejects a string that a downstream language would evaluate as a template (see {@link TEMPLATE_OPENERS}). */
export function checkNoTemplate(field: string, value: string): string {
  if (typeof value !== 'string') invalid(field, value, 'is not a string', 'give plain text');
  const found = TEMPLATE_OPENERS.find((t) => value.includes(t.text));
  if (found) {
    invalid(
      field,
      value,
      `contains "${found.text}", which ${found.who} would evaluate (it could read files or variables at apply time)`,
      `remove "${found.text}"; this value is written verbatim and must be plain text`,
    );
  }
  return value;
}

/**
 * Rejects `${` / `%{` in every string of a props tree (object keys included), naming the path: what cdktf writes
 * verbatim into Terraform JSON, where Terraform would evaluate it.
 */
export function checkNoTerraformTemplates(field: string, value: unknown): void {
  if (typeof value === 'string') {
    if (value.includes('${') || value.includes('%{')) checkNoTemplate(field, value);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => checkNoTerraformTemplates(`${field}[${i}]`, v));
    return;
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    for (const [k, v] of Object.entries(value)) {
      const path = field ? `${field}.${k}` : k;
      if (k.includes('${') || k.includes('%{')) checkNoTemplate(path, k);
      checkNoTerraformTemplates(path, v);
    }
  }
}

/** Options of {@link checkUrl}. */
export interface UrlCheckOptions {
  /** URL schemes allowed, without `:` (e.g. `['https']`). */
  readonly schemes: readonly string[];
  /**
   * A user name allowed in the URL (`git` in `ssh://git@host/…`); never a password.
   * @default no user name
   */
  readonly allowedUser?: string;
  /** What a right value looks like, for the fix. */
  readonly example: string;
}

/**
 * An absolute URL that is safe to write into a manifest: an allowed scheme, a host, no credentials (user info), no
 * query (where tokens such as `?access_token=` travel) and no fragment, no whitespace, no template text. The value is
 * withheld from the message when it may carry a credential.
 */
export function checkUrl(field: string, value: string, options: UrlCheckOptions): string {
  const fix = `use a URL such as ${options.example}`;
  // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048 || /[\s\u0000-\u001f\u007f]/.test(value)) {
    invalid(field, value, 'is not a URL (empty, too long, or with whitespace or control characters)', fix);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return invalid(field, value, 'is not an absolute URL', fix);
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (!options.schemes.includes(scheme))
    invalid(
      field,
      value,
      `uses the scheme "${scheme}"`,
      `use ${options.schemes.map((s) => `${s}://`).join(' or ')}; ${fix}`,
    );
  if (url.hostname === '') invalid(field, value, 'has no host', fix);
  const credentialFix =
    'remove it: give credentials to the tool that reads this URL as a Secret (an Argo CD repository Secret, a Flux secretRef), never in dist/';
  if (url.password !== '' || (url.username !== '' && url.username !== options.allowedUser)) {
    invalid(
      field,
      '(URL with user info; value withheld)',
      'contains credentials (user info before "@")',
      credentialFix,
    );
  }
  if (url.search !== '' || value.includes('?'))
    invalid(
      field,
      '(URL with a query; value withheld)',
      'has a query string, where tokens such as ?access_token= travel',
      credentialFix,
    );
  if (url.hash !== '' || value.includes('#'))
    invalid(field, value, 'has a fragment ("#…")', `drop the "#" part; ${fix}`);
  checkNoTemplate(field, value);
  return value;
}

const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** Kubernetes labels: each key an optional DNS-subdomain prefix and a name, each value at most 63 name characters. */
export function checkKubernetesLabels(
  field: string,
  labels: Readonly<Record<string, string>>,
): Readonly<Record<string, string>> {
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels))
    invalid(field, labels, 'is not a map of labels', 'give an object such as { release: "kube-prometheus-stack" }');
  for (const [k, v] of Object.entries(labels)) {
    if (!LABEL_KEY.test(k) || k.length > 317)
      invalid(
        `${field}.${k}`,
        k,
        'is not a Kubernetes label key',
        'use [prefix/]name with letters, digits, "-", "_" and ".", e.g. "app.kubernetes.io/name"',
      );
    if (typeof v !== 'string' || !LABEL_VALUE.test(v))
      invalid(
        `${field}.${k}`,
        v,
        'is not a Kubernetes label value',
        'use at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit',
      );
  }
  return labels;
}

/** A Prometheus / Loki label name (`[a-zA-Z_][a-zA-Z0-9_]*`); names starting with `__` are reserved. */
export function checkPrometheusLabelName(field: string, name: string): string {
  if (typeof name !== 'string' || !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name) || name.startsWith('__')) {
    invalid(
      field,
      name,
      'is not a Prometheus/Loki label name',
      'use letters, digits and "_", not starting with a digit or "__" (e.g. "namespace")',
    );
  }
  return name;
}
