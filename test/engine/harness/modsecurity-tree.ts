import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { REPO_ROOT } from '../../support/dist';
import type { MountedConfigMapModel } from './edge-model';
import { currentEngine, EngineRoot, enginePath } from './engine-root';

/**
 * The files the ingress-nginx v1.15.1 image ships under `/etc/nginx/modsecurity/` and
 * `/etc/nginx/owasp-modsecurity-crs/`, recreated in a temporary tree. The image builds them in
 * `images/nginx/rootfs/build.sh` (tag controller-v1.15.1, lines 369-421):
 *
 * - `modsecurity/modsecurity.conf` = libmodsecurity v3.0.14 `modsecurity.conf-recommended` with
 *   `SecAuditLogType Serial` → `Concurrent` and `SecAuditLogStorageDir /var/log/audit/` appended;
 *   `modsecurity/unicode.mapping` from the same release.
 * - `owasp-modsecurity-crs/` = CRS v4.22.0 with `crs-setup.conf.example` → `crs-setup.conf`, the two
 *   `*.conf.example` exclusion files renamed to `.conf`, and `nginx-modsecurity.conf` = an explicit Include list.
 */
export interface ModSecurityTree {
  /** Replaces `/etc/nginx/modsecurity` in the rendered configuration. */
  readonly modsecurityDir: string;
  /** Replaces `/etc/nginx/owasp-modsecurity-crs` in the rendered configuration. */
  readonly crsDir: string;
  /** Where the CRS came from and which version it is. */
  readonly crs: CrsSource;
  /** Where the base modsecurity.conf came from. */
  readonly baseConfigSource: string;
}

/** A CRS release on disk. */
export interface CrsSource {
  readonly dir: string;
  readonly version: string;
  readonly major: 3 | 4;
  /** Human description: "../shared/crs-v4.22.0" or "Debian modsecurity-crs 3.3.4". */
  readonly origin: string;
  /** crs-setup.conf (or its .example) of this release. */
  readonly setupFile: string;
}

/** Environment variable that points the harness at a CRS checkout (a folder with crs-setup.conf[.example] and rules/). */
export const CRS_DIR_ENV = 'ENGINE_CRS_DIR';

/** Base config shipped by Debian's libnginx-mod-http-modsecurity (libmodsecurity3's modsecurity.conf-recommended). */
const DEBIAN_BASE_CONFIG = ['/usr/share/nginx/docs/modsecurity/modsecurity.conf', '/etc/nginx/modsecurity.conf'];
const DEBIAN_UNICODE_MAPPING = ['/usr/share/nginx/docs/modsecurity/unicode.mapping', '/etc/nginx/unicode.mapping'];
const DEBIAN_CRS = { rules: '/usr/share/modsecurity-crs/rules', setup: '/etc/modsecurity/crs/crs-setup.conf' };

