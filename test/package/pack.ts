import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './public-api';

/** What `npm pack --json` reports about a tarball. */
export interface PackResult {
  /** Absolute path of the .tgz. */
  readonly tarball: string;
  /** Paths inside the package, sorted. */
  readonly files: readonly string[];
  /** Compressed size in bytes. */
  readonly size: number;
  /** Unpacked size in bytes. */
  readonly unpackedSize: number;
}

/** The files a consumer needs besides compiled code, as listed in package.json `files`. */
export const PACKAGE_DOCUMENTS = ['README.md', 'CHANGELOG.md', 'LICENSE'] as const;

/** Every path the tarball may hold: package.json, the documents, and compiled `.js`/`.d.ts` of lib/ and imports/. */
export const ALLOWED_PACKAGE_PATH =
  /^(package\.json|README\.md|CHANGELOG\.md|LICENSE|build\/package\/(lib|imports)\/[A-Za-z0-9_./-]+(?<!\.d)\.js|build\/package\/(lib|imports)\/[A-Za-z0-9_./-]+\.d\.ts)$/;

/**
 * Environment for a child npm: the parent `npm test` exports its own lifecycle and package settings as `npm_*`
 * variables, which must not leak into an install in another folder. Cache, registry and user config stay.
 */
export function childNpmEnv(): NodeJS.ProcessEnv {
  const keep = /^npm_config_(cache|registry|userconfig|globalconfig|prefer_offline)$/i;
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) || keep.test(k)));
}

/** Runs npm (the one running this Node, or the one on PATH) and returns stdout. */
export function npm(args: readonly string[], cwd: string): string {
  return execFileSync('npm', [...args], {
    cwd,
    env: childNpmEnv(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Runs the repository's TypeScript compiler. */
export function tsc(args: readonly string[], cwd: string): void {
  execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Parses `npm pack --json` output (npm may print lifecycle noise before the JSON). */
export function parsePackJson(stdout: string, destination: string): PackResult {
  const json = JSON.parse(stdout.slice(stdout.indexOf('['))) as {
    filename: string;
    size: number;
    unpackedSize: number;
    files: { path: string }[];
  }[];
  const [entry] = json;
  return {
    tarball: join(destination, entry.filename),
    files: entry.files.map((f) => f.path).sort(),
    size: entry.size,
    unpackedSize: entry.unpackedSize,
  };
}

/**
 * Builds and packs the library exactly as `npm pack` does (`prepack` = `npm run build:package`), but in a staging
 * folder, so that tests running in parallel never replace the repository's `build/package`: the package build
 * (`tsconfig.build.json`) compiles into `<work>/stage/build/package`, package.json and the documents are copied next
 * to it, and `npm pack` applies package.json `files` there.
 */
export function buildAndPack(work: string): PackResult {
  const stage = join(work, 'stage');
  mkdirSync(stage, { recursive: true });
  tsc(['-p', join(REPO_ROOT, 'tsconfig.build.json'), '--outDir', join(stage, 'build', 'package')], REPO_ROOT);
  for (const file of ['package.json', ...PACKAGE_DOCUMENTS]) copyFileSync(join(REPO_ROOT, file), join(stage, file));
  return parsePackJson(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], stage), work);
}

/** The exact installed version of a package of the repository (peers are installed at the versions we test with). */
export function installedVersion(name: string): string {
  return (
    JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }
  ).version;
}
