/**
 * Small helpers the benchmarks share: medians, log-log growth, text tables, and the result file location.
 * No timing logic lives here, so the unit tests can check these functions deterministically.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, release, totalmem, type } from 'node:os';
import { join } from 'node:path';

/** Folder the benchmarks write their JSON results and SVG plots into. */
export const RESULTS_DIR = join(__dirname, 'results');

/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Growth exponent between two measurements: `k` in `t ∝ n^k` (1 = linear, 2 = quadratic), from the log-log slope.
 */
export function growthExponent(n1: number, t1: number, n2: number, t2: number): number {
  if (n1 <= 0 || n2 <= 0 || t1 <= 0 || t2 <= 0 || n1 === n2)
    throw new RangeError('growthExponent needs two distinct positive sizes and positive times');
  return Math.log(t2 / t1) / Math.log(n2 / n1);
}

/** A plain-text table: header, a rule, rows; numbers right-aligned, text left-aligned. */
export function formatTable(head: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = rows.map((r) => r.map((c) => String(c)));
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const numeric = head.map(
    (_, i) =>
      rows.length > 0 &&
      rows.every((r) => typeof r[i] === 'number' || /^(-|[-+]?[0-9.,]+( ?[×x%a-zA-Z/]+)?)$/.test(String(r[i]))),
  );
  const fmt = (row: readonly string[]): string =>
    row
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [fmt(head), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(fmt)].join('\n');
}

/** Rounds to a number of decimals (for JSON results that stay readable). */
export function round(value: number, decimals = 3): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

/** Writes a result file under {@link RESULTS_DIR} (or another folder) and returns its path. */
export function writeResult(name: string, content: string, dir: string = RESULTS_DIR): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, content.endsWith('\n') ? content : `${content}\n`);
  return path;
}

/** What the machine was, for the result files (results from different machines are not comparable). */
export function machineInfo(): {
  node: string;
  platform: string;
  cpus: number;
  cpuModel: string;
  totalMemoryMiB: number;
} {
  const list = cpus();
  return {
    node: process.version,
    platform: `${type()} ${release()} ${arch()}`,
    cpus: list.length,
    cpuModel: list[0]?.model ?? 'unknown',
    totalMemoryMiB: Math.round(totalmem() / 1048576),
  };
}
