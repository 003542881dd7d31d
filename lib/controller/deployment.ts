import { createHash } from 'node:crypto';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { IntOrString, KubeDeployment, ResourceRequirements, Volume, VolumeMount, ContainerPort } from '../core/kube';
import { mergeMetadata, ObjectMetadataOptions } from '../core/metadata';
import { controllerLabels } from './labels';
import { controllerResourcesFor } from './sizing';
import { CONTROLLER_CLASS, CONTROLLER_SELECTOR_LABELS, NAMES, PORTS } from './upstream';
import { WAF_POLICY_SHA256_ANNOTATION, WafPolicyFile } from './waf-policy';

/**
 * Default resources at one host: upstream's CPU request; more memory than upstream's 90Mi because every worker holds
 * CRS; a memory limit (upstream sets none) so a runaway worker is restarted instead of starving the node. No CPU limit
 * (throttling an edge proxy adds latency to every request). The controller sizes memory from the number of hosts it
 * serves ({@link controllerResourcesFor}, docs/controller-sizing.md); this is that rule at one host.
 */
export const DEFAULT_CONTROLLER_RESOURCES: ResourceRequirements = controllerResourcesFor(1);

/** Name of the controller container (the `container` label of its cAdvisor and kube-state-metrics series). */
export const CONTROLLER_CONTAINER_NAME = 'controller';

/** Props of {@link ControllerDeployment}. */
export interface ControllerDeploymentProps {
  readonly namespace: string;
  readonly ingressClassName: string;
  readonly replicas: number;
  readonly image: string;
  readonly resources: ResourceRequirements;
  /** Secret with the webhook serving certificate; no webhook when undefined. */
  readonly webhookSecretName?: string;
  /** The WAF policy file to mount (and whose sha256 rolls the pods); none when ModSecurity is off. */
  readonly wafPolicy?: WafPolicyFile;
  /**
   * The one namespace the controller watches (`--watch-namespace`).
   * @default every namespace
   */
  readonly watchNamespace?: string;
  /**
   * Data of the controller ConfigMap (hashed onto the pod template when scoped, see {@link CONFIG_SHA256_ANNOTATION}).
   */
  readonly config: Readonly<Record<string, string>>;
  /**
   * `--controller-class`.
   * @default upstream's `k8s.io/ingress-nginx`
   */
  readonly controllerClass?: string;
  /**
   * The user's labels and annotations for the Deployment object (not its pods).
   * @default none
   */
  readonly metadata?: ObjectMetadataOptions;
}

/**
 * Pod-template annotation with the sha256 of the controller ConfigMap, set when the controller is scoped to one
 * namespace: its ConfigMap informer then watches that namespace only (store.go:324-326 and :349 at controller-v1.15.1)
 * and the controller's own ConfigMap is read once at start (store.go:886), so a change must restart the pods.
 */
export const CONFIG_SHA256_ANNOTATION = 'aks-waf-mtls-edge/controller-config-sha256';

const PROBE = {
  httpGet: { path: '/healthz', port: IntOrString.fromNumber(PORTS.metrics), scheme: 'HTTP' },
  initialDelaySeconds: 10,
  periodSeconds: 10,
  successThreshold: 1,
  timeoutSeconds: 1,
};

/**
 * The controller Deployment, as upstream v1.15.1 (same flags, probes, ports, hardening, graceful shutdown) plus:
 * metrics on (`--enable-metrics=true`, port `metrics` 10254), replicas spread over nodes and zones, and the
 * webhook certificate from cert-manager's secret (`tls.crt`/`tls.key` mapped to the file names the flags expect),
 * and the WAF policy ConfigMap mounted read-only at `/etc/nginx/edge-waf/` with its sha256 on the pod template
 * (a policy change = a rolling restart: maxUnavailable 1 of at least 2 replicas, guarded by the PodDisruptionBudget).
 */
