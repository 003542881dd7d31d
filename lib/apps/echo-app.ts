import { ApiObject } from 'cdk8s';
import {
  IntOrString,
  KubeDeployment,
  KubeNetworkPolicy,
  KubePodDisruptionBudget,
  KubeService,
  KubeServiceAccount,
  Quantity,
} from '../core/kube';
import { Construct } from 'constructs';
import { standardLabels } from '../core/labels';
import { mergeMetadata, ObjectMetadataOptions } from '../core/metadata';
import {
  checkDnsLabel,
  checkIntegerInRange,
  checkKubernetesLabels,
  PropsValidator,
  propsValidator,
} from '../core/validation';

/**
 * The echo server image, pinned by digest: mendhak/http-https-echo tag 37 (MIT; Node.js; answers every request with
 * a JSON document of the request: method, path, query, headers, body; runs as UID 1000 and listens on 8080 (HTTP)
 * and 8443 (HTTPS, unused here)).
 *
 * Digest source (we cannot pull images here, and a digest is never invented): the same reference
 * `mendhak/http-https-echo@sha256:f55000d9…83e15` is published in github.com/mohsalsaleem/OpenAppPlatform,
 * tests/system/coolify_runtime_test.go (`receiverImage`, commit b0d77849d00fd514141ffb4971d54a891bead36e), and as
 * `mendhak/http-https-echo:37@sha256:f55000d9…83e15` in several revisions of an Ansible compose-modules inventory
 * (`docker/ansible/templates/compose-modules/echo-server.yml`). Image build: github.com/mendhak/docker-http-https-echo
 * (Dockerfile: `USER 1000`, `ENV HTTP_PORT=8080 HTTPS_PORT=8443`).
 */
export const ECHO_IMAGE =
  'docker.io/mendhak/http-https-echo:37@sha256:f55000d9196bd3c853d384af7315f509d21ffb85de315c26e9874033b9f83e15';

/** Labels of the ingress-nginx controller pods (upstream deploy.yaml), admitted by the echo app's NetworkPolicy. */
export const INGRESS_NGINX_CONTROLLER_POD_LABELS: Readonly<Record<string, string>> = {
  'app.kubernetes.io/name': 'ingress-nginx',
  'app.kubernetes.io/instance': 'ingress-nginx',
  'app.kubernetes.io/component': 'controller',
};

/** CPU and memory of the echo container. */
export interface EchoAppResources {
  /** CPU request, e.g. `50m`. */
  readonly cpuRequest: string;
  /** CPU limit, e.g. `500m`. */
  readonly cpuLimit: string;
  /** Memory request and limit (equal, so the pod is never OOM-killed for a neighbour's usage), e.g. `128Mi`. */
  readonly memory: string;
}

/** Where the traffic the echo app admits comes from. */
export interface IngressControllerSelector {
  /** Namespace of the ingress controller. */
  readonly namespace: string;
  /**
   * Labels of the controller pods.
   * @default {@link INGRESS_NGINX_CONTROLLER_POD_LABELS}
   */
  readonly podLabels?: Readonly<Record<string, string>>;
}

/** Props of an {@link EchoApp}. */
export interface EchoAppProps {
  /** Namespace of the app (must exist; not created here). */
  readonly namespace: string;
  /**
   * Name of the Deployment, Service, ServiceAccount, PDB and NetworkPolicy.
   * @default the construct id
   */
  readonly name?: string;
  /** The only source of traffic the NetworkPolicy admits. */
  readonly ingressController: IngressControllerSelector;
  /**
   * Replicas (at least 2, so the PodDisruptionBudget allows voluntary evictions one at a time).
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Container image, pinned by digest.
   * @default {@link ECHO_IMAGE}
   */
  readonly image?: string;
  /**
   * CPU and memory.
   * @default { cpuRequest: '50m', cpuLimit: '500m', memory: '128Mi' }
   */
  readonly resources?: EchoAppResources;
  /**
   * Labels and annotations added to the Deployment and the Service (not to the pods, whose labels select them).
   * @default none
   */
  readonly metadata?: ObjectMetadataOptions;
}

/** Container port of the echo server (its HTTP_PORT). */
export const ECHO_CONTAINER_PORT = 8080;
/** Service port of the echo app (named `http`). */
export const ECHO_SERVICE_PORT = 80;

/**
 * An echo server that answers every request with the request and its headers as JSON, hardened to the Pod Security
 * Standards "restricted" profile and beyond: non-root UID 1000, read-only root filesystem (emptyDir on /tmp), all
 * capabilities dropped, seccomp RuntimeDefault, no privilege escalation, no service-account token; probes,
 * resources, a PodDisruptionBudget and a NetworkPolicy that admits only the ingress controller pods and allows no
 * egress.
 */
export class EchoApp extends Construct {
  /** Name of the Service (and every other object of the app). */
  public readonly serviceName: string;
  /** Name of the Service port. */
  public readonly servicePortName = 'http';
  /** Number of the Service port. */
  public readonly servicePort = ECHO_SERVICE_PORT;
  /** Namespace of the app. */
  public readonly namespace: string;
  /** The Deployment (escape hatch: `deployment.addJsonPatch(...)`). */
  public readonly deployment: ApiObject;
  /** The Service (escape hatch). */
  public readonly service: ApiObject;

