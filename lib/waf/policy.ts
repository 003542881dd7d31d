import { checkHostname, checkIntegerInRange, checkUnique, invalid } from '../core/validation';
import { AllowPathsRule, checkAllowPaths, renderAllowPaths } from './allow-paths';
import { AUDIT_RELEVANT_STATUS, DEFAULT_AUDIT_LOG_PARTS, renderAuditContextRule } from './audit';
import { CRS_ROOT, CRS_RULES_GLOB, CRS_VERSION, MODSECURITY_BASE_CONFIG } from './crs';
import { checkDenyRequestHeader, DenyRequestHeaderRule, renderDenyRequestHeader } from './deny-request-header';
import { checkDenySourceIps, DenySourceIpsRule, renderDenySourceIps } from './deny-source-ips';
import {
  checkExclusion,
  exclusionMergeKey,
  MergedExclusionMember,
  renderExclusion,
  renderMergedExclusion,
  RuleExclusion,
} from './exclusion';
import {
  checkRegexLimits,
  RegexLimits,
  RegexMatchLimitAction,
  renderRegexLimitRule,
  renderRegexLimitSettings,
} from './regex-limits';
import { allocateRuleIds, checkCustomRuleId, CUSTOM_RULE_ID_RANGE, SETTINGS_RULE_IDS } from './rule-ids';
import { RULE_TAG_PREFIX } from './rule-text';
import { renderTransactionFactRules } from './transaction-facts';

/**
 * ModSecurity engine mode (`SecRuleEngine`): `On` blocks, `DetectionOnly` evaluates and logs but never blocks,
 * `Off` takes ModSecurity out of the request path (the controller then runs without it).
 */
export type WafEngineMode = 'On' | 'DetectionOnly' | 'Off';

