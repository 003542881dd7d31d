/**
 * One declaration per ingress-nginx setting we emit (Ingress annotation or controller ConfigMap key), after the
 * controller's own tables (internal/ingress/annotations/<family>/main.go): name, what it does, and the validation
 * ingress-nginx v1.15.1 applies. We apply the same validation at synth time, so a value the controller would
 * reject (it drops the whole Ingress on a bad annotation) fails `npm run synth` instead.
 */
export type RiskLevel = 'Low' | 'Medium' | 'High' | 'Critical';

export interface SettingDeclaration<T> {
  /**
   * Key as the controller reads it (annotation name without the `nginx.ingress.kubernetes.io/` prefix, or ConfigMap
   * key).
   */
  readonly name: string;
  /** One line of documentation. */
  readonly doc: string;
  /**
   * Annotation risk level in v1.15.1 (must stay at or below the controller's `annotations-risk-level`, default High).
   */
  readonly risk?: RiskLevel;
  /** Validates `value` (reporting `field` on error) and returns the string the controller will read. */
  readonly render: (field: string, value: T) => string;
}

/** Declares a setting; a function only so declarations read alike. */
export function declare<T>(declaration: SettingDeclaration<T>): SettingDeclaration<T> {
  return declaration;
}

export const ANNOTATION_PREFIX = 'nginx.ingress.kubernetes.io/';
