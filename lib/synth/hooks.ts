import { existsSync, writeSync } from 'node:fs';

/**
 * Test hook of the publish steps (used only by test/synth): `EDGE_SYNTH_TEST_HOOK=pause:<step>` makes synth print
 * `synth paused at <step>` on stderr and block until it is killed (the kill tests SIGKILL it there);
 * `EDGE_SYNTH_TEST_HOOK=hold:<step>` prints the same and waits until the file `$EDGE_SYNTH_TEST_RELEASE` exists (the
 * concurrency tests); `EDGE_SYNTH_TEST_HOOK=fail:<step>` makes the step fail with an I/O error (the rollback tests).
 * One environment lookup per step, no cost when unset.
 */
export function step(name: string, path?: string): void {
  const hook = process.env.EDGE_SYNTH_TEST_HOOK;
  if (!hook) return;
  const [action, at] = [hook.slice(0, hook.indexOf(':')), hook.slice(hook.indexOf(':') + 1)];
  if (at !== name) return;
  if (action === 'pause') {
    writeSync(2, `synth paused at ${name}\n`);
    const cell = new Int32Array(new SharedArrayBuffer(4));
    for (;;) Atomics.wait(cell, 0, 0);
  }
  if (action === 'hold') {
    writeSync(2, `synth paused at ${name}\n`);
    while (!existsSync(process.env.EDGE_SYNTH_TEST_RELEASE ?? '')) sleep(20);
    return;
  }
  if (action === 'fail') {
    throw Object.assign(new Error(`EIO: injected failure at ${name}`), {
      code: 'EIO',
      syscall: 'rename',
      path: path ?? name,
    });
  }
}

/** Blocks the thread for `ms` milliseconds (synth is synchronous; used while waiting for a lock). */
export function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
