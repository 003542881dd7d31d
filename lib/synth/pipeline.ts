import { App } from 'cdk8s';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { ValidationError } from '../core/validation';
import { SynthError, describeErrno, isErrno } from './errors';
import { step } from './hooks';
import { Lock, acquireLock } from './lock';
import { writeManifest } from './manifest';
import { OutputPath, checkOwnership, resolveOutputs } from './ownership';
import { PublishInterrupted, Staged, journalTargets, lockPath, publish, recover, scratchPath } from './publish';
import { assertNoPrivateKeys, renderObjects, renderTree, RenderedObject } from './render';
import { writeTree } from './write';

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
  /**
   * How long to wait for another synth writing the same output folders to finish, then refuse.
   * @default 60
   */
  readonly lockWaitSeconds?: number;
}

/** A cdk8s app and the folder its layered YAML replaces. */
export interface Cdk8sTarget {
  /** Builds the app's construct tree (constructs validate their props here). */
  readonly build: () => App;
  /** Folder replaced with the rendered layers, e.g. `dist` (a symlink is written through to its target). */
  readonly outdir: string;
}

/** A CDKTF app and the folder its Terraform JSON replaces. */
export interface CdktfTarget {
  /**
   * Builds the CDKTF app (a `cdktf` `App`) writing into the given scratch folder. Typed by the one method used, so
   * that the package's cdk8s entry never references `cdktf`, an optional peer dependency.
   */
  readonly build: (outdir: string) => { synth(): void };
  /** Folder replaced with the synthesized stacks, e.g. `cdktf.out` (a symlink is written through to its target). */
  readonly outdir: string;
}

/** What `synthesize` wrote. */
export interface SynthSummary {
  /** The layered YAML, when a cdk8s target was given. */
  readonly dist?: DistSummary;
  /** The Terraform JSON, when a CDKTF target was given. */
  readonly cdktf?: CdktfSummary;
  /** What synth did besides writing: a stale lock removed, a publish a killed synth left half done finished. */
  readonly notes: string[];
}

