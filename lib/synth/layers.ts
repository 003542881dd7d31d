import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';

/**
 * The layers of `dist/`, in apply order. Each layer is a folder with its own `kustomization.yaml`; the
 * root `dist/kustomization.yaml` lists them in this order, every object carries the layer's
 * `argocd.argoproj.io/sync-wave`, and the Flux Kustomizations depend on the previous layer.
 */
export const LAYERS = [
  {
    id: 'cluster',
    folder: '00-cluster',
    syncWave: 0,
    description: 'namespaces and cluster-scoped objects (RBAC, IngressClass, admission webhook)',
  },
  {
    id: 'controller',
    folder: '10-controller',
    syncWave: 10,
    description: 'the ingress-nginx controller with ModSecurity + OWASP CRS',
  },
  {
    id: 'certificates',
    folder: '20-certificates',
    syncWave: 20,
    description: 'cert-manager issuers and certificates (server TLS, client CA, clients)',
  },
  { id: 'apps', folder: '30-apps', syncWave: 30, description: 'applications and their mTLS ingresses' },
  {
    id: 'monitoring',
    folder: '40-monitoring',
    syncWave: 40,
    description: 'ServiceMonitor, alerts, dashboards, alert routing',
  },
] as const;

/**
 * Folders of `dist/` that hold GitOps delivery manifests (Argo CD Applications, Flux Kustomizations). They are
 * applied once by an operator to bootstrap delivery, never by the layers they reference: the root
 * kustomization does not list them and no sync wave is stamped on their objects.
 */
export const DELIVERY_FOLDERS = [
  {
    id: 'delivery-argocd',
    folder: 'delivery/argocd',
    description: 'Argo CD Applications that sync the layers in order',
  },
  {
    id: 'delivery-flux',
    folder: 'delivery/flux',
    description: 'Flux GitRepository and Kustomizations that apply the layers in order',
  },
] as const;

/** Id of a delivery folder of `dist/`: `delivery-argocd` or `delivery-flux`. */
export type DeliveryFolderId = (typeof DELIVERY_FOLDERS)[number]['id'];
/** A delivery folder of `dist/`: its id, folder and what it holds. */
export type DeliveryFolder = (typeof DELIVERY_FOLDERS)[number];

/** Id of an applied layer of `dist/`: `cluster`, `controller`, `certificates`, `apps` or `monitoring`. */
export type LayerId = (typeof LAYERS)[number]['id'];
/** An applied layer of `dist/`: its id, folder, Argo CD sync wave and what it holds. */
export type Layer = (typeof LAYERS)[number];

/**
 * Cluster-scoped kinds that always go to the `cluster` layer whatever chart declares them, so that
 * namespaces and RBAC exist before anything is applied into them. cert-manager's ClusterIssuer is
 * cluster-scoped too but stays with the certificates it issues.
 */
export const CLUSTER_LAYER_KINDS: ReadonlySet<string> = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'IngressClass',
  'ValidatingWebhookConfiguration',
  'PriorityClass',
]);

export function layerById(id: LayerId): Layer {
  const layer = LAYERS.find((l) => l.id === id);
  if (!layer) throw new Error(`unknown layer ${id}`);
  return layer;
}

/** Props of a {@link LayerChart}. */
export interface LayerChartProps extends ChartProps {
  /** The `dist/` layer the chart's objects are written to (cluster-scoped kinds go to `cluster`). */
  readonly layer: LayerId;
}

/** A cdk8s Chart whose objects are written to one layer folder of `dist/`. */
export class LayerChart extends Chart {
  /** The layer this chart's objects are written to. */
  public readonly layer: Layer;

  constructor(scope: Construct, id: string, props: LayerChartProps) {
    super(scope, id, props);
    this.layer = layerById(props.layer);
  }
}

/** Props of a {@link DeliveryChart}. */
export interface DeliveryChartProps extends ChartProps {
  /** The delivery folder of `dist/` the chart's objects are written to. */
  readonly folder: DeliveryFolderId;
}

/** A cdk8s Chart whose objects (GitOps delivery manifests) are written to a delivery folder of `dist/`. */
export class DeliveryChart extends Chart {
  /** The delivery folder this chart's objects are written to. */
  public readonly delivery: DeliveryFolder;

  constructor(scope: Construct, id: string, props: DeliveryChartProps) {
    super(scope, id, props);
    const folder = DELIVERY_FOLDERS.find((f) => f.id === props.folder);
    if (!folder) throw new Error(`unknown delivery folder ${props.folder}`);
    this.delivery = folder;
  }
}