  constructor(scope: Construct, id: string, props: EchoAppProps) {
    super(scope, id);
    const v: PropsValidator = propsValidator(this, 'EchoApp');
    const name = props.name ?? id;
    this.serviceName = v.check(() => checkDnsLabel('name', name));
    this.namespace = v.check(() => checkDnsLabel('namespace', props.namespace));
    v.check(() => checkDnsLabel('ingressController.namespace', props.ingressController.namespace));
    const replicas = v.check(() =>
      checkIntegerInRange(
        'replicas',
        props.replicas ?? 2,
        2,
        50,
        'run at least 2 replicas so a drain keeps one serving',
      ),
    );
    const image = props.image ?? ECHO_IMAGE;
    if (typeof image !== 'string' || !/^[a-z0-9][-a-z0-9._/:]*@sha256:[0-9a-f]{64}$/.test(image))
      v.invalid('image', image, 'is not pinned by digest', 'use "<repository>[:tag]@sha256:<64 hex digits>"');
    const resources = props.resources ?? { cpuRequest: '50m', cpuLimit: '500m', memory: '128Mi' };
    for (const [key, value] of Object.entries(resources)) {
      if (!/^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi)?$/.test(value))
        v.invalid(
          `resources.${key}`,
          value,
          'is not a Kubernetes quantity',
          'use e.g. "50m" for CPU or "128Mi" for memory',
        );
    }
    const podLabels = props.ingressController.podLabels ?? INGRESS_NGINX_CONTROLLER_POD_LABELS;
    if (Object.keys(podLabels).length === 0)
      v.invalid(
        'ingressController.podLabels',
        podLabels,
        'is empty, which would admit every pod of the namespace',
        'give the controller pod labels',
      );
    v.check(() => checkKubernetesLabels('ingressController.podLabels', podLabels));

    const labels = standardLabels(name, 'echo-server');
    const selector = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name };
    const metadata = { name, namespace: this.namespace, labels };
    const userMetadata = {
      name,
      namespace: this.namespace,
      ...v.check(() => mergeMetadata('metadata', props.metadata, { labels })),
    };

    new KubeServiceAccount(this, 'service-account', { metadata, automountServiceAccountToken: false });

    this.deployment = new KubeDeployment(this, 'deployment', {
      metadata: userMetadata,
      spec: {
        replicas,
        revisionHistoryLimit: 3,
        selector: { matchLabels: selector },
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxUnavailable: IntOrString.fromNumber(0), maxSurge: IntOrString.fromNumber(1) },
        },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 1000,
              runAsGroup: 1000,
              fsGroup: 1000,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: 'kubernetes.io/hostname',
                whenUnsatisfiable: 'ScheduleAnyway',
                labelSelector: { matchLabels: selector },
              },
            ],
            containers: [
              {
                name: 'echo',
                image,
                imagePullPolicy: 'IfNotPresent',
                ports: [{ name: 'http', containerPort: ECHO_CONTAINER_PORT, protocol: 'TCP' }],
                env: [
                  { name: 'HTTP_PORT', value: String(ECHO_CONTAINER_PORT) },
                  // Probes hit /healthz; keep them out of the request log.
                  { name: 'LOG_IGNORE_PATH', value: '^/healthz$' },
                ],
                securityContext: {
                  allowPrivilegeEscalation: false,
                  privileged: false,
                  readOnlyRootFilesystem: true,
                  runAsNonRoot: true,
                  capabilities: { drop: ['ALL'] },
                  seccompProfile: { type: 'RuntimeDefault' },
                },
                resources: {
                  requests: {
                    cpu: Quantity.fromString(resources.cpuRequest),
                    memory: Quantity.fromString(resources.memory),
                  },
                  limits: {
                    cpu: Quantity.fromString(resources.cpuLimit),
                    memory: Quantity.fromString(resources.memory),
                  },
                },
                readinessProbe: {
                  httpGet: { path: '/healthz', port: IntOrString.fromString('http') },
                  periodSeconds: 5,
                  timeoutSeconds: 2,
                  failureThreshold: 3,
                },
                livenessProbe: {
                  httpGet: { path: '/healthz', port: IntOrString.fromString('http') },
                  initialDelaySeconds: 5,
                  periodSeconds: 10,
                  timeoutSeconds: 2,
                  failureThreshold: 3,
                },
                volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
              },
            ],
            volumes: [{ name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: Quantity.fromString('16Mi') } }],
          },
        },
      },
    });

    this.service = new KubeService(this, 'service', {
      metadata: userMetadata,
      spec: {
        type: 'ClusterIP',
        selector,
        ports: [{ name: 'http', port: ECHO_SERVICE_PORT, targetPort: IntOrString.fromString('http'), protocol: 'TCP' }],
      },
    });

    new KubePodDisruptionBudget(this, 'pdb', {
      metadata,
      spec: { minAvailable: IntOrString.fromNumber(1), selector: { matchLabels: selector } },
    });

    new KubeNetworkPolicy(this, 'network-policy', {
      metadata,
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          {
            from: [
              {
                namespaceSelector: {
                  matchLabels: { 'kubernetes.io/metadata.name': props.ingressController.namespace },
                },
                podSelector: { matchLabels: { ...podLabels } },
              },
            ],
            ports: [{ protocol: 'TCP', port: IntOrString.fromNumber(ECHO_CONTAINER_PORT) }],
          },
        ],
        // No egress rules: the echo server calls nothing (not even DNS).
        egress: [],
      },
    });
  }
}