/** The WAF settings and rules of an edge: everything of {@link WafPolicyProps} except the hosts it serves. */
export interface WafPolicyOptions {
  /**
   * Engine mode. Roll out new rules in `DetectionOnly`, read the audit log, then switch to `On`.
   * @default 'DetectionOnly'
   */
  readonly mode?: WafEngineMode;
  /**
   * CRS paranoia level that blocks (`tx.blocking_paranoia_level`), 1–4. Higher levels catch more and raise more
   * false positives.
   * @default 1
   */
  readonly blockingParanoiaLevel?: number;
  /**
   * CRS paranoia level that is evaluated and logged without adding to the blocking score
   * (`tx.detection_paranoia_level`), from `blockingParanoiaLevel` to 4: a way to preview the next level.
   * @default the blocking paranoia level
   */
  readonly detectionParanoiaLevel?: number;
  /**
   * Inbound anomaly score at which CRS blocks a request (`tx.inbound_anomaly_score_threshold`); one critical
   * match scores 5.
   * @default 5
   */
  readonly inboundAnomalyScoreThreshold?: number;
  /**
   * Outbound anomaly score at which CRS blocks a response (`tx.outbound_anomaly_score_threshold`).
   * @default 4
   */
  readonly outboundAnomalyScoreThreshold?: number;
  /**
   * Largest request body ModSecurity accepts, in bytes (`SecRequestBodyLimit`; larger → 413). nginx's own
   * `client_max_body_size` (ingress-nginx `proxy-body-size`, default 1 MiB) applies first.
   * @default 13107200 (12.5 MiB, ModSecurity's recommended value)
   */
  readonly requestBodyLimitBytes?: number;
  /**
   * Largest request body without file uploads, in bytes (`SecRequestBodyNoFilesLimit`); at most
   * `requestBodyLimitBytes`.
   * @default 131072 (128 KiB, ModSecurity's recommended value)
   */
  readonly requestBodyNoFilesLimitBytes?: number;
  /**
   * Buffer and inspect response bodies (`SecResponseBodyAccess On`) of the types in `responseBodyMimeTypes`, so that
   * CRS's response rules (RESPONSE-950…955: SQL, Java, PHP and IIS error leakage, web shells) see them, as in
   * ModSecurity's recommended configuration. Bodies are buffered up to the base config's `SecResponseBodyLimit`
   * (512 KiB, larger ones inspected partially); compressed responses are skipped by CRS (rule 950010). Costs CPU on
   * every inspected response: see docs/benchmarks.md. Opting out (`false`) switches every CRS response-body rule off:
   * libmodsecurity then runs no phase-4 rule at all (v3.0.13 src/transaction.cc `processResponseBody`, line 1218).
   * At detection paranoia level 1 it also sets `tx.crs_skip_response_analysis`, which skips CRS's phase-3 (response
   * header) rules only: CRS 4.22 runs that skip (rule 950021) in phase 3 and skipAfter does not cross phases (CRS PR
   * #4807); measured: 26 → 1 operators per request in phase 3 (bench/rule-work.ts).
   * @default true
   */
  readonly inspectResponseBodies?: boolean;
  /**
   * Response content types whose bodies are inspected when `inspectResponseBodies` is on (`SecResponseBodyMimeType`),
   * in addition to the base config's `text/plain text/html text/xml`: they cannot be removed, because
   * `SecResponseBodyMimeTypesClear` empties the whole list when libmodsecurity merges rule sets
   * (v3.0.13 headers/modsecurity/rules_set_properties.h lines 401-414; on the engine nothing was inspected then).
   * libmodsecurity compares the type before `;` exactly (v3.0.13 src/transaction.cc `addResponseHeader`,
   * `appendResponseBody`), so list lower-case types.
   * @default text/html, text/plain, text/xml, application/json, application/problem+json, application/xml
   */
  readonly responseBodyMimeTypes?: readonly string[];
  /**
   * HTTP methods CRS allows (`tx.allowed_methods`); others are scored as a policy violation.
   * @default CRS's default: GET HEAD POST OPTIONS
   */
  readonly allowedMethods?: readonly string[];
  /**
   * Request content types CRS allows (`tx.allowed_request_content_type`), e.g. `application/json`.
   * @default CRS's default list (form, multipart, XML, JSON and a few more)
   */
  readonly allowedRequestContentTypes?: readonly string[];
  /**
   * Audit-log parts (`SecAuditLogParts`). The default keeps what explains a block and no credentials: A (client,
   * time, method, request-target with its query string), H (rule ids, messages, matched data) and Z; it leaves out
   * request headers (B: `Authorization`, `Cookie`, API keys), response headers (F: `Set-Cookie`) and bodies (C, I, E).
   * Without B a rule adds the Host to each record (message "Request context", `host=…`). See lib/waf/audit.ts for
   * what each part holds and what libmodsecurity 3 cannot redact.
   * @default 'AHZ'
   */
  readonly auditLogParts?: string;
  /**
   * Deny requests from these sources.
   * @default none
   */
  readonly denySourceIps?: readonly DenySourceIpsRule[];
  /**
   * Deny requests carrying these header values.
   * @default none
   */
  readonly denyRequestHeaders?: readonly DenyRequestHeaderRule[];
  /**
   * Path allow-lists: on their host, deny every other path.
   * @default none
   */
  readonly allowPaths?: readonly AllowPathsRule[];
  /**
   * Scoped CRS rule exclusions (false-positive fixes).
   * @default none
   */
  readonly exclusions?: readonly RuleExclusion[];
  /**
   * PCRE match limit of every regex (`SecPcreMatchLimit`), from 1000 to 10000000. libmodsecurity 3.0.14 (the
   * controller image's) enforces it: a regex that hits it does not match, so a CRS rule gives up on a long attack
   * (see `onRegexMatchLimit`). The base config's 1000 is too low for CRS 4.22: on the image's engine it 403s long
   * benign query strings and lets a 1.5 KB JSON value carrying `$(< file)` through; 100000 is what CRS's CI runs with.
   * Higher values cost CPU only on inputs that need the backtracking.
   * @default 100000
   */
  readonly regexMatchLimit?: number;
  /**
   * What happens to a request when a regex hits `regexMatchLimit` (`TX:MSC_PCRE_LIMITS_EXCEEDED`): `'block'` denies
   * it with 403 after every request rule ran (fail closed; replaces the base config's rule 200005, which denied
   * only limit hits of phase 1), `'log'` lets it through with an audit record.
   * @default 'block'
   */
  readonly onRegexMatchLimit?: RegexMatchLimitAction;
}

