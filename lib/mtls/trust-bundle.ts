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
  readonly secret: {
    /** Name of the Secret in trust-manager's trust namespace (Helm value `app.trust.namespace`). */
    readonly name: string;
    /** Key of that Secret whose value (PEM) is added to the bundle, e.g. `ca.crt`. */
    readonly key: string;
  };
}

/** Target of a {@link TrustBundle}: a Secret key in every selected namespace. */
export interface TrustBundleTarget {
  /** Key of the target Secret (requires trust-manager `secretTargets.enabled=true`). */
  readonly secret: {
    /** Key of the target Secret that receives the concatenated PEM data, e.g. `ca.crt`. */
    readonly key: string;
  };
  /** Namespaces to write the target into. */
  readonly namespaceSelector: {
    /** Label requirements a namespace must all meet (ANDed), as in a Kubernetes `LabelSelector`. */
    readonly matchExpressions: readonly {
      /** Namespace label key, e.g. `kubernetes.io/metadata.name`. */
      readonly key: string;
      /** Set operator: only `In` (the label's value is one of `values`) is used here. */
      readonly operator: 'In';
      /** Label values that select a namespace (e.g. the namespace names that trust the bundle). */
      readonly values: readonly string[];
    }[];
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
