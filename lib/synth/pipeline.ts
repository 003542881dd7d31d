import { App } from 'cdk8s';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { ValidationError } from '../core/validation';
import { SynthError, describeErrno, isErrno, listOf } from './errors';
import { step } from './hooks';
import { Lock, acquireLock } from './lock';
import { writeManifest } from './manifest';
import { OutputPath, checkOwnership, resolveOutputs } from './ownership';
import { PublishInterrupted, Staged, journalTargets, lockPath, publish, recover, scratchPath } from './publish';
import { assertNoPrivateKeys, renderObjects, renderTree } from './render';
import { writeTree } from './write';

/** What `synthesize` should produce. Leave a target out to skip it. */
export interface SynthTargets {
  /**
   * The cdk8s app(s) to render into layered YAML, each into its own folder; all of them and the CDKTF output are
   * replaced together or not at all.
   * @default no cdk8s output
   */
  readonly cdk8s?: Cdk8sTarget | readonly Cdk8sTarget[];
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
  /**
   * Name of the output in messages, the summary and lock/journal notes; unique among the targets.
   * @default 'dist' for the first cdk8s target, the `outdir` as given for the others
   */
  readonly label?: string;
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
  /** The layered YAML of the first cdk8s target, when one was given (the same object as `cdk8sOutputs[0]`). */
  readonly dist?: DistSummary;
  /** The layered YAML of every cdk8s target, in the order given. */
  readonly cdk8sOutputs: DistSummary[];
  /** The Terraform JSON, when a CDKTF target was given. */
  readonly cdktf?: CdktfSummary;
  /** What synth did besides writing: a stale lock removed, a publish a killed synth left half done finished. */
  readonly notes: string[];
}