/** Props of a {@link WafPolicy}. */
export interface WafPolicyProps extends WafPolicyOptions {
  /**
   * Hosts the edge serves. Host-scoped rules and exclusions must name one of them (a typo would otherwise leave a
   * rule that never matches). Wildcards (`*.example.com`) cover one label.
   * @default none: host-scoped rules are rejected
   */
  readonly servedHosts?: readonly string[];
}

type CustomRule =
  | { readonly kind: 'denySourceIps'; readonly field: string; readonly rule: DenySourceIpsRule }
  | { readonly kind: 'denyRequestHeaders'; readonly field: string; readonly rule: DenyRequestHeaderRule }
  | { readonly kind: 'allowPaths'; readonly field: string; readonly rule: AllowPathsRule }
  | { readonly kind: 'exclusions'; readonly field: string; readonly rule: RuleExclusion };

/** A custom rule with the id it was given, as rendered. */
export interface AllocatedRule {
  /** The rule's ModSecurity id (appears in the audit log). */
  readonly id: number;
  /** Which list of the policy it came from. */
  readonly kind: CustomRule['kind'];
  /** Its field path, e.g. `waf.denySourceIps[0]`. */
  readonly field: string;
  /**
   * Id of the rule that renders this one, when it is a host-scoped exclusion merged into an earlier exclusion with
   * the same rules, target and path (its own id then stays reserved but unused).
   * @default rendered as its own rule
   */
  readonly mergedInto?: number;
}

/** What a data plane puts into the shared part of the policy (see {@link WafPolicy.renderRules}). */
export interface PolicyRuleOptions {
  /** Rules that set `tx.edge_waf_host` to the routed host (`/host/`), rendered before the custom rules. */
  readonly routedHostRules: readonly string[];
  /** `@rx` of the response statuses the audit-context rule fires on (the engine's dialect of "4xx but 404, 5xx"). */
  readonly auditRelevantStatus: string;
}

/** A regex a user wrote, with its field path. */
export interface UserRegex {
  /** Field path, e.g. `waf.denyRequestHeaders[0].match.regex`. */
  readonly field: string;
  /** The pattern as written. */
  readonly pattern: string;
  /** The rule matches ignoring case. */
  readonly caseInsensitive: boolean;
}

const FIELD = 'waf';
const HEADER = '# Rendered from a typed WafPolicy (aks-waf-mtls-edge): change the policy, not this text.';
const METHOD = /^[A-Z]{1,20}$/;
const CONTENT_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$/;
const AUDIT_PARTS = /^A[B-KZ]*Z$/;
/** Response types inspected by default: what browsers and APIs get, JSON included. */
const DEFAULT_RESPONSE_BODY_MIME_TYPES: readonly string[] = [
  'text/html',
  'text/plain',
  'text/xml',
  'application/json',
  'application/problem+json',
  'application/xml',
];
/** 1 GiB: ModSecurity's hard ceiling for request body limits. */
const MAX_BODY_BYTES = 1073741824;

/**
 * A typed WAF policy for ModSecurity + OWASP CRS v4, rendered into the ModSecurity configuration the controller
 * loads once, globally: a file of its own ({@link WafPolicy.renderPolicyFile}), which the controller mounts from a
 * ConfigMap and includes from its small, constant `modsecurity-snippet`. It is independent of the controller: the
 * same policy can be rendered for another ModSecurity/Coraza data plane.
 *
 * Every input is validated when it is given (constructor or `addXxx()`); errors name the field, the value and the fix.
 */
