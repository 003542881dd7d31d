import { checkKubernetesLabels, invalid } from './validation';

/** Labels and annotations a user adds to the main object of a construct (the `metadata` prop). */
export interface ObjectMetadataOptions {
  /**
   * Labels added to the object. The construct's own `app.kubernetes.io/*` labels stay; a key it sets cannot be
   * overridden here.
   * @default none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Annotations added to the object (e.g. for Argo CD, external-dns or a policy engine). A key the construct sets
   * (its data-plane annotations) cannot be overridden here: change the prop that renders it.
   * @default none
   */
  readonly annotations?: Readonly<Record<string, string>>;
}

const ANNOTATION_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/**
 * Merges the user's `metadata` into the labels and annotations a construct renders. Refuses invalid keys and values
 * and any key the construct sets itself, naming `<field>.labels["k"]` / `<field>.annotations["k"]`.
 */
export function mergeMetadata(
  field: string,
  user: ObjectMetadataOptions | undefined,
  own: { readonly labels: Readonly<Record<string, string>>; readonly annotations?: Readonly<Record<string, string>> },
): { labels: Record<string, string>; annotations?: Record<string, string> } {
  const labels = { ...own.labels };
  const annotations = own.annotations ? { ...own.annotations } : undefined;
  if (user === undefined) return { labels, annotations };
  if (user.labels !== undefined) {
    checkKubernetesLabels(`${field}.labels`, user.labels);
    for (const [k, v] of Object.entries(user.labels)) {
      if (k in own.labels)
        invalid(
          `${field}.labels["${k}"]`,
          v,
          'is a label the construct sets itself',
          "use another key; the construct's own labels select its objects",
        );
      labels[k] = v;
    }
  }
  if (user.annotations !== undefined) {
    if (user.annotations === null || typeof user.annotations !== 'object' || Array.isArray(user.annotations)) {
      invalid(
        `${field}.annotations`,
        user.annotations,
        'is not a map of annotations',
        'give an object such as { "example.com/owner": "team-a" }',
      );
    }
    const merged: Record<string, string> = annotations ?? {};
    for (const [k, v] of Object.entries(user.annotations)) {
      if (!ANNOTATION_KEY.test(k) || k.length > 317)
        invalid(
          `${field}.annotations["${k}"]`,
          k,
          'is not a Kubernetes annotation key',
          'use [prefix/]name, e.g. "example.com/owner"',
        );
      if (typeof v !== 'string') invalid(`${field}.annotations["${k}"]`, v, 'is not a string', 'quote the value');
      if (own.annotations && k in own.annotations) {
        invalid(
          `${field}.annotations["${k}"]`,
          v,
          'is an annotation the construct renders itself',
          "set it through the construct's props, not metadata",
        );
      }
      merged[k] = v;
    }
    return { labels, annotations: merged };
  }
  return { labels, annotations };
}