/** The image's CRS v4 include list (build.sh lines 391-421; RESPONSE-956 is not listed there, so not loaded). */
const IMAGE_CRS4_INCLUDES = [
  'REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf',
  'REQUEST-901-INITIALIZATION.conf',
  'REQUEST-905-COMMON-EXCEPTIONS.conf',
  'REQUEST-911-METHOD-ENFORCEMENT.conf',
  'REQUEST-913-SCANNER-DETECTION.conf',
  'REQUEST-920-PROTOCOL-ENFORCEMENT.conf',
  'REQUEST-921-PROTOCOL-ATTACK.conf',
  'REQUEST-922-MULTIPART-ATTACK.conf',
  'REQUEST-930-APPLICATION-ATTACK-LFI.conf',
  'REQUEST-931-APPLICATION-ATTACK-RFI.conf',
  'REQUEST-932-APPLICATION-ATTACK-RCE.conf',
  'REQUEST-933-APPLICATION-ATTACK-PHP.conf',
  'REQUEST-934-APPLICATION-ATTACK-GENERIC.conf',
  'REQUEST-941-APPLICATION-ATTACK-XSS.conf',
  'REQUEST-942-APPLICATION-ATTACK-SQLI.conf',
  'REQUEST-943-APPLICATION-ATTACK-SESSION-FIXATION.conf',
  'REQUEST-944-APPLICATION-ATTACK-JAVA.conf',
  'REQUEST-949-BLOCKING-EVALUATION.conf',
  'RESPONSE-950-DATA-LEAKAGES.conf',
  'RESPONSE-951-DATA-LEAKAGES-SQL.conf',
  'RESPONSE-952-DATA-LEAKAGES-JAVA.conf',
  'RESPONSE-953-DATA-LEAKAGES-PHP.conf',
  'RESPONSE-954-DATA-LEAKAGES-IIS.conf',
  'RESPONSE-955-WEB-SHELLS.conf',
  'RESPONSE-959-BLOCKING-EVALUATION.conf',
  'RESPONSE-980-CORRELATION.conf',
  'RESPONSE-999-EXCLUSION-RULES-AFTER-CRS.conf',
];

/**
 * Finds the CRS to load: `$ENGINE_CRS_DIR`, else `../shared/crs-v4.22.0` beside the repository, else Debian's
 * `modsecurity-crs` package. Returns undefined when none is present.
 */
export function findCrs(env: NodeJS.ProcessEnv = process.env): CrsSource | undefined {
  const candidates: { dir: string; origin: string }[] = [];
  const debianWanted = env[CRS_DIR_ENV] === '/usr/share/modsecurity-crs';
  if (env[CRS_DIR_ENV] && !debianWanted)
    candidates.push({ dir: env[CRS_DIR_ENV]!, origin: `$${CRS_DIR_ENV}=${env[CRS_DIR_ENV]}` });
  if (!debianWanted)
    candidates.push({ dir: join(REPO_ROOT, '..', 'shared', 'crs-v4.22.0'), origin: '../shared/crs-v4.22.0' });
  for (const c of candidates) {
    const setup = ['crs-setup.conf', 'crs-setup.conf.example'].map((f) => join(c.dir, f)).find(existsSync);
    if (setup && existsSync(join(c.dir, 'rules'))) {
      const version = crsVersion(readFileSync(setup, 'utf8'));
      return { dir: c.dir, version, major: version.startsWith('3.') ? 3 : 4, origin: c.origin, setupFile: setup };
    }
  }
  if (existsSync(DEBIAN_CRS.rules) && existsSync(DEBIAN_CRS.setup)) {
    const version = crsVersion(readFileSync(DEBIAN_CRS.setup, 'utf8'));
    return {
      dir: '/usr/share/modsecurity-crs',
      version,
      major: version.startsWith('3.') ? 3 : 4,
      origin: `Debian modsecurity-crs (CRS ${version})`,
      setupFile: DEBIAN_CRS.setup,
    };
  }
  return undefined;
}

function crsVersion(setup: string): string {
  const m = /OWASP (?:ModSecurity Core Rule Set|CRS) ver\.(\d+\.\d+\.\d+)/.exec(setup);
  return m ? m[1] : 'unknown';
}

/**
 * Path (on the host) of the base config the harness starts from: the engine's Debian copy of
 * modsecurity.conf-recommended (in the trixie root when nginx runs there, see engine-root.ts).
 */
export function findBaseConfig(engine: EngineRoot = currentEngine()): string | undefined {
  return DEBIAN_BASE_CONFIG.map((p) => enginePath(engine, p)).find(existsSync);
}