export class WafPolicy {
  /** Engine mode. */
  public readonly mode: WafEngineMode;
  /** CRS blocking paranoia level. */
  public readonly blockingParanoiaLevel: number;
  /** CRS detection paranoia level. */
  public readonly detectionParanoiaLevel: number;
  /** CRS inbound anomaly threshold. */
  public readonly inboundAnomalyScoreThreshold: number;
  /** CRS outbound anomaly threshold. */
  public readonly outboundAnomalyScoreThreshold: number;
  /** `SecRequestBodyLimit`. */
  public readonly requestBodyLimitBytes: number;
  /** `SecRequestBodyNoFilesLimit`. */
  public readonly requestBodyNoFilesLimitBytes: number;
  /** `SecResponseBodyAccess`. */
  public readonly inspectResponseBodies: boolean;
  /** `SecResponseBodyMimeType`: the response content types whose bodies are inspected. */
  public readonly responseBodyMimeTypes: readonly string[];
  /**
   * Whether `tx.crs_skip_response_analysis=1` is set: when response bodies are not inspected and the detection
   * paranoia level is 1. It skips CRS's phase-3 response rules only (see `inspectResponseBodies`).
   */
  public readonly skipsResponseAnalysis: boolean;
  /** `SecPcreMatchLimit` and the action on a limit hit. */
  public readonly regexLimits: RegexLimits;
  /** `SecAuditLogParts`. */
  public readonly auditLogParts: string;
  /** Hosts host-scoped rules may name. */
  public readonly servedHosts: readonly string[];
  private readonly allowedMethods?: readonly string[];
  private readonly allowedRequestContentTypes?: readonly string[];
  private readonly rules: CustomRule[] = [];
  private readonly explicitIds = new Map<number, string>();
  private readonly counts: Record<CustomRule['kind'], number> = {
    denySourceIps: 0,
    denyRequestHeaders: 0,
    allowPaths: 0,
    exclusions: 0,
  };

