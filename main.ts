/**
 * Synthesizes the reference deployment: the cdk8s outputs of lib/reference/outputs.ts (dist/ for ingress-nginx, then
 * examples/envoy-gateway/dist for Envoy Gateway) and the CDKTF app into cdktf.out/.
 *
 *   npm run synth                      all
 *   npm run synth -- --only cdk8s      the cdk8s outputs only
 *   npm run synth -- --only cdktf      cdktf.out/ only (also what `cdktf synth` runs, into $CDKTF_OUTDIR)
 *   npm run synth -- --dist DIR --cdktf-out DIR          (a moved dist/ alone never rewrites the committed example)
 *   npm run synth -- --envoy-gateway-dist DIR
 *   npm run synth -- --lock-wait 0    refuse at once when another synth holds the lock (default: wait 60 s)
 *
 * All folders are replaced together or not at all, under a lock each, and only while they hold nothing synth did not
 * write (docs/synth.md). Expected failures print one line naming the file and the cause; exit status 1.
 */
import { parseArgs } from 'node:util';
import { REFERENCE_DEPLOYMENT } from './lib/reference/config';
import { buildAzureApp } from './lib/reference/cdktf-app';
import { cdk8sOutdirsOf, REFERENCE_CDK8S_OUTPUTS } from './lib/reference/outputs';
import { Cdk8sTarget, formatSummary, synthesize } from './lib/synth/pipeline';
import { ValidationError } from './lib/core/validation';
import { SynthError } from './lib/synth/errors';

interface Options {
  readonly only?: 'cdk8s' | 'cdktf';
  /** Folder per cdk8s output option (`dist` → DIR); an output missing here is not written. */
  readonly cdk8sOutdirs: ReadonlyMap<string, string>;
  readonly cdktfOut: string;
  readonly lockWaitSeconds?: number;
}

const USAGE = `Usage: main.ts [--only cdk8s|cdktf] ${REFERENCE_CDK8S_OUTPUTS.map((o) => `[--${o.option} DIR]`).join(' ')} [--cdktf-out DIR] [--lock-wait SECONDS]`;

/**
 * The flags, read by `node:util` `parseArgs` (tokens, not strict: the one-line usage error below names the argument
 * the user wrote, where the strict mode's own messages would not). A value starting with `-` is taken for a missing
 * value (`--dist --only cdk8s`), as before; `--dist=DIR` is also accepted. The last occurrence of a flag wins.
 * Every cdk8s output of lib/reference/outputs.ts has its option (`cdk8sOutdirsOf` says which are written where).
 */
function parseOptions(argv: readonly string[]): Options {
  const outputOptions = Object.fromEntries(REFERENCE_CDK8S_OUTPUTS.map((o) => [o.option, { type: 'string' as const }]));
  const { tokens } = parseArgs({
    args: [...argv],
    options: {
      only: { type: 'string' },
      ...outputOptions,
      'cdktf-out': { type: 'string' },
      'lock-wait': { type: 'string' },
    },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  let only: Options['only'];
  const given = new Map<string, string>();
  let cdktfOut = process.env.CDKTF_OUTDIR ?? 'cdktf.out';
  let lockWaitSeconds: number | undefined;
  for (const t of tokens) {
    const bad = (): never => {
      throw new UsageError(
        `unknown or incomplete argument "${t.kind === 'option' ? t.rawName : t.kind === 'positional' ? t.value : '--'}"; nothing was changed. ${USAGE}`,
      );
    };
    if (t.kind !== 'option') bad();
    else if (t.value === undefined || (!t.inlineValue && t.value.startsWith('-'))) bad();
    else if (t.name === 'only' && (t.value === 'cdk8s' || t.value === 'cdktf')) only = t.value;
    else if (Object.hasOwn(outputOptions, t.name) && t.value !== '') given.set(t.name, t.value);
    else if (t.name === 'cdktf-out' && t.value !== '') cdktfOut = t.value;
    else if (t.name === 'lock-wait' && /^\d+$/.test(t.value)) lockWaitSeconds = Number(t.value);
    else bad();
  }
  return { only, cdk8sOutdirs: cdk8sOutdirsOf(REFERENCE_CDK8S_OUTPUTS, given), cdktfOut, lockWaitSeconds };
}

class UsageError extends Error {}

function main(): number {
  const started = performance.now();
  try {
    const options = parseOptions(process.argv.slice(2));
    const config = REFERENCE_DEPLOYMENT;
    const cdk8s: Cdk8sTarget[] = REFERENCE_CDK8S_OUTPUTS.filter((o) => options.cdk8sOutdirs.has(o.option)).map((o) => ({
      build: o.build,
      outdir: options.cdk8sOutdirs.get(o.option)!,
      label: o.label,
    }));
    const summary = synthesize({
      cdk8s: options.only === 'cdktf' ? undefined : cdk8s,
      cdktf:
        options.only === 'cdk8s'
          ? undefined
          : { build: (outdir) => buildAzureApp(config, outdir), outdir: options.cdktfOut },
      lockWaitSeconds: options.lockWaitSeconds,
    });
    console.log(formatSummary(summary, performance.now() - started));
    return 0;
  } catch (err) {
    if (ValidationError.isValidationError(err)) {
      console.error(`synth failed, nothing was changed: ${err.message}`);
      return 1;
    }
    if (err instanceof SynthError || err instanceof UsageError) {
      console.error(`synth failed: ${err.message}`);
      return 1;
    }
    console.error(
      'synth failed with an unexpected error (a bug; dist/ and cdktf.out/ are as the message below leaves them):',
    );
    console.error(err);
    return 1;
  }
}

process.exitCode = main();
