/**
 * The API report (issue 18): @microsoft/api-extractor reads the declarations the package ships (lib/index.d.ts and
 * lib/azure-entry.d.ts, compiled by tsconfig.build.json as `npm pack` does) and writes every exported signature into
 * etc/<entry>.api.md. A changed prop type, a new required prop or a removed member is a diff in that file, reviewed
 * with the change; test/package/api-report.test.ts fails while the committed report is stale.
 *
 *   npm run api            rewrites etc/*.api.md from the current sources
 *
 * The build goes to `<repo>/.cache/api-report/<pid>/`: inside the repository, so the declarations resolve `cdk8s`,
 * `constructs` and `cdktf` from node_modules as a consumer's would.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  Extractor,
  ExtractorConfig,
  ExtractorLogLevel,
  ExtractorMessageCategory,
  type IConfigFile,
} from '@microsoft/api-extractor';

const REPO = resolve(__dirname, '..');

/** The package's entry points and the report file of each (package.json `exports`). */
export const API_ENTRIES: readonly { readonly declaration: string; readonly report: string }[] = [
  { declaration: 'lib/index.d.ts', report: 'aks-waf-mtls-edge.api.md' },
  { declaration: 'lib/azure-entry.d.ts', report: 'aks-waf-mtls-edge-azure.api.md' },
];

/** Folder of the committed reports. */
export const REPORT_DIR = join(REPO, 'etc');

/** Compiles the package's declarations into `<work>/build/package` (what `npm pack` ships, without the .js). */
function buildDeclarations(work: string): string {
  const out = join(work, 'build', 'package');
  execFileSync(
    process.execPath,
    [
      join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      join(REPO, 'tsconfig.build.json'),
      '--outDir',
      out,
      '--emitDeclarationOnly',
    ],
    {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return out;
}

/** api-extractor settings for one entry: only the report (no doc model, no .d.ts rollup), LF line ends. */
function configFor(declaration: string, reportFileName: string, reportFolder: string, tempFolder: string): IConfigFile {
  return {
    projectFolder: REPO,
    mainEntryPointFilePath: declaration,
    newlineKind: 'lf',
    compiler: {
      overrideTsconfig: {
        compilerOptions: {
          target: 'ES2022',
          module: 'commonjs',
          moduleResolution: 'node',
          lib: ['ES2022'],
          types: ['node'],
          strict: true,
          esModuleInterop: true,
          skipLibCheck: true,
        },
        files: [declaration],
      },
    },
    apiReport: {
      enabled: true,
      reportFileName,
      reportFolder,
      reportTempFolder: tempFolder,
      includeForgottenExports: false,
    },
    docModel: { enabled: false },
    dtsRollup: { enabled: false },
    tsdocMetadata: { enabled: false },
    messages: {
      compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Error } },
      extractorMessageReporting: {
        default: { logLevel: ExtractorLogLevel.Warning },
        // Release tags (@public/@beta) are not used: everything exported from an entry is public (lib/index.ts).
        'ae-missing-release-tag': { logLevel: ExtractorLogLevel.None },
        // A type used in a signature but not exported is recorded in the report (a "forgotten export" line).
        'ae-forgotten-export': { logLevel: ExtractorLogLevel.None, addToApiReportFile: true },
        // Documentation is checked by test/package/api.test.ts (TSDoc, @default) and TypeDoc (links, as it resolves them).
        'ae-undocumented': { logLevel: ExtractorLogLevel.None },
        'ae-unresolved-link': { logLevel: ExtractorLogLevel.None },
      },
      // The sources use TypeDoc's tags (`@default`, `@module`); TSDoc's strict tag list does not know them.
      tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
    },
  };
}

/** Builds the declarations and returns each entry's report text (file name -> contents). */
export function renderApiReports(): Map<string, string> {
  const work = join(REPO, '.cache', 'api-report', String(process.pid));
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  try {
    const build = buildDeclarations(work);
    const reports = new Map<string, string>();
    for (const entry of API_ENTRIES) {
      const out = join(work, 'reports');
      mkdirSync(out, { recursive: true });
      mkdirSync(join(work, 'temp'), { recursive: true });
      const config = ExtractorConfig.prepare({
        configObject: configFor(join(build, entry.declaration), entry.report, out, join(work, 'temp')),
        configObjectFullPath: undefined,
        packageJsonFullPath: join(REPO, 'package.json'),
      });
      const problems: string[] = [];
      const result = Extractor.invoke(config, {
        localBuild: true,
        messageCallback: (message) => {
          // `console-*` messages narrate what localBuild did (report created or updated); they are not problems.
          const narration = message.category === ExtractorMessageCategory.Console;
          if (
            !narration &&
            (message.logLevel === ExtractorLogLevel.Error || message.logLevel === ExtractorLogLevel.Warning)
          )
            problems.push(message.formatMessageWithLocation(REPO));
          message.handled = true;
        },
      });
      if (problems.length > 0 || result.errorCount > 0)
        throw new Error(`api-extractor failed for ${entry.declaration}:\n${problems.join('\n')}`);
      reports.set(entry.report, readFileSync(join(out, entry.report), 'utf8'));
    }
    return reports;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const started = Date.now();
  mkdirSync(REPORT_DIR, { recursive: true });
  for (const [file, text] of renderApiReports()) writeFileSync(join(REPORT_DIR, file), text);
  console.log(
    `api: wrote ${API_ENTRIES.map((e) => `etc/${e.report}`).join(', ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}
