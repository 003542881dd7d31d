import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const USAGE =
  'Usage: main.ts [--only cdk8s|cdktf] [--dist DIR] [--envoy-gateway-dist DIR] [--cdktf-out DIR] [--lock-wait SECONDS]';

/** Argument lists main.ts must refuse before it builds anything, and the argument the one-line error names. */
const BAD_ARGUMENTS: readonly { readonly args: readonly string[]; readonly names: string }[] = [
  { args: ['--bogus'], names: '--bogus' },
  { args: ['--only'], names: '--only' },
  { args: ['--only', 'cdk9s'], names: '--only' },
  { args: ['--dist', '--only', 'cdk8s'], names: '--dist' },
  { args: ['--dist='], names: '--dist' },
  { args: ['--lock-wait', '-1'], names: '--lock-wait' },
  { args: ['--lock-wait=ten'], names: '--lock-wait' },
  { args: ['stray'], names: 'stray' },
  { args: ['--', '--only'], names: '--' },
];

describe('main.ts arguments', () => {
  test.each(BAD_ARGUMENTS)('rejects $args with one line naming $names', ({ args, names }) => {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'main.ts', ...args, '--dist', '/nonexistent/dist', '--cdktf-out', '/nonexistent/cdktf'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`synth failed: unknown or incomplete argument "${names}"; nothing was changed. ${USAGE}\n`);
  });
});
