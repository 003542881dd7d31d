/**
 * `npm run synth`: runs main.ts as one compiled JavaScript bundle (our code and the npm packages it uses, built by
 * esbuild) instead of loading it through tsx, and rebuilds the bundle first whenever anything it was built from
 * changed. No type-checking here (that stays in `npm test`). bench/synth-startup.ts measures it against tsx.
 *
 * How staleness is ruled out: the bundle is named by a sha256 key over (a) the launcher itself, the esbuild version
 * and tsconfig.json, (b) every file esbuild read for it: the repository's own files by path and exact content (an
 * onLoad plugin reads and hashes them, so the key covers the very bytes compiled), installed packages by path, size
 * and mtime, and (c) the module files and module folders in every repository folder those files are in (a new file
 * that could shadow a resolved import changes that list; inside node_modules a new file only comes with npm writing
 * the package again, which changes the size or mtime of its files too, so package folders are not listed: that
 * saved about 8 ms of the check). A run recomputes the key from the input list of the last build and
 * runs `main-<key>.cjs` only if that file exists; otherwise it builds. Two synths at once are safe: bundles and the input list are written to a
 * temporary name and renamed, and a bundle's name is its inputs' key.
 *
 * The bundle lives in `<repo>/.cache/synth/`, not in a shared `$EDGE_CACHE_DIR`: it is a build product of this
 * checkout (its input list holds repository-relative paths). esbuild is the one tsx depends on (resolved through
 * tsx). Known limit: a package that finds files next to its own source via `__dirname` would look in .cache/synth
 * (in the bundle today only cdk8s' `Include` of a URL does; the reference deployment does not use it).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { Script } from 'node:vm';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const REPO = resolve(dirname(SELF), '..');
const ENTRY = 'main.ts';
const OUT_DIR = join(REPO, '.cache', 'synth');
const INPUTS_FILE = join(OUT_DIR, 'inputs.json');
const require = createRequire(import.meta.url);
const LOADERS = { '.ts': 'ts', '.json': 'json', '.js': 'js', '.cjs': 'js', '.mjs': 'js' };

function esbuildPath() {
  return require.resolve('esbuild', { paths: [dirname(require.resolve('tsx/package.json'))] });
}

function esbuildVersion() {
  const pkg = join(dirname(esbuildPath()), '..', 'package.json');
  return JSON.parse(readFileSync(pkg, 'utf8')).version;
}

/** sha256 over the build settings, each input (path and content) and the listing of each input's folder. */
function keyOf(inputs, contentOf) {
  const hash = createHash('sha256');
  hash
    .update(readFileSync(SELF))
    .update('\0')
    .update(esbuildVersion())
    .update('\0')
    .update(readFileSync(join(REPO, 'tsconfig.json')));
  for (const path of [...inputs].sort()) hash.update('\0file\0').update(path).update('\0').update(contentOf(path));
  for (const dir of [...new Set(inputs.filter((p) => !isPackageFile(p)).map((p) => dirname(p)))].sort())
    hash.update('\0dir\0').update(dir).update('\0').update(resolvableEntries(dir).join('/'));
  return hash.digest('hex').slice(0, 32);
}

/** Installed packages are identified by size and mtime (npm writes every file it installs; hashing 12 MB of them
 * would cost about 100 ms per run), the repository's own files by their content. */
function isPackageFile(path) {
  return path.split(/[\\/]/).includes('node_modules');
}

function fingerprint(path) {
  if (!isPackageFile(path)) return readFileSync(join(REPO, path));
  const st = statSync(join(REPO, path));
  return `${st.size}:${st.mtimeMs}`;
}

const MODULE_FILE = /\.(ts|tsx|mts|cts|js|cjs|mjs|json|node)$/;
const INDEX_FILES = ['package.json', 'index.ts', 'index.tsx', 'index.js', 'index.cjs', 'index.mjs', 'index.json'];

/** Entries of a folder an import could resolve to: module files, and folders with a package.json or an index file
 * (so output folders such as dist/ or a lock file appearing beside main.ts do not count as a change). */
function resolvableEntries(dir) {
  const out = [];
  for (const e of readdirSync(join(REPO, dir), { withFileTypes: true })) {
    if (e.isDirectory() ? INDEX_FILES.some((f) => existsSync(join(REPO, dir, e.name, f))) : MODULE_FILE.test(e.name))
      out.push(e.name);
  }
  return out.sort();
}

function bundlePath(key) {
  return join(OUT_DIR, `main-${key}.cjs`);
}