  constructor(props: WafPolicyProps = {}) {
    this.mode = props.mode ?? 'DetectionOnly';
    if (!['On', 'DetectionOnly', 'Off'].includes(this.mode))
      invalid(`${FIELD}.mode`, this.mode, 'is not an engine mode', 'use "On", "DetectionOnly" or "Off"');
    this.blockingParanoiaLevel = checkIntegerInRange(
      `${FIELD}.blockingParanoiaLevel`,
      props.blockingParanoiaLevel ?? 1,
      1,
      4,
      'use a CRS paranoia level from 1 (fewest false positives) to 4',
    );
    this.detectionParanoiaLevel = checkIntegerInRange(
      `${FIELD}.detectionParanoiaLevel`,
      props.detectionParanoiaLevel ?? this.blockingParanoiaLevel,
      1,
      4,
      'use a CRS paranoia level from 1 to 4',
    );
    if (this.detectionParanoiaLevel < this.blockingParanoiaLevel) {
      invalid(
        `${FIELD}.detectionParanoiaLevel`,
        this.detectionParanoiaLevel,
        `is below blockingParanoiaLevel (${this.blockingParanoiaLevel})`,
        'set it at or above the blocking level, or leave it out',
      );
    }
    this.inboundAnomalyScoreThreshold = checkIntegerInRange(
      `${FIELD}.inboundAnomalyScoreThreshold`,
      props.inboundAnomalyScoreThreshold ?? 5,
      1,
      10000,
      'use a positive whole number (CRS default 5: one critical match blocks)',
    );
    this.outboundAnomalyScoreThreshold = checkIntegerInRange(
      `${FIELD}.outboundAnomalyScoreThreshold`,
      props.outboundAnomalyScoreThreshold ?? 4,
      1,
      10000,
      'use a positive whole number (CRS default 4)',
    );
    this.requestBodyLimitBytes = checkIntegerInRange(
      `${FIELD}.requestBodyLimitBytes`,
      props.requestBodyLimitBytes ?? 13107200,
      1,
      MAX_BODY_BYTES,
      `use a positive number of bytes up to ${MAX_BODY_BYTES}`,
    );
    this.requestBodyNoFilesLimitBytes = checkIntegerInRange(
      `${FIELD}.requestBodyNoFilesLimitBytes`,
      props.requestBodyNoFilesLimitBytes ?? 131072,
      1,
      MAX_BODY_BYTES,
      `use a positive number of bytes up to ${MAX_BODY_BYTES}`,
    );
    if (this.requestBodyNoFilesLimitBytes > this.requestBodyLimitBytes) {
      invalid(
        `${FIELD}.requestBodyNoFilesLimitBytes`,
        this.requestBodyNoFilesLimitBytes,
        `is larger than requestBodyLimitBytes (${this.requestBodyLimitBytes})`,
        'keep the no-files limit at or below the overall body limit',
      );
    }
    this.inspectResponseBodies = props.inspectResponseBodies ?? true;
    if (typeof this.inspectResponseBodies !== 'boolean')
      invalid(
        `${FIELD}.inspectResponseBodies`,
        this.inspectResponseBodies,
        'is not a boolean',
        'use true (inspect response bodies, the default) or false',
      );
    this.responseBodyMimeTypes = props.responseBodyMimeTypes ?? DEFAULT_RESPONSE_BODY_MIME_TYPES;
    if (!Array.isArray(this.responseBodyMimeTypes) || this.responseBodyMimeTypes.length === 0)
      invalid(
        `${FIELD}.responseBodyMimeTypes`,
        this.responseBodyMimeTypes,
        'is empty',
        'list at least one content type, or set inspectResponseBodies: false to inspect none',
      );
    this.responseBodyMimeTypes.forEach((t, i) => {
      if (typeof t !== 'string' || !CONTENT_TYPE.test(t))
        invalid(
          `${FIELD}.responseBodyMimeTypes[${i}]`,
          t,
          'is not a media type',
          'use lower-case "type/subtype" without parameters, e.g. "application/json"',
        );
    });
    checkUnique(`${FIELD}.responseBodyMimeTypes`, this.responseBodyMimeTypes);
    // Without response bodies libmodsecurity runs no phase-4 rule; CRS's phase-3 response rules can still be skipped
    // at detection paranoia level 1 (CRS 4.22 rule 950021 is phase 3; measured in docs/benchmarks.md).
    this.skipsResponseAnalysis = !this.inspectResponseBodies && this.detectionParanoiaLevel === 1;
    this.regexLimits = checkRegexLimits(FIELD, props.regexMatchLimit, props.onRegexMatchLimit);
    this.auditLogParts = props.auditLogParts ?? DEFAULT_AUDIT_LOG_PARTS;
    if (
      typeof this.auditLogParts !== 'string' ||
      !AUDIT_PARTS.test(this.auditLogParts) ||
      new Set(this.auditLogParts).size !== this.auditLogParts.length
    ) {
      invalid(
        `${FIELD}.auditLogParts`,
        this.auditLogParts,
        'is not a list of audit-log parts',
        'use letters from A–K, starting with A and ending with Z, each once (e.g. "AHZ")',
      );
    }
    if (props.allowedMethods !== undefined) {
      if (props.allowedMethods.length === 0)
        invalid(
          `${FIELD}.allowedMethods`,
          props.allowedMethods,
          'is empty',
          "list at least one method, or leave it out for CRS's default",
        );
      props.allowedMethods.forEach((m, i) => {
        if (typeof m !== 'string' || !METHOD.test(m))
          invalid(
            `${FIELD}.allowedMethods[${i}]`,
            m,
            'is not an HTTP method',
            'use upper-case method names such as "GET" or "POST"',
          );
      });
      checkUnique(`${FIELD}.allowedMethods`, props.allowedMethods);
      this.allowedMethods = props.allowedMethods;
    }
    if (props.allowedRequestContentTypes !== undefined) {
      if (props.allowedRequestContentTypes.length === 0)
        invalid(
          `${FIELD}.allowedRequestContentTypes`,
          props.allowedRequestContentTypes,
          'is empty',
          "list at least one content type, or leave it out for CRS's default",
        );
      props.allowedRequestContentTypes.forEach((t, i) => {
        if (typeof t !== 'string' || !CONTENT_TYPE.test(t))
          invalid(
            `${FIELD}.allowedRequestContentTypes[${i}]`,
            t,
            'is not a media type',
            'use lower-case "type/subtype" without parameters, e.g. "application/json"',
          );
      });
      checkUnique(`${FIELD}.allowedRequestContentTypes`, props.allowedRequestContentTypes);
      this.allowedRequestContentTypes = props.allowedRequestContentTypes;
    }
    this.servedHosts = props.servedHosts ?? [];
    this.servedHosts.forEach((h, i) => checkHostname(`${FIELD}.servedHosts[${i}]`, h, true));
    checkUnique(`${FIELD}.servedHosts`, this.servedHosts);
    (props.denySourceIps ?? []).forEach((r) => this.addDenySourceIps(r));
    (props.denyRequestHeaders ?? []).forEach((r) => this.addDenyRequestHeader(r));
    (props.allowPaths ?? []).forEach((r) => this.addAllowPaths(r));
    (props.exclusions ?? []).forEach((r) => this.addExclusion(r));
  }

