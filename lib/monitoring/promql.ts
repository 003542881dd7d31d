import { invalid } from '../core/validation';
import { scrapedLabelsOf } from './metrics';

/**
 * Small typed helpers to write PromQL against the metric table in `metrics.ts`. They check, at synth time, that
 * each selected series exists in ingress-nginx v1.15.1 and that each label used to select or group it exists on
 * the scraped series (with Prometheus' `exported_` renames), and they quote label values correctly.
 */

/** A label matcher: `=`, `!=`, `=~` or `!~` against a value (regexes are RE2, fully anchored by Prometheus). */
export interface LabelMatcher {
  /**
   * Label name as scraped (e.g. `host`, or `exported_namespace` for a label Prometheus renamed); `series` checks it
   * exists.
   */
  readonly label: string;
  /** Match operator: `=` equal, `!=` not equal, `=~` matches the regex, `!~` does not match it. */
  readonly op: '=' | '!=' | '=~' | '!~';
  /** Literal value (`=`, `!=`) or RE2 regex (`=~`, `!~`), unquoted: `series` quotes and escapes it. */
  readonly value: string;
}

/** `label="value"`. */
export function eq(label: string, value: string): LabelMatcher {
  return { label, op: '=', value };
}

/** `label!="value"`. */
export function ne(label: string, value: string): LabelMatcher {
  return { label, op: '!=', value };
}

/** `label=~"regex"`. */
export function re(label: string, value: string): LabelMatcher {
  return { label, op: '=~', value };
}

/** A regex that matches exactly one of the given literal strings (e.g. host names). */
export function anyOf(values: readonly string[]): string {
  return values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
}

/** Quotes a PromQL string literal. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** A series selector `name{matchers}`; throws when the series or a label does not exist. */
export function series(name: string, matchers: readonly LabelMatcher[] = []): string {
  checkLabels(
    name,
    matchers.map((m) => m.label),
  );
  return matchers.length === 0
    ? name
    : `${name}{${matchers.map((m) => `${m.label}${m.op}${quote(m.value)}`).join(', ')}}`;
}

/** `sum by (labels) (inner)` where `labels` must exist on `seriesName`. An empty list gives `sum(inner)`. */
export function sumBy(seriesName: string, labels: readonly string[], inner: string): string {
  checkLabels(seriesName, labels);
  return labels.length === 0 ? `sum(${inner})` : `sum by (${labels.join(', ')}) (${inner})`;
}

/** Fails unless every label exists on the scraped series `name`. */
export function checkLabels(name: string, labels: readonly string[]): void {
  const known = scrapedLabelsOf(name);
  if (!known)
    invalid(
      'promql.series',
      name,
      'is not a series ingress-nginx v1.15.1 exports',
      `use a metric from INGRESS_NGINX_METRICS (lib/monitoring/metrics.ts)`,
    );
  for (const label of labels) {
    if (!known.has(label)) {
      const hint = known.has(`exported_${label}`) ? ` (Prometheus renames it to exported_${label})` : '';
      invalid(
        `promql.${name}`,
        label,
        `is not a label of ${name} when scraped${hint}`,
        `use one of: ${[...known].sort().join(', ')}`,
      );
    }
  }
}

/** Prometheus duration such as `5m`, `1h`, `30s`. */
export type PromDuration = string;
const DURATION = /^([0-9]+(ms|s|m|h|d|w|y))+$/;

/** Checks a Prometheus duration. */
export function checkDuration(field: string, value: PromDuration): PromDuration {
  if (typeof value !== 'string' || !DURATION.test(value))
    invalid(field, value, 'is not a Prometheus duration', 'use a duration such as "30s", "5m" or "1h"');
  return value;
}

/** Duration in seconds (for comparisons between windows). */
export function durationSeconds(value: PromDuration): number {
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
  let total = 0;
  for (const [, n, unit] of value.matchAll(/([0-9]+)(ms|s|m|h|d|w|y)/g)) total += Number(n) * units[unit];
  return total;
}
