import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { KubeConfigMap } from '../core/kube';
import { invalid } from '../core/validation';
import { WafPolicy } from '../waf/policy';
import { controllerLabels } from './labels';

/** ConfigMap (controller namespace) holding the rendered WAF policy. */
export const WAF_POLICY_CONFIG_MAP = 'ingress-nginx-waf-policy';

/** Key of {@link WAF_POLICY_CONFIG_MAP} that holds the policy; also the file name in the mount. */
export const WAF_POLICY_KEY = 'policy.conf';

/**
 * Where the controller container mounts {@link WAF_POLICY_CONFIG_MAP} (read-only): a folder of our own next to the
 * image's `/etc/nginx/modsecurity` and `/etc/nginx/owasp-modsecurity-crs`, which it must not shadow.
 */
export const WAF_POLICY_MOUNT_PATH = '/etc/nginx/edge-waf';

/** Absolute path of the policy file in the controller container; the `modsecurity-snippet` includes it. */
export const WAF_POLICY_FILE_PATH = `${WAF_POLICY_MOUNT_PATH}/${WAF_POLICY_KEY}`;

/** sha256 (hex) of a rendered policy file: the pod-template annotation, and how a changed policy is noticed. */
export function policySha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Pod-template annotation of the controller Deployment carrying the policy's sha256: nginx reads the file only at
 * (re)load, the controller does not reload when a mounted ConfigMap changes, and kubelet propagates ConfigMap volume
 * updates with a delay — so every policy change changes the pod template and rolls the controller.
 */
export const WAF_POLICY_SHA256_ANNOTATION = 'aks-waf-mtls-edge/waf-policy-sha256';

/**
 * Largest policy file, in bytes. A ConfigMap (the whole object) may not exceed 1 MiB (etcd's request limit); 900 KiB
 * for the key leaves room for metadata. Client-side `kubectl apply` would also copy the object into the
 * `kubectl.kubernetes.io/last-applied-configuration` annotation, and annotations are limited to 256 KiB: the policy
 * ConfigMap is therefore marked for server-side apply in Argo CD ({@link WAF_POLICY_SYNC_OPTIONS}); Flux applies
 * server-side anyway; by hand, use `kubectl apply --server-side` once the policy exceeds ~250 KiB.
 */
export const WAF_POLICY_FILE_MAX_BYTES = 900 * 1024;

/** Argo CD per-resource sync option on the policy ConfigMap: server-side apply (no last-applied copy, see above). */
export const WAF_POLICY_SYNC_OPTIONS: Readonly<Record<string, string>> = {
  'argocd.argoproj.io/sync-options': 'ServerSideApply=true',
};

/**
 * Checks the rendered policy before it becomes a file libmodsecurity reads. In a file no nginx quoting applies (the
 * text is read as is), so what protects ModSecurity's own syntax is what matters: no NUL or CR, and no line ending in
 * a backslash (ModSecurity joins it with the next line). Values inside rules are already restricted by the WafPolicy
 * checks (no quotes, CR/LF or macros from user input). Returns the text.
 */
export function checkWafPolicyFile(field: string, text: string): string {
  if (typeof text !== 'string' || text.trim() === '')
    invalid(field, text, 'is empty', 'render a WafPolicy, or turn ModSecurity off');
  // eslint-disable-next-line no-control-regex
  const control = /[\u0000\r]/.exec(text);
  if (control)
    invalid(
      field,
      text.slice(Math.max(0, control.index - 40), control.index + 1),
      `contains ${control[0] === '\r' ? 'a carriage return' : 'a NUL byte'}`,
      'render the policy from typed rules only; remove control characters',
    );
  const continued = text.split('\n').findIndex((line) => line.endsWith('\\'));
  if (continued >= 0)
    invalid(
      field,
      text.split('\n')[continued],
      `line ${continued + 1} ends with a backslash, which ModSecurity joins with the next line`,
      'end rules with their closing quote; do not use line continuations',
    );
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > WAF_POLICY_FILE_MAX_BYTES) {
    invalid(
      field,
      `${bytes} bytes`,
      `is larger than the ${WAF_POLICY_FILE_MAX_BYTES} bytes a ConfigMap key may hold here (ConfigMaps are limited to 1 MiB)`,
      'shrink the WAF policy: give host-scoped exclusions that fix the same false positive the same rule ids, target and path (they render as one rule), merge deny rules, drop descriptions, or split the hosts over two controllers',
    );
  }
  return text;
}

/** Props of {@link WafPolicyFile}. */
export interface WafPolicyFileProps {
  /** Namespace of the controller. */
  readonly namespace: string;
  /** The policy to render. */
  readonly waf: WafPolicy;
}

/**
 * The rendered WAF policy as a ConfigMap of its own (`ingress-nginx-waf-policy`, key `policy.conf`), mounted
 * read-only into the controller at `/etc/nginx/edge-waf/` and included from the controller's `modsecurity-snippet`.
 * A file has no nginx directive-length limit (4 KiB for an inline `modsecurity_rules '…'`), so the policy may grow to
 * {@link WAF_POLICY_FILE_MAX_BYTES}.
 */
export class WafPolicyFile extends Construct {
  /** sha256 (hex) of the policy text; stamped on the controller pod template. */
  public readonly sha256: string;
  /** Name of the ConfigMap. */
  public readonly configMapName: string = WAF_POLICY_CONFIG_MAP;
  /** Mount folder in the controller container. */
  public readonly mountPath: string = WAF_POLICY_MOUNT_PATH;
  /** The file the snippet includes. */
  public readonly filePath: string = WAF_POLICY_FILE_PATH;

  constructor(scope: Construct, id: string, props: WafPolicyFileProps) {
    super(scope, id);
    const text = checkWafPolicyFile('waf', props.waf.renderPolicyFile());
    this.sha256 = policySha256(text);
    new KubeConfigMap(this, 'Resource', {
      metadata: {
        name: this.configMapName,
        namespace: props.namespace,
        labels: controllerLabels(),
        annotations: { ...WAF_POLICY_SYNC_OPTIONS },
      },
      data: { [WAF_POLICY_KEY]: text },
    });
  }

  /**
   * The controller's `modsecurity-snippet`: the image's base configuration, then the policy file, with the policy's
   * sha256 in a comment. Constant size whatever the policy holds.
   */
  public snippet(baseConfig: string): string {
    return [
      `# WAF policy: ConfigMap ${this.configMapName} key ${WAF_POLICY_KEY}, sha256 ${this.sha256}`,
      `Include ${baseConfig}`,
      `Include ${this.filePath}`,
      '',
    ].join('\n');
  }
}