/** What was written for the cdk8s app. */
export interface DistSummary {
  /** The folder written. */
  readonly outdir: string;
  /** Files written, kustomization.yaml files included (the manifest `.synth-manifest` not counted). */
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
 * Synthesizes both apps into their output folders, which are replaced together or not at all (docs/synth.md):
 * the cdk8s app is rendered and validated in memory, then under a lock per output folder both trees are written into
 * scratch folders beside their targets, the targets are checked to hold nothing synth did not write, and only then
 * are both swapped in, through a journal that the next run uses to finish a publish a killed synth left half done.
 * Any failure before that leaves both folders byte-identical; expected failures (validation, disk full, permissions,
 * name too long, lock held, a folder synth does not own) throw a `ValidationError` or `SynthError` whose one-line
 * message names the file and the cause.
 */
export function synthesize(targets: SynthTargets): SynthSummary {
  let rendered: { objects: RenderedObject[]; tree: Map<string, string> } | undefined;
  if (targets.cdk8s) {
    const objects = renderObjects(targets.cdk8s.build());
    const tree = renderTree(objects);
    assertNoPrivateKeys(tree);
    rendered = { objects, tree };
  }
  const wanted = [
    ...(targets.cdk8s ? [{ label: 'dist', given: targets.cdk8s.outdir }] : []),
    ...(targets.cdktf ? [{ label: 'cdktf.out', given: targets.cdktf.outdir }] : []),
  ];
  const outputs = resolveOutputs(wanted);
  const dist = outputs.find((o) => o.label === 'dist');
  const cdktf = outputs.find((o) => o.label === 'cdktf.out');

  const txn = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const notes: string[] = [];
  const staged: Staged[] = [];
  const locks: Lock[] = [];
  const createdParents: { top: string; deepest: string }[] = [];
  let keepStaged = false;
  let succeeded = false;
  let bytes = 0;
  try {
    for (const out of outputs) {
      const top = mkdirSync(dirname(out.real), { recursive: true });
      if (top) createdParents.push({ top, deepest: dirname(out.real) });
    }
    const reals = outputs.map((o) => o.real);
    const lockTargets = [...new Set([...reals, ...journalTargets(reals)])].sort();
    for (const target of lockTargets) {
      locks.push(acquireLock(lockPath(target), outputs.find((o) => o.real === target)?.label ?? target, targets.lockWaitSeconds ?? 60, notes));
    }
    step('locked');
    notes.push(...recover(lockTargets));
    step('recovered');

    if (dist && rendered) {
      checkOwnership(dist, new Set(rendered.tree.keys()));
      const scratch = stage(dist, txn, staged);
      bytes = writeTree(scratch, rendered.tree);
      writeManifest(scratch);
    }
    if (cdktf && targets.cdktf) {
      const scratch = stage(cdktf, txn, staged);
      try {
        targets.cdktf.build(scratch).synth();
      } catch (err) {
        // cdktf's own writes: a write(2) error carries no path, so name the folder being written
        if (isErrno(err) && !err.path) Object.assign(err, { path: scratch, syscall: 'write' });
        throw err;
      }
      checkOwnership(cdktf, new Set(writeManifest(scratch)));
    }
    step('staged');
    try {
      publish(txn, staged);
    } catch (err) {
      keepStaged = err instanceof PublishInterrupted;
      throw err;
    }
    succeeded = true;
  } catch (err) {
    if (!keepStaged) for (const s of staged) rmSync(s.scratch, { recursive: true, force: true });
    throw explain(err, outputs, staged);
  } finally {
    for (const lock of locks.reverse()) lock.release();
    if (!succeeded && !keepStaged) removeCreated(createdParents);
  }

  return {
    dist: dist && rendered ? { outdir: dist.given, files: rendered.tree.size, bytes, objectsByKind: countBy(rendered.objects, (o) => o.manifest.kind), objectsByLayer: countBy(rendered.objects, (o) => o.layer.folder) } : undefined,
    cdktf: cdktf ? { outdir: cdktf.given, stacks: listStacks(cdktf.real) } : undefined,
    notes,
  };
}

/** Creates the scratch folder of `out` (mode from the umask, as `git checkout` creates folders). */
function stage(out: OutputPath, txn: string, staged: Staged[]): string {
  const scratch = scratchPath(out.real, txn);
  mkdirSync(scratch);
  staged.push({ label: out.label, target: out.real, scratch });
  return scratch;
}

/** Turns an expected failure into one line naming the file and the cause; other errors pass unchanged. */
function explain(err: unknown, outputs: readonly OutputPath[], staged: readonly Staged[]): unknown {
  if (err instanceof SynthError || ValidationError.isValidationError(err) || !isErrno(err)) return err;
  const show = (path: string): string => {
    for (const s of staged) {
      if (path === s.scratch || path.startsWith(`${s.scratch}/`)) {
        const out = outputs.find((o) => o.real === s.target);
        return join(out?.given ?? s.target, relative(s.scratch, path));
      }
    }
    return path;
  };
  return new SynthError(`${describeErrno(err, show)}; ${outputs.map((o) => o.given).join(' and ')} ${outputs.length > 1 ? 'were' : 'was'} not changed`);
}

/** Removes the (empty) parent folders this run created for an output that was not written. */
function removeCreated(created: readonly { top: string; deepest: string }[]): void {
  for (const { top, deepest } of created) {
    for (let dir = deepest; dir.length >= top.length; dir = dirname(dir)) {
      try {
        rmdirSync(dir);
      } catch {
        break; // not empty: another output or someone else's files are in it
      }
    }
  }
}

function listStacks(outdir: string): string[] {
  const stacksDir = join(outdir, 'stacks');
  try {
    return readdirSync(stacksDir).filter((s) => statSync(join(stacksDir, s)).isDirectory()).sort();
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
  const lines: string[] = [...(summary.notes ?? []).map((n) => `note: ${n}`)];
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
