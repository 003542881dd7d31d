import { App } from 'cdk8s';
import { buildEdgeApp } from './cdk8s-app';
import { REFERENCE_DEPLOYMENT } from './config';
import { buildEnvoyGatewayApp } from './envoy-gateway/app';
import { ENVOY_GATEWAY_DIST_PATH } from './envoy-gateway/config';

/** A cdk8s output of `npm run synth`: where it goes by default, its command-line option and the app it renders. */
export interface ReferenceCdk8sOutput {
  /** Name in messages and the summary; the first output is `dist`. */
  readonly label: string;
  /** Command-line option that moves the output elsewhere (`--<option> DIR`). */
  readonly option: string;
  /**
   * Default folder, relative to the repository root (committed; the staleness test compares it with a fresh render).
   */
  readonly outdir: string;
  /** Builds the output's cdk8s app. */
  readonly build: () => App;
}

/**
 * Every cdk8s output `npm run synth` (main.ts) writes, in one place: main.ts publishes all of them with cdktf.out/
 * in one atomic, locked run, and test/synth/outputs-fresh.test.ts fails `npm test` when a committed one is stale.
 * The first is the reference deployment for its configured data plane (ingress-nginx) in dist/; the second is the same
 * intent rendered for Envoy Gateway v1.9 + Coraza in examples/envoy-gateway/dist/.
 */
export const REFERENCE_CDK8S_OUTPUTS: readonly ReferenceCdk8sOutput[] = [
  { label: 'dist', option: 'dist', outdir: 'dist', build: () => buildEdgeApp(REFERENCE_DEPLOYMENT) },
  {
    label: 'envoy-gateway',
    option: 'envoy-gateway-dist',
    outdir: ENVOY_GATEWAY_DIST_PATH,
    build: () => buildEnvoyGatewayApp(),
  },
];

/**
 * The folder of each cdk8s output for the options given (`option` → DIR): an option moves its output; without one an
 * output goes to its default folder, except that when the first output (dist/) was moved, the others are written only
 * where their own option says, so a synth into a scratch dist/ never rewrites the committed examples.
 */
export function cdk8sOutdirsOf(
  outputs: readonly ReferenceCdk8sOutput[],
  given: ReadonlyMap<string, string>,
): Map<string, string> {
  const [first, ...others] = outputs;
  const outdirs = new Map<string, string>();
  if (!first) return outdirs;
  outdirs.set(first.option, given.get(first.option) ?? first.outdir);
  for (const o of others) {
    const outdir = given.get(o.option) ?? (given.has(first.option) ? undefined : o.outdir);
    if (outdir !== undefined) outdirs.set(o.option, outdir);
  }
  return outdirs;
}
