import { checkDnsLabel, checkDnsSubdomain, invalid } from '../core/validation';
import { escapeForNginxSingleQuotes } from '../waf/text';
import { declare } from './declaration';

/**
 * The controller ConfigMap keys we emit (ingress-nginx v1.15.1, internal/ingress/controller/config/config.go),
 * one declaration each, with the validation the controller and its nginx.tmpl impose. Booleans are read with
 * Go's weakly typed decoding; we always write "true"/"false".
 */
const bool = (field: string, value: boolean): string => {
  if (typeof value !== 'boolean') invalid(field, value, 'is not a boolean', 'use true or false');
  return value ? 'true' : 'false';
};

/**
 * Largest `modsecurity-snippet`, in bytes after escaping. nginx.tmpl emits `modsecurity_rules '\n      <snippet>\n
 * ';`
 * and nginx rejects a directive parameter of 4095 bytes or more ("too long parameter", ingress-nginx issue #8032):
 * 4094 − 12 bytes of template whitespace. The reason the WAF policy lives in a file of its own (see
 * `WAF_POLICY_CONFIG_MAP`): the snippet only includes it, so its size no longer depends on the policy.
 */
export const MODSECURITY_SNIPPET_MAX_BYTES = 4082;

export const ALLOW_SNIPPET_ANNOTATIONS = declare<boolean>({
  name: 'allow-snippet-annotations',
  doc: 'Whether Ingress snippet annotations (configuration-snippet, modsecurity-snippet, ...) are honoured. Default false; keep it false.',
  render: bool,
});

export const ENABLE_MODSECURITY = declare<boolean>({
  name: 'enable-modsecurity',
  doc: 'Loads the ModSecurity module and turns it on for every location (`modsecurity on;` in the http block).',
  render: bool,
});

export const ENABLE_OWASP_MODSECURITY_CRS = declare<boolean>({
  name: 'enable-owasp-modsecurity-crs',
  doc: "Loads the image's CRS include file after the modsecurity snippet. We load CRS from the snippet instead (explicit order), so this stays false to avoid loading it twice.",
  render: bool,
});

export const MODSECURITY_SNIPPET = declare<string>({
  name: 'modsecurity-snippet',
  doc: "ModSecurity configuration pasted into `modsecurity_rules '…';` in the http block; replaces the base modsecurity.conf. We keep it to two Include lines (base config, then the WAF policy file mounted from its own ConfigMap), escaped here for nginx.",
  render: (field, text) => {
    if (typeof text !== 'string' || text.trim() === '')
      invalid(field, text, 'is empty', 'render a WafPolicy into the snippet, or turn ModSecurity off');
    if (text.includes('\u0000')) invalid(field, text.slice(0, 40), 'contains a NUL byte', 'remove it');
    const escaped = escapeForNginxSingleQuotes(text);
    const bytes = Buffer.byteLength(escaped, 'utf8');
    if (bytes > MODSECURITY_SNIPPET_MAX_BYTES) {
      invalid(
        field,
        `${bytes} bytes`,
        `is longer than the ${MODSECURITY_SNIPPET_MAX_BYTES} bytes nginx accepts in one directive parameter (the controller would fail to reload)`,
        'keep the snippet to Include lines: put the ModSecurity rules in a mounted file (ModSecurityController renders the WafPolicy into the ConfigMap ingress-nginx-waf-policy) and include it',
      );
    }
    return escaped;
  },
});

/** A reference to a ConfigMap as the controller reads it: `namespace/name`. */
export interface ConfigMapRef {
  readonly namespace: string;
  readonly name: string;
}

export const PROXY_SET_HEADERS = declare<ConfigMapRef>({
  name: 'proxy-set-headers',
  doc: 'namespace/name of a ConfigMap whose entries become `proxy_set_header <key> "<value>";` in every proxied location (values may use nginx variables).',
  render: (field, ref) =>
    `${checkDnsLabel(`${field}.namespace`, ref?.namespace)}/${checkDnsSubdomain(`${field}.name`, ref?.name)}`,
});

const HEADER_NAME = /^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$/;
/**
 * What a proxy-set-headers value may not hold once its nginx variables are removed: control characters, quotes, `\`,
 * `;`, braces.
 */
// eslint-disable-next-line no-control-regex -- rejecting control characters is the point
const UNSAFE_HEADER_VALUE = /[\u0000-\u001f\u007f"'\\;{}]/;

/**
 * One entry of the `proxy-set-headers` ConfigMap. nginx.tmpl writes `proxy_set_header {{ $k }} {{ $v | quote }};`:
 * the name is unquoted (so it must be a plain token) and the value is Go-quoted (so CR/LF or quotes would be escaped
 * into something nginx does not unescape the same way).
 */
export const PROXY_SET_HEADER_ENTRY = declare<{ readonly name: string; readonly value: string }>({
  name: 'proxy-set-headers entry',
  doc: 'Header name → value (nginx variables allowed) sent to every upstream.',
  render: (field, entry) => {
    if (typeof entry?.name !== 'string' || !HEADER_NAME.test(entry.name))
      invalid(
        `${field}.name`,
        entry?.name,
        'is not a header name',
        'use letters, digits and single dashes, e.g. "ssl-client-fingerprint"',
      );
    if (
      typeof entry.value !== 'string' ||
      entry.value === '' ||
      UNSAFE_HEADER_VALUE.test(entry.value.replace(/\$\{?[a-z_][a-z0-9_]*\}?/g, ''))
    ) {
      invalid(
        `${field}.value`,
        entry.value,
        'is empty or contains quotes, backslashes, ; { } or control characters',
        'use a plain value or an nginx variable such as "$ssl_client_fingerprint"',
      );
    }
    return entry.value;
  },
});
