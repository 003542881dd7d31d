/** Recommended Kubernetes labels (`app.kubernetes.io/*`) applied by every construct of this library. */
export const PART_OF = 'aks-waf-mtls-edge';
export const MANAGED_BY = 'cdk8s';

export function standardLabels(name: string, component: string, instance = name): Record<string, string> {
  return {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/instance': instance,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': PART_OF,
    'app.kubernetes.io/managed-by': MANAGED_BY,
  };
}
