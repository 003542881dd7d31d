import { App } from 'cdk8s';
import { assertNoPrivateKeys, renderObjects, renderTree, RenderedObject } from './render';
import { replaceFolderAtomically, writeTree } from './write';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What `synthesize` should produce. Leave a target out to skip it. */
export interface SynthTargets {
  /**
   * The cdk8s app to render into layered YAML.
   * @default no cdk8s output
   */
  readonly cdk8s?: Cdk8sTarget;
  /**
   * The CDKTF app to synthesize into Terraform JSON.
   * @default no CDKTF output
   */
  readonly cdktf?: CdktfTarget;
}

/** A cdk8s app and the folder its layered YAML replaces. */
export interface Cdk8sTarget {
  /** Builds the app's construct tree (constructs validate their props here). */
  readonly build: () => App;
  /** Folder replaced with the rendered layers, e.g. `dist`. */
  readonly outdir: string;
}

/** A CDKTF app and the folder its Terraform JSON replaces. */
export interface CdktfTarget {
  /**
   * Builds the CDKTF app (a `cdktf` `App`) writing into the given scratch folder. Typed by the one method used, so
   * that the package's cdk8s entry never references `cdktf`, an optional peer dependency.
   */
  readonly build: (outdir: string) => { synth(): void };
  /** Folder replaced with the synthesized stacks, e.g. `cdktf.out`. */
  readonly outdir: string;
}

/** What `synthesize` wrote. */
export interface SynthSummary {
  /** The layered YAML, when a cdk8s target was given. */
  readonly dist?: DistSummary;
  /** The Terraform JSON, when a CDKTF target was given. */
  readonly cdktf?: CdktfSummary;
}

/** What was written for the cdk8s app. */
export interface DistSummary {
  /** The folder written. */
  readonly outdir: string;
  /** Files written, kustomization.yaml files included. */
  readonly files: number;
  /** Bytes written. */
  readonly bytes: number;
  /** Objects per Kubernetes kind. */
  readonly objectsByKind: Record<string, number>;
  /** Objects per layer or delivery folder. */
  readonly objectsByLayer: Record<string, number>;
}

/** What was written for the CDKTF app. */
export interface CdktfSummary {
  /** The folder written. */
  readonly outdir: string;
  /** Names of the stacks (`stacks/<name>/cdk.tf.json`). */
  readonly stacks: string[];
}

/**
 * Synthesizes both apps. Everything is built and validated in memory or in scratch folders first; `dist/` and
 * `cdktf.out/` are swapped in only when both succeeded, so a failure leaves the previous output untouched.
 */
export function synthesize(targets: SynthTargets): SynthSummary {
  let rendered: { objects: RenderedObject[]; tree: Map<string, string> } | undefined;
  if (targets.cdk8s) {
    const objects = renderObjects(targets.cdk8s.build());
    const tree = renderTree(objects);
    assertNoPrivateKeys(tree);
    rendered = { objects, tree };
  }

  let cdktf: CdktfSummary | undefined;
  if (targets.cdktf) {
    const { build, outdir } = targets.cdktf;
    replaceFolderAtomically(outdir, (scratch) => build(scratch).synth());
    cdktf = { outdir, stacks: listStacks(outdir) };
  }

  let dist: DistSummary | undefined;
  if (targets.cdk8s && rendered) {
    const { tree, objects } = rendered;
    let bytes = 0;
    replaceFolderAtomically(targets.cdk8s.outdir, (scratch) => {
      bytes = writeTree(scratch, tree);
    });
    dist = { outdir: targets.cdk8s.outdir, files: tree.size, bytes, objectsByKind: countBy(objects, (o) => o.manifest.kind), objectsByLayer: countBy(objects, (o) => o.layer.folder) };
  }
  return { dist, cdktf };
}

function listStacks(outdir: string): string[] {
  const stacksDir = join(outdir, 'stacks');
  try {
    return readdirSync(stacksDir).filter((s) => statSync(join(stacksDir, s)).isDirectory());
  } catch {
    return [];
  }
}

function countBy<T>(items: readonly T[], key: (t: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

/** A short human summary for the terminal. */
export function formatSummary(summary: SynthSummary, millis: number): string {
  const lines: string[] = [];
  if (summary.dist) {
    const d = summary.dist;
    const objects = Object.values(d.objectsByKind).reduce((a, b) => a + b, 0);
    lines.push(`${d.outdir}/: ${d.files} files, ${objects} objects, ${(d.bytes / 1024).toFixed(1)} KiB`);
    lines.push(`  layers: ${Object.entries(d.objectsByLayer).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    lines.push(`  kinds:  ${Object.entries(d.objectsByKind).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  }
  if (summary.cdktf) {
    lines.push(`${summary.cdktf.outdir}/: stacks ${summary.cdktf.stacks.map((s) => `${s} (stacks/${s}/cdk.tf.json)`).join(', ') || '(none)'}`);
  }
  lines.push(`synthesized in ${(millis / 1000).toFixed(2)} s`);
  return lines.join('\n');
}
