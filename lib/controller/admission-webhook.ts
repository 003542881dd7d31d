import { Construct } from 'constructs';
import { KubeService, KubeValidatingWebhookConfiguration, IntOrString } from '../core/kube';
import {
  Certificate,
  CertificateSpecPrivateKeyAlgorithm,
  CertificateSpecPrivateKeyRotationPolicy,
  Issuer,
} from '../../imports/cert-manager.io';
import { controllerLabels } from './labels';
import { CONTROLLER_SELECTOR_LABELS, NAMES } from './upstream';

/** Props of {@link AdmissionWebhook}. */
export interface AdmissionWebhookProps {
  /** Namespace of the controller. */
  readonly namespace: string;
  /** Seconds the API server waits for the webhook before applying `failurePolicy: Fail` (1–30). */
  readonly timeoutSeconds: number;
  /**
   * The one namespace whose Ingresses the webhook reviews (the controller's `--watch-namespace`).
   * @default Ingresses of every namespace
   */
  readonly watchNamespace?: string;
  /**
   * Name of the ValidatingWebhookConfiguration (cluster-scoped).
   * @default upstream's `ingress-nginx-admission`
   */
  readonly webhookName?: string;
}

/**
 * Default webhook timeout: chart 4.15.1's commented `controller.admissionWebhooks.timeoutSeconds: 10` and the API's
 * default, set explicitly.
 */
export const DEFAULT_WEBHOOK_TIMEOUT_SECONDS = 10;

/**
 * The controller's validating admission webhook (rejects Ingresses nginx would not load), with its serving
 * certificate issued by cert-manager instead of upstream's certgen Jobs: a self-signed Issuer signs a CA, the CA
 * Issuer signs the serving certificate into the secret `ingress-nginx-admission` (mounted by the controller), and
 * cert-manager's CA injector writes the CA into the ValidatingWebhookConfiguration (`cert-manager.io/inject-ca-from`).
 * This mirrors chart 4.15.1 with `controller.admissionWebhooks.certManager.enabled=true`.
 *
 * The issuers and certificates stay in the controller layer (the Deployment mounts the secret, so it must exist
 * before the controller turns healthy); the ValidatingWebhookConfiguration is cluster-scoped and lands in the
 * cluster layer. Requires cert-manager (with its CA injector) in the cluster.
 */
export class AdmissionWebhook extends Construct {
  /** Secret holding the serving certificate (`tls.crt`, `tls.key`). */
  public readonly secretName: string = NAMES.admissionSecret;

  constructor(scope: Construct, id: string, props: AdmissionWebhookProps) {
    super(scope, id);
    const ns = props.namespace;
    const labels = controllerLabels('admission-webhook');
    new Issuer(this, 'self-signed-issuer', {
      metadata: { name: NAMES.selfSignedIssuer, namespace: ns, labels },
      spec: { selfSigned: {} },
    });
    new Certificate(this, 'root-certificate', {
      metadata: { name: NAMES.rootCertificate, namespace: ns, labels },
      spec: {
        secretName: NAMES.rootCertificate,
        isCa: true,
        commonName: 'ca.webhook.ingress-nginx',
        subject: { organizations: ['ingress-nginx'] },
        duration: '43800h0m0s',
        privateKey: {
          algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA,
          size: 256,
          rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS,
        },
        issuerRef: { name: NAMES.selfSignedIssuer, kind: 'Issuer' },
      },
    });
    new Issuer(this, 'root-issuer', {
      metadata: { name: NAMES.rootIssuer, namespace: ns, labels },
      spec: { ca: { secretName: NAMES.rootCertificate } },
    });
    const svc = NAMES.admissionService;
    new Certificate(this, 'serving-certificate', {
      metadata: { name: NAMES.admissionCertificate, namespace: ns, labels },
      spec: {
        secretName: NAMES.admissionSecret,
        dnsNames: [svc, `${svc}.${ns}`, `${svc}.${ns}.svc`],
        subject: { organizations: ['ingress-nginx-admission'] },
        duration: '8760h0m0s',
        privateKey: {
          algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA,
          size: 256,
          rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS,
        },
        issuerRef: { name: NAMES.rootIssuer, kind: 'Issuer' },
      },
    });
    new KubeService(this, 'service', {
      metadata: { name: svc, namespace: ns, labels: controllerLabels() },
      spec: {
        type: 'ClusterIP',
        ports: [
          { name: 'https-webhook', port: 443, targetPort: IntOrString.fromString('webhook'), appProtocol: 'https' },
        ],
        selector: { ...CONTROLLER_SELECTOR_LABELS },
      },
    });
    new KubeValidatingWebhookConfiguration(this, 'configuration', {
      metadata: {
        name: props.webhookName ?? NAMES.webhook,
        labels,
        annotations: { 'cert-manager.io/inject-ca-from': `${ns}/${NAMES.admissionCertificate}` },
      },
      webhooks: [
        {
          name: 'validate.nginx.ingress.kubernetes.io',
          admissionReviewVersions: ['v1'],
          clientConfig: { service: { name: svc, namespace: ns, path: '/networking/v1/ingresses', port: 443 } },
          failurePolicy: 'Fail',
          timeoutSeconds: props.timeoutSeconds,
          // A scoped controller skips Ingresses of other namespaces anyway
          // (internal/ingress/controller/controller.go:356
          // at controller-v1.15.1); not calling it for them keeps a controller outage from blocking their changes.
          ...(props.watchNamespace !== undefined
            ? { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': props.watchNamespace } } }
            : {}),
          matchPolicy: 'Equivalent',
          rules: [
            {
              apiGroups: ['networking.k8s.io'],
              apiVersions: ['v1'],
              operations: ['CREATE', 'UPDATE'],
              resources: ['ingresses'],
            },
          ],
          sideEffects: 'None',
        },
      ],
    });
  }
}