/** What was written for a cdk8s app. */
export interface DistSummary {
  /** The output's label (`dist` for the first target). */
  readonly label: string;
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
 * Synthesizes the apps into their output folders, which are replaced together or not at all (docs/synth.md):
 * every cdk8s app is rendered and validated in memory, then under a lock per output folder every tree is written into
 * a scratch folder beside its target, the targets are checked to hold nothing synth did not write, and only then
 * are all swapped in, through a journal that the next run uses to finish a publish a killed synth left half done.
 * Any failure before that leaves every folder byte-identical; expected failures (validation, disk full, permissions,
 * name too long, lock held, a folder synth does not own) throw a `ValidationError` or `SynthError` whose one-line
 * message names the file and the cause.
 */
export function synthesize(targets: SynthTargets): SynthSummary {
  const cdk8sTargets = cdk8sTargetsOf(targets.cdk8s);
  // Render and validate every cdk8s app before any folder is touched.
  const rendered = cdk8sTargets.map((target) => {
    const objects = renderObjects(target.build());
    const tree = renderTree(objects);
    assertNoPrivateKeys(tree);
    return { target, objects, tree };
  });
  const wanted = [
    ...cdk8sTargets.map((t) => ({ label: t.label, given: t.outdir })),
    ...(targets.cdktf ? [{ label: CDKTF_LABEL, given: targets.cdktf.outdir }] : []),
  ];
  const outputs = resolveOutputs(wanted);
  const cdk8sOutputs = outputs.slice(0, cdk8sTargets.length);
  const cdktf = targets.cdktf ? outputs[cdk8sTargets.length] : undefined;

  const txn = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const notes: string[] = [];
  const staged: Staged[] = [];
  const locks: Lock[] = [];
  const createdParents: { top: string; deepest: string }[] = [];
  const bytes: number[] = [];
  let keepStaged = false;
  let succeeded = false;
  try {
    for (const out of outputs) {
      const top = mkdirSync(dirname(out.real), { recursive: true });
      if (top) createdParents.push({ top, deepest: dirname(out.real) });
    }
    const reals = outputs.map((o) => o.real);
    const lockTargets = [...new Set([...reals, ...journalTargets(reals)])].sort();
    for (const target of lockTargets) {
      locks.push(
        acquireLock(
          lockPath(target),
          outputs.find((o) => o.real === target)?.label ?? target,
          targets.lockWaitSeconds ?? 60,
          notes,
        ),
      );
    }
    step('locked');
    notes.push(...recover(lockTargets));
    step('recovered');

    rendered.forEach(({ tree }, i) => {
      const out = cdk8sOutputs[i];
      checkOwnership(out, new Set(tree.keys()));
      const scratch = stage(out, txn, staged);
      bytes.push(writeTree(scratch, tree));
      writeManifest(scratch);
    });
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

  const summaries: DistSummary[] = rendered.map(({ target, objects, tree }, i) => ({
    label: target.label,
    outdir: target.outdir,
    files: tree.size,
    bytes: bytes[i],
    objectsByKind: countBy(objects, (o) => o.manifest.kind),
    objectsByLayer: countBy(objects, (o) => o.layer.folder),
  }));
  return {
    dist: summaries[0],
    cdk8sOutputs: summaries,
    cdktf: cdktf ? { outdir: cdktf.given, stacks: listStacks(cdktf.real) } : undefined,
    notes,
  };
}

/** Label of the CDKTF output in messages and journals. */
const CDKTF_LABEL = 'cdktf.out';

/** The cdk8s targets as a list with their labels (`dist` for the first unless named), labels checked unique. */
function cdk8sTargetsOf(given: SynthTargets['cdk8s']): (Cdk8sTarget & { readonly label: string })[] {
  const list: readonly Cdk8sTarget[] = given === undefined ? [] : Array.isArray(given) ? given : [given as Cdk8sTarget];
  const labelled = list.map((t, i) => ({ ...t, label: t.label ?? (i === 0 ? 'dist' : t.outdir) }));
  const seen = new Set<string>([CDKTF_LABEL]);
  for (const t of labelled) {
    if (seen.has(t.label))
      throw new SynthError(
        `two outputs are labelled "${t.label}"; nothing was changed. Fix: give every cdk8s target its own label`,
      );
    seen.add(t.label);
  }
  return labelled;
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
  return new SynthError(
    `${describeErrno(err, show)}; ${listOf(outputs.map((o) => o.given))} ${outputs.length > 1 ? 'were' : 'was'} not changed`,
  );
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
    return readdirSync(stacksDir)
      .filter((s) => statSync(join(stacksDir, s)).isDirectory())
      .sort();
  } catch {
    return [];
  }
}

function countBy<T>(items: readonly T[], key: (t: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => compareIgnoringCase(a, b)));
}

/**
 * Orders kind names as `localeCompare` did (case-insensitive first, `HelmRelease` before `HTTPRoute`) without it:
 * the first `localeCompare` of a process loads ICU's collator, 8–13 ms of the synth's start-up
 * (bench/synth-startup.ts).
 */
function compareIgnoringCase(a: string, b: string): number {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  return x < y ? -1 : x > y ? 1 : a < b ? 1 : a > b ? -1 : 0;
}

/** A short human summary for the terminal. */
export function formatSummary(summary: SynthSummary, millis: number): string {
  const lines: string[] = [...(summary.notes ?? []).map((n) => `note: ${n}`)];
  for (const d of summary.cdk8sOutputs ?? (summary.dist ? [summary.dist] : [])) {
    const objects = Object.values(d.objectsByKind).reduce((a, b) => a + b, 0);
    lines.push(`${d.outdir}/: ${d.files} files, ${objects} objects, ${(d.bytes / 1024).toFixed(1)} KiB`);
    lines.push(
      `  layers: ${Object.entries(d.objectsByLayer)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    lines.push(
      `  kinds:  ${Object.entries(d.objectsByKind)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
  }
  if (summary.cdktf) {
    lines.push(
      `${summary.cdktf.outdir}/: stacks ${summary.cdktf.stacks.map((s) => `${s} (stacks/${s}/cdk.tf.json)`).join(', ') || '(none)'}`,
    );
  }
  lines.push(`synthesized in ${(millis / 1000).toFixed(2)} s`);
  return lines.join('\n');
}
