import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from '../cluster/paths';

/** The Go tools the Envoy Gateway proofs run, built by scripts/test-deps/20-go-tools.sh into ${EDGE_CACHE_DIR}/bin. */
export type EnvoyGatewayTool = 'egctl' | 'cel-check';

/** Path of a tool, or undefined when it was not built (tests then skip loudly). */
export function toolPath(name: EnvoyGatewayTool): string | undefined {
  const path = join(cacheDir(), 'bin', name);
  return existsSync(path) ? path : undefined;
}

/** Logs why a suite is skipped, in a form that stands out in the jest output. */
export function skipLoudly(name: EnvoyGatewayTool): void {
  console.warn(
    `!!! SKIPPED: ${name} is not built in ${join(cacheDir(), 'bin')} (run \`bash scripts/test-deps/install.sh\`, which builds tools/${name === 'egctl' ? 'egctl' : 'cel-check'})`,
  );
}