  /** Adds a rule that denies source addresses (field path `waf.denySourceIps[n]`). */
  public addDenySourceIps(rule: DenySourceIpsRule): void {
    const field = this.nextField('denySourceIps');
    checkDenySourceIps(field, rule);
    this.push({ kind: 'denySourceIps', field, rule });
  }

  /** Adds a rule that denies a request header value (field path `waf.denyRequestHeaders[n]`). */
  public addDenyRequestHeader(rule: DenyRequestHeaderRule): void {
    const field = this.nextField('denyRequestHeaders');
    checkDenyRequestHeader(field, rule);
    this.push({ kind: 'denyRequestHeaders', field, rule });
  }

  /** Adds a path allow-list (field path `waf.allowPaths[n]`). */
  public addAllowPaths(rule: AllowPathsRule): void {
    const field = this.nextField('allowPaths');
    checkAllowPaths(field, rule, this.servedHosts);
    this.push({ kind: 'allowPaths', field, rule });
  }

  /** Adds a scoped rule exclusion (field path `waf.exclusions[n]`). */
  public addExclusion(rule: RuleExclusion): void {
    const field = this.nextField('exclusions');
    checkExclusion(field, rule, this.servedHosts);
    this.push({ kind: 'exclusions', field, rule });
  }

  /**
   * The `denySourceIps` rules as given (read-only), with their field paths, e.g. for a data plane that also denies
   * them before the WAF (Envoy Gateway's SecurityPolicy `clientCIDRs`).
   */
  public deniedSourceIps(): readonly { readonly field: string; readonly rule: DenySourceIpsRule }[] {
    return this.rules.flatMap((r) => (r.kind === 'denySourceIps' ? [{ field: r.field, rule: r.rule }] : []));
  }

  /** The custom rules with their ids, in render order. Throws when explicit ids collide. */
  public allocatedRules(): AllocatedRule[] {
    const ids = allocateRuleIds(this.rules.map((r) => ({ field: r.field, id: r.rule.id })));
    const leaders = this.mergeLeaders();
    return this.rules.map((r, i) => ({
      id: ids[i],
      kind: r.kind,
      field: r.field,
      ...(leaders[i] !== i ? { mergedInto: ids[leaders[i]] } : {}),
    }));
  }

  /**
   * The complete ModSecurity configuration, as libmodsecurity reads it: the base config, then
   * {@link renderPolicyFile}. Kept for data planes that take one text (it is what the controller loads).
   */
  public renderModSecurityConfig(): string {
    return [HEADER, `Include ${MODSECURITY_BASE_CONFIG}`, this.renderPolicyFile().split('\n').slice(1).join('\n')].join(
      '\n',
    );
  }