/** Builds the image's `/etc/nginx/modsecurity` and `/etc/nginx/owasp-modsecurity-crs` under `root`. */
export function buildModSecurityTree(root: string, crs: CrsSource): ModSecurityTree {
  const modsecurityDir = join(root, 'modsecurity');
  const crsDir = join(root, 'owasp-modsecurity-crs');
  const auditDir = join(root, 'audit');
  mkdirSync(modsecurityDir, { recursive: true });
  mkdirSync(join(crsDir, 'rules'), { recursive: true });
  mkdirSync(auditDir, { recursive: true });

  const baseConfigSource = findBaseConfig();
  const unicode = DEBIAN_UNICODE_MAPPING.map((p) => enginePath(currentEngine(), p)).find(existsSync);
  if (!baseConfigSource || !unicode)
    throw new Error(
      `no ModSecurity base config: install the Debian package libnginx-mod-http-modsecurity (looked for ${DEBIAN_BASE_CONFIG.join(', ')})`,
    );
  writeFileSync(
    join(modsecurityDir, 'modsecurity.conf'),
    imageBaseConfig(readFileSync(baseConfigSource, 'utf8'), auditDir),
  );
  writeFileSync(join(modsecurityDir, 'unicode.mapping'), readFileSync(unicode));

  writeFileSync(join(crsDir, 'crs-setup.conf'), readFileSync(crs.setupFile, 'utf8'));
  const rulesDir = join(crs.dir, 'rules');
  const crsRoot = `${realpathSync(crs.dir)}/`;
  for (const file of readdirSync(rulesDir)) {
    const target = file.replace(/\.conf\.example$/, '.conf');
    // A rule file that links outside the CRS folder (Debian links two to /etc/modsecurity/crs) is copied: the trixie
    // engine runs chrooted and sees only the CRS folder and the temporary tree (engine-root.ts).
    const real = realpathSync(join(rulesDir, file));
    if (real.startsWith(crsRoot)) symlinkSync(join(rulesDir, file), join(crsDir, 'rules', target));
    else writeFileSync(join(crsDir, 'rules', target), readFileSync(real));
  }
  // Debian ships the two exclusion files under /etc/modsecurity/crs; CRS 3 checkouts have them as .example.
  for (const f of ['REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf', 'RESPONSE-999-EXCLUSION-RULES-AFTER-CRS.conf']) {
    const link = join(crsDir, 'rules', f);
    if (!existsSync(link)) {
      const debian = join('/etc/modsecurity/crs', f);
      if (existsSync(debian)) writeFileSync(link, readFileSync(debian));
      else writeFileSync(link, '');
    }
  }
  if (crs.major === 3) {
    // REQUEST-900 loads right before REQUEST-901 (initialization) both in the include list and in a rules/*.conf
    // glob, after any SecAction of the policy: the place to translate the policy's CRS 4 variables.
    const before = join(crsDir, 'rules', 'REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf');
    const text = readFileSync(before, 'utf8');
    rmSync(before);
    writeFileSync(before, crs3Compat(text));
  }
  const present = new Set(readdirSync(join(crsDir, 'rules')));
  const includes =
    crs.major === 4
      ? IMAGE_CRS4_INCLUDES.filter((f) => present.has(f))
      : [...present].filter((f) => f.endsWith('.conf')).sort();
  const missing = crs.major === 4 ? IMAGE_CRS4_INCLUDES.filter((f) => !present.has(f)) : [];
  if (missing.length > 0)
    throw new Error(`CRS at ${crs.dir} lacks files the v1.15.1 image includes: ${missing.join(', ')}`);
  writeFileSync(
    join(crsDir, 'nginx-modsecurity.conf'),
    ['', `Include ${crsDir}/crs-setup.conf`, ...includes.map((f) => `Include ${crsDir}/rules/${f}`), ''].join('\n'),
  );
  return { modsecurityDir, crsDir, crs, baseConfigSource };
}

/**
 * The image's modsecurity.conf from Debian's modsecurity.conf-recommended (libmodsecurity 3.0.9): first the three
 * differences of the v3.0.14 file (rule 200005 gains `log`, `SecAuditLog /var/log/modsec_audit.log`,
 * `SecStatusEngine Off`), then the two edits of build.sh (Concurrent audit log type, storage dir; the storage dir is
 * mapped into the temporary tree).
 */