/** V8's code cache of a bundle, beside it: `main-<key>.v8cache`. */
function codeCachePath(bundle) {
  return bundle.replace(/\.cjs$/, '.v8cache');
}

function writeAtomically(path, data) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** The key of the last build's input list as the files are now, or undefined when there is no usable list. */
function currentKey() {
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(INPUTS_FILE, 'utf8'));
  } catch {
    return undefined;
  }
  try {
    return keyOf(inputs, fingerprint);
  } catch {
    return undefined; // an input was deleted or a folder is gone: rebuild
  }
}

function build() {
  const esbuild = require(esbuildPath());
  const seen = new Map();
  const record = {
    name: 'record-inputs',
    setup(b) {
      b.onLoad({ filter: /.*/ }, (args) => {
        const contents = readFileSync(args.path);
        const path = relative(REPO, args.path);
        seen.set(path, isPackageFile(path) ? fingerprint(path) : contents);
        return { contents, loader: LOADERS[extname(args.path)] ?? 'js' };
      });
    },
  };
  return esbuild
    .build({
      absWorkingDir: REPO,
      entryPoints: [ENTRY],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      // Whitespace and syntax only (names stay, so classes, functions and stack traces read as in the sources):
      // a 2.7 MB bundle instead of 4.1 MB, about 4 % less CPU per synth (bench/synth-startup.ts, docs/benchmarks.md).
      minifyWhitespace: true,
      minifySyntax: true,
      tsconfig: join(REPO, 'tsconfig.json'),
      write: false,
      logLevel: 'silent',
      plugins: [record],
    })
    .then((out) => {
      const inputs = [...seen.keys()];
      const key = keyOf(inputs, (p) => seen.get(p));
      mkdirSync(OUT_DIR, { recursive: true });
      writeAtomically(bundlePath(key), out.outputFiles[0].contents);
      writeAtomically(INPUTS_FILE, JSON.stringify(inputs));
      for (const f of readdirSync(OUT_DIR)) {
        if (/^main-[0-9a-f]+\.(cjs|v8cache)$/.test(f) && !f.startsWith(`main-${key}.`))
          rmSync(join(OUT_DIR, f), { force: true });
      }
      return key;
    });
}

/** Path of an up-to-date bundle of main.ts, building it first when none matches the sources. */
export async function ensureBundle() {
  const key = currentKey();
  if (key !== undefined && existsSync(bundlePath(key))) return { path: bundlePath(key), built: false };
  return { path: bundlePath(await build()), built: true };
}

/**
 * Runs the bundle as `require(path)` would (same module wrapper, `require`, `module`, `__filename`, `__dirname`), but
 * compiles it with V8's code cache: the first run writes `main-<key>.v8cache` (V8's compiled code of every function
 * that ran, `Script.createCachedData()` after the run), later runs hand it to `new Script(..., { cachedData })`, which
 * skips parsing and compiling them. V8 checks the cache against the source, its own version and flags and rejects
 * a mismatch (`cachedDataRejected`); the cache is then written anew. Node 20 has no built-in module compile cache
 * (`module.enableCompileCache` arrived in Node 22.1). EDGE_SYNTH_NO_CODE_CACHE=1 turns it off (bench/synth-startup.ts
 * measures both).
 */
function runBundle(path) {
  const useCache = !process.env.EDGE_SYNTH_NO_CODE_CACHE;
  const cachePath = codeCachePath(path);
  let cachedData;
  if (useCache) {
    try {
      cachedData = readFileSync(cachePath);
    } catch {
      cachedData = undefined; // first run of this bundle
    }
  }
  const script = new Script(Module.wrap(readFileSync(path, 'utf8')), { filename: path, cachedData });
  const module = new Module(path, undefined);
  module.filename = path;
  module.paths = Module._nodeModulePaths(dirname(path));
  const moduleRequire = createRequire(path);
  script.runInThisContext().call(module.exports, module.exports, moduleRequire, module, path, dirname(path));
  module.loaded = true;
  if (useCache && (cachedData === undefined || script.cachedDataRejected)) {
    try {
      writeAtomically(cachePath, script.createCachedData());
    } catch {
      // a read-only checkout still synthesizes; it only stays slower
    }
  }
}

if (process.argv[1] && resolve(process.argv[1]) === SELF) {
  ensureBundle().then(
    ({ path }) => {
      runBundle(path);
    },
    (err) => {
      console.error(`synth failed: could not compile ${ENTRY}: ${err.message}`);
      process.exitCode = 1;
    },
  );
}