  /**
   * The policy as a ModSecurity configuration file (read by libmodsecurity directly, no nginx quoting): engine and
   * audit settings, CRS setup and variables, custom rules, then the CRS rules (loaded here, once). Everything the
   * controller loads after the image's base `modsecurity.conf`; the controller mounts it from its own ConfigMap.
   */
  public renderPolicyFile(): string {
    const lines: string[] = [
      HEADER,
      `SecRuleEngine ${this.mode}`,
      'SecRequestBodyAccess On',
      `SecRequestBodyLimit ${this.requestBodyLimitBytes}`,
      `SecRequestBodyNoFilesLimit ${this.requestBodyNoFilesLimitBytes}`,
      'SecRequestBodyLimitAction Reject',
      ...renderRegexLimitSettings(this.regexLimits),
      `SecResponseBodyAccess ${this.inspectResponseBodies ? 'On' : 'Off'}`,
      ...(this.inspectResponseBodies ? [`SecResponseBodyMimeType ${this.responseBodyMimeTypes.join(' ')}`] : []),
      'SecAuditEngine RelevantOnly',
      `SecAuditLogRelevantStatus "${AUDIT_RELEVANT_STATUS}"`,
      `SecAuditLogParts ${this.auditLogParts}`,
      'SecAuditLogFormat JSON',
      'SecAuditLogType Serial',
      'SecAuditLog /dev/stdout',
      `Include ${CRS_ROOT}/crs-setup.conf`,
      ...this.renderRules({
        routedHostRules: renderTransactionFactRules(SETTINGS_RULE_IDS, RULE_TAG_PREFIX),
        auditRelevantStatus: AUDIT_RELEVANT_STATUS,
      }),
      `# OWASP CRS v${CRS_VERSION}, loaded once for the whole controller`,
      `Include ${CRS_RULES_GLOB}`,
      ...renderRegexLimitRule(this.regexLimits, SETTINGS_RULE_IDS.regexMatchLimit),
    ];
    return `${lines.join('\n')}\n`;
  }

  /**
   * The part of the policy every data plane renders alike, between the CRS setup file and the CRS rules: the CRS
   * variables, the audit-context rule, the data plane's rules that put the routed host into `tx.edge_waf_host`
   * (`options.routedHostRules`), then the custom rules in declaration order (merged exclusions once). Used by the
   * ingress-nginx policy file ({@link renderPolicyFile}) and the Coraza directives (lib/waf/coraza.ts).
   * @internal
   */
  public renderRules(options: PolicyRuleOptions): string[] {
    const ids = allocateRuleIds(this.rules.map((r) => ({ field: r.field, id: r.rule.id })));
    const leaders = this.mergeLeaders();
    const lines: string[] = [
      secAction(SETTINGS_RULE_IDS.crsVariables, [
        `setvar:tx.blocking_paranoia_level=${this.blockingParanoiaLevel}`,
        `setvar:tx.detection_paranoia_level=${this.detectionParanoiaLevel}`,
        `setvar:tx.inbound_anomaly_score_threshold=${this.inboundAnomalyScoreThreshold}`,
        `setvar:tx.outbound_anomaly_score_threshold=${this.outboundAnomalyScoreThreshold}`,
      ]),
    ];
    if (this.allowedMethods)
      lines.push(
        secAction(SETTINGS_RULE_IDS.allowedMethods, [`setvar:'tx.allowed_methods=${this.allowedMethods.join(' ')}'`]),
      );
    if (this.allowedRequestContentTypes) {
      lines.push(
        secAction(SETTINGS_RULE_IDS.allowedContentTypes, [
          `setvar:'tx.allowed_request_content_type=${this.allowedRequestContentTypes.map((t) => `|${t}|`).join(' ')}'`,
        ]),
      );
    }
    if (!this.auditLogParts.includes('B'))
      lines.push(...renderAuditContextRule(SETTINGS_RULE_IDS.auditContext, options.auditRelevantStatus));
    if (this.skipsResponseAnalysis)
      lines.push(secAction(SETTINGS_RULE_IDS.skipResponseAnalysis, ['setvar:tx.crs_skip_response_analysis=1']));
    lines.push(...options.routedHostRules);
    const groups = new Map<number, MergedExclusionMember[]>();
    leaders.forEach((leader, j) => {
      if (!groups.has(leader)) groups.set(leader, []);
      groups.get(leader)!.push({ field: this.rules[j].field, rule: this.rules[j].rule as RuleExclusion });
    });
    this.rules.forEach((r, i) => {
      const members = groups.get(i);
      if (!members) return;
      lines.push(...(members.length > 1 ? renderMergedExclusion(members, ids[i]) : renderRule(r, ids[i])));
    });
    return lines;
  }

