/**
 * Runs the real ingress-nginx v1.15.1 controller against dist/ on the loopback control plane (see run-controller.ts)
 * and compares the nginx.conf it generates, directive by directive, with what the engine harness renders
 * (test/engine/harness/nginx-conf.ts). Prints every difference (explained ones with their reason), every warning or
 * error the controller logged, then `controller: N directives agree, M differ` (M: unexplained differences).
 *
 *   npm run verify:controller                  against dist/
 *   npm run verify:controller -- --dist DIR    against another dist-shaped folder
 *   npm run verify:controller -- --keep        keep the control plane's folder (controller log, nginx calls, configs)
 *
 * Exit 0 when nothing differs unexplained and the controller logged no finding, 1 otherwise, 2 when it cannot run.
 */
import { join, resolve } from 'node:path';
import { startControlPlane } from '../cluster/control-plane';
import { REPO_ROOT } from '../cluster/paths';
import { addCertificateFacts, compareConfigs, configFacts, ComparedFact, tally } from './compare';
import { EXPLAINED_DIFFERENCES, HARNESS_FIXES_PENDING, logFindings, unexplained } from './explained';
import { harnessFacts } from './harness-facts';
import { controllerArtifacts } from './paths';
import { ControllerRun, runController } from './run-controller';

/** The comparison and log check of one run. */
export interface ControllerReport {
  /** Every compared fact. */
  readonly facts: readonly ComparedFact[];
  /** Warnings and errors the controller logged that are not explained by the environment. */
  readonly findings: readonly string[];
  /** The summary line. */
  readonly summary: string;
}

/** Compares a run with the harness for `distRoot` and checks the controller's log. */
export function reportRun(run: ControllerRun, distRoot: string): ControllerReport {
  const servers =
    (JSON.parse(run.dynamic['dynamic-servers.json'] ?? '{}') as { servers?: Record<string, string> }).servers ?? {};
  const controller = addCertificateFacts(configFacts(run.nginxConf), (host) => host in servers);
  const facts = compareConfigs(controller, harnessFacts(distRoot), EXPLAINED_DIFFERENCES);
  const t = tally(facts);
  return {
    facts,
    findings: logFindings(run.log),
    summary: `controller: ${t.agree} directives agree, ${t.differ} differ`,
  };
}

/** The printed report. */
export function formatControllerReport(r: ControllerReport): string {
  const out: string[] = [];
  const { pending, other } = unexplained(r.facts);
  const explained = r.facts.filter((f) => f.controller !== f.harness && f.explained);
  for (const f of other) out.push(`DIFFER ${f.key}\n  controller: ${f.controller}\n  harness:    ${f.harness}`);
  for (const f of pending) {
    const fix = HARNESS_FIXES_PENDING.find((p) => p.key.test(f.key))?.fix;
    out.push(
      `DIFFER (harness fix pending) ${f.key}\n  controller: ${f.controller}\n  harness:    ${f.harness}\n  fix: ${fix}`,
    );
  }
  for (const f of explained)
    out.push(`explained ${f.key}\n  controller: ${f.controller}\n  harness:    ${f.harness}\n  why: ${f.explained}`);
  out.push(
    '',
    r.findings.length
      ? `controller log: ${r.findings.length} warnings/errors about our objects:`
      : 'controller log: no warning or error about our objects',
  );
  for (const f of r.findings) out.push(`  ${f}`);
  out.push(`explained differences: ${explained.length}`, r.summary);
  return out.join('\n');
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const distIndex = args.indexOf('--dist');
  const distRoot = resolve(distIndex >= 0 && args[distIndex + 1] ? args[distIndex + 1] : join(REPO_ROOT, 'dist'));
  const artifacts = controllerArtifacts();
  if (typeof artifacts === 'string') {
    console.error(`controller: not run: ${artifacts}`);
    return 2;
  }
  const cp = await startControlPlane({ keep: args.includes('--keep') });
  try {
    const run = await runController(cp, distRoot, artifacts);
    const report = reportRun(run, distRoot);
    console.log(
      `${run.calls.filter((c) => c.call === 'test').length} nginx -t, ${run.calls.filter((c) => c.call === 'reload').length} reloads; args: ${run.args.join(' ')}\n`,
    );
    console.log(formatControllerReport(report));
    return report.findings.length === 0 && report.summary.endsWith(' 0 differ') ? 0 : 1;
  } finally {
    await cp.stop();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(2);
    },
  );
}