export function imageBaseConfig(debian: string, auditDir: string): string {
  return (
    debian
      .replace(/("id:'200005',phase:2,t:none,)deny,/, '$1log,deny,')
      .replace(/^SecAuditLog \S+$/m, `SecAuditLog ${join(auditDir, 'modsec_audit.log')}`)
      .replace(/^SecStatusEngine On$/m, 'SecStatusEngine Off')
      .replace(/SecAuditLogType Serial/g, 'SecAuditLogType Concurrent')
      .trimEnd() + `\nSecAuditLogStorageDir ${auditDir}/\n`
  );
}

/**
 * Debian's CRS 3 fallback needs the v3 names of the setup variables: a v4 policy sets
 * `tx.blocking_paranoia_level` / `tx.detection_paranoia_level`, CRS 3 reads `tx.paranoia_level` /
 * `tx.executing_paranoia_level`. Appended to REQUEST-900 so a dist policy keeps its meaning.
 */
export function crs3Compat(requestBefore: string): string {
  return (
    requestBefore +
    '\n# real-engine harness: CRS 3 fallback, map the CRS 4 paranoia variables a v4 policy sets\n' +
    'SecRule &TX:blocking_paranoia_level "@eq 1" "id:900001,phase:1,pass,nolog,t:none,setvar:tx.paranoia_level=%{tx.blocking_paranoia_level}"\n' +
    'SecRule &TX:detection_paranoia_level "@eq 1" "id:900002,phase:1,pass,nolog,t:none,setvar:tx.executing_paranoia_level=%{tx.detection_paranoia_level}"\n'
  );
}

/** A folder mounted into the controller container (from the Deployment in dist), recreated in the temporary tree. */
export interface LocalMount {
  /** Folder in the container, without trailing slash. */
  readonly imagePath: string;
  /** The temporary folder holding the mounted files. */
  readonly localDir: string;
}

/**
 * Rewrites the image paths in rendered text to the temporary tree: the image's ModSecurity folders and the folders
 * mounted into the controller (a mount path only where a path element ends, longest first).
 */
export function mapImagePaths(text: string, tree: ModSecurityTree, mounts: readonly LocalMount[] = []): string {
  let out = text;
  for (const m of [...mounts].sort((a, b) => b.imagePath.length - a.imagePath.length)) {
    out = out.replace(
      new RegExp(`${m.imagePath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=/|$|[\\s"';])`, 'gm'),
      () => m.localDir,
    );
  }
  return out
    .split('/etc/nginx/owasp-modsecurity-crs')
    .join(tree.crsDir)
    .split('/etc/nginx/modsecurity')
    .join(tree.modsecurityDir);
}

/** Writes each mounted ConfigMap's files into `root/<namespace>_<name>/`, with their image paths mapped too. */
export function materializeMounts(
  root: string,
  mounts: readonly MountedConfigMapModel[],
  tree: ModSecurityTree,
): LocalMount[] {
  const local = mounts.map((m) => ({
    imagePath: m.mountPath,
    localDir: join(root, `${m.configMap.namespace}_${m.configMap.name}`),
  }));
  mounts.forEach((m, i) => {
    mkdirSync(local[i].localDir, { recursive: true });
    for (const [file, content] of Object.entries(m.files)) {
      if (file.includes('/') || file.startsWith('.'))
        throw new Error(
          `mounted ConfigMap ${m.configMap.namespace}/${m.configMap.name}: file name ${file} is not a plain file name`,
        );
      writeFileSync(join(local[i].localDir, file), mapImagePaths(content, tree, local));
    }
  });
  return local;
}

/** For messages: the base name of a CRS source folder. */
export function describeCrs(crs: CrsSource): string {
  return `OWASP CRS ${crs.version} from ${crs.origin} (${basename(crs.dir)})`;
}
