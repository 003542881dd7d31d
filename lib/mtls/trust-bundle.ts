import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';

/**
 * A trust-manager `Bundle` (trust.cert-manager.io/v1alpha1), typed by hand: there is no CRD for it in ../shared to
 * import, and we need only the fields below. The shapes follow trust-manager's API (the schema tests validate the
 * output against the `@kubernetes-models/cert-manager` Bundle model). A Bundle is cluster-scoped; trust-manager
 * reads its sources from its trust namespace and writes the target into every namespace the selector matches.
 */
export interface TrustBundleProps {
  /** Object metadata (name = name of the target Secret/ConfigMap in each namespace). */
  readonly metadata: ApiObjectMetadata;
  /** Where the bundle's PEM data comes from. */
  readonly sources: readonly TrustBundleSource[];
  /** Where trust-manager writes the concatenated PEM data. */
  readonly target: TrustBundleTarget;
}

/** One source of a {@link TrustBundle}: a key of a Secret in trust-manager's trust namespace. */
export interface TrustBundleSource {
  /** Secret (in the trust namespace) and key to read. */
  readonly secret: { readonly name: string; readonly key: string };
}

/** Target of a {@link TrustBundle}: a Secret key in every selected namespace. */
export interface TrustBundleTarget {
  /** Key of the target Secret (requires trust-manager `secretTargets.enabled=true`). */
  readonly secret: { readonly key: string };
  /** Namespaces to write the target into. */
  readonly namespaceSelector: {
    readonly matchExpressions: readonly { readonly key: string; readonly operator: 'In'; readonly values: readonly string[] }[];
  };
}

/** trust-manager Bundle API object. */
export class TrustBundle extends ApiObject {
  /** API version of trust-manager's Bundle. */
  public static readonly API_VERSION = 'trust.cert-manager.io/v1alpha1';
  /** Kind of trust-manager's Bundle. */
  public static readonly KIND = 'Bundle';

  constructor(scope: Construct, id: string, props: TrustBundleProps) {
    super(scope, id, {
      apiVersion: TrustBundle.API_VERSION,
      kind: TrustBundle.KIND,
      metadata: props.metadata,
      spec: { sources: props.sources, target: props.target },
    });
  }
}