  /**
   * The regexes users wrote (`denyRequestHeaders[n].match.regex`), with their field paths: for data planes whose
   * regex engine accepts less than the checks of pcre.ts (Coraza's RE2, see lib/waf/coraza.ts).
   * @internal
   */
  public userRegexes(): UserRegex[] {
    return this.rules.flatMap((r) =>
      r.kind === 'denyRequestHeaders' && 'regex' in r.rule.match
        ? [
            {
              field: `${r.field}.match.regex`,
              pattern: r.rule.match.regex,
              caseInsensitive: r.rule.ignoreCase === true,
            },
          ]
        : [],
    );
  }

  /** For each rule, the index of the rule that renders it (itself, or the first exclusion of its merge group). */
  private mergeLeaders(): number[] {
    const first = new Map<string, number>();
    return this.rules.map((r, i) => {
      const key = r.kind === 'exclusions' ? exclusionMergeKey(r.rule) : undefined;
      if (key === undefined) return i;
      if (!first.has(key)) first.set(key, i);
      return first.get(key)!;
    });
  }

  private nextField(kind: CustomRule['kind']): string {
    return `${FIELD}.${kind}[${this.counts[kind]++}]`;
  }

  private push(rule: CustomRule): void {
    // Fail on bad or colliding explicit ids as soon as the rule is added, not only at render time (the same checks
    // and messages as allocateRuleIds, without re-running it over every rule: linear for thousands of tenants).
    const id = rule.rule.id;
    if (id !== undefined) {
      checkCustomRuleId(`${rule.field}.id`, id);
      const other = this.explicitIds.get(id);
      if (other !== undefined)
        invalid(
          `${rule.field}.id`,
          id,
          `is already the id of ${other}`,
          'give every custom rule its own id, or leave ids out to have them allocated',
        );
      this.explicitIds.set(id, rule.field);
    }
    // Explicit ids are unique and inside the custom range, so allocation fails exactly when the range is full.
    if (this.rules.length >= CUSTOM_RULE_ID_RANGE.last - CUSTOM_RULE_ID_RANGE.first + 1) {
      invalid(
        rule.field,
        rule.rule,
        `needs a rule id but all of ${CUSTOM_RULE_ID_RANGE.first}–${CUSTOM_RULE_ID_RANGE.last} are taken`,
        'merge rules (one rule can deny many addresses or header values)',
      );
    }
    this.rules.push(rule);
  }
}

function secAction(id: number, setvars: readonly string[]): string {
  return `SecAction "id:${id},phase:1,pass,nolog,t:none,${setvars.join(',')}"`;
}

function renderRule(r: CustomRule, id: number): string[] {
  switch (r.kind) {
    case 'denySourceIps':
      return renderDenySourceIps(r.rule, id);
    case 'denyRequestHeaders':
      return renderDenyRequestHeader(r.rule, id);
    case 'allowPaths':
      return renderAllowPaths(r.rule, id);
    case 'exclusions':
      return renderExclusion(r.rule, id);
  }
}