export class ControllerDeployment extends Construct {
  /** The Deployment `ingress-nginx-controller`. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: ControllerDeploymentProps) {
    super(scope, id);
    const labels = controllerLabels();
    const webhook = props.webhookSecretName !== undefined;
    const args = [
      '/nginx-ingress-controller',
      `--publish-service=$(POD_NAMESPACE)/${NAMES.service}`,
      `--election-id=${NAMES.electionId}`,
      `--controller-class=${props.controllerClass ?? CONTROLLER_CLASS}`,
      `--ingress-class=${props.ingressClassName}`,
      `--configmap=$(POD_NAMESPACE)/${NAMES.configMap}`,
      ...(props.watchNamespace !== undefined ? [`--watch-namespace=${props.watchNamespace}`] : []),
      ...(webhook
        ? [
            `--validating-webhook=:${PORTS.webhook}`,
            '--validating-webhook-certificate=/usr/local/certificates/cert',
            '--validating-webhook-key=/usr/local/certificates/key',
          ]
        : []),
      '--enable-metrics=true',
    ];
    const ports: ContainerPort[] = [
      { name: 'http', containerPort: PORTS.http, protocol: 'TCP' },
      { name: 'https', containerPort: PORTS.https, protocol: 'TCP' },
      ...(webhook ? [{ name: 'webhook', containerPort: PORTS.webhook, protocol: 'TCP' }] : []),
      { name: 'metrics', containerPort: PORTS.metrics, protocol: 'TCP' },
    ];
    const volumeMounts: VolumeMount[] = webhook
      ? [{ name: 'webhook-cert', mountPath: '/usr/local/certificates/', readOnly: true }]
      : [];
    const volumes: Volume[] = webhook
      ? [
          {
            name: 'webhook-cert',
            secret: {
              secretName: props.webhookSecretName,
              items: [
                { key: 'tls.crt', path: 'cert' },
                { key: 'tls.key', path: 'key' },
              ],
            },
          },
        ]
      : [];
    const waf = props.wafPolicy;
    if (waf) {
      // The whole folder, not a subPath: kubelet swaps the files atomically (a subPath mount never sees updates).
      volumeMounts.push({ name: 'waf-policy', mountPath: `${waf.mountPath}/`, readOnly: true });
      volumes.push({ name: 'waf-policy', configMap: { name: waf.configMapName } });
    }
    const annotations: Record<string, string> = {
      ...(waf ? { [WAF_POLICY_SHA256_ANNOTATION]: waf.sha256 } : {}),
      ...(props.watchNamespace !== undefined ? { [CONFIG_SHA256_ANNOTATION]: configSha256(props.config) } : {}),
    };
    const selector = { matchLabels: { ...CONTROLLER_SELECTOR_LABELS } };
    this.resource = new KubeDeployment(this, 'Resource', {
      metadata: {
        name: NAMES.deployment,
        namespace: props.namespace,
        ...mergeMetadata('metadata', props.metadata, { labels }),
      },
      spec: {
        replicas: props.replicas,
        minReadySeconds: 0,
        revisionHistoryLimit: 10,
        selector,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: IntOrString.fromNumber(1) } },
        template: {
          metadata: { labels, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
          spec: {
            automountServiceAccountToken: true,
            serviceAccountName: NAMES.serviceAccount,
            dnsPolicy: 'ClusterFirst',
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            terminationGracePeriodSeconds: 300,
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: 'kubernetes.io/hostname',
                whenUnsatisfiable: 'DoNotSchedule',
                labelSelector: selector,
              },
              {
                maxSkew: 1,
                topologyKey: 'topology.kubernetes.io/zone',
                whenUnsatisfiable: 'ScheduleAnyway',
                labelSelector: selector,
              },
            ],
            affinity: {
              podAntiAffinity: {
                preferredDuringSchedulingIgnoredDuringExecution: [
                  { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: selector } },
                ],
              },
            },
            containers: [
              {
                name: CONTROLLER_CONTAINER_NAME,
                image: props.image,
                imagePullPolicy: 'IfNotPresent',
                args,
                env: [
                  { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                  { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
                  { name: 'LD_PRELOAD', value: '/usr/local/lib/libmimalloc.so' },
                ],
                lifecycle: { preStop: { exec: { command: ['/wait-shutdown'] } } },
                livenessProbe: { ...PROBE, failureThreshold: 5 },
                readinessProbe: { ...PROBE, failureThreshold: 3 },
                ports,
                resources: props.resources,
                securityContext: {
                  allowPrivilegeEscalation: false,
                  capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
                  readOnlyRootFilesystem: false,
                  runAsGroup: 82,
                  runAsNonRoot: true,
                  runAsUser: 101,
                  seccompProfile: { type: 'RuntimeDefault' },
                },
                volumeMounts,
              },
            ],
            volumes,
          },
        },
      },
    });
  }
}

function configSha256(config: Readonly<Record<string, string>>): string {
  const sorted = Object.fromEntries(
    Object.keys(config)
      .sort()
      .map((k) => [k, config[k]]),
  );
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex');
}
