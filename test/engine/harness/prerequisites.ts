import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { currentEngine, EngineRoot, enginePath, nginxBinary, TRIXIE_SCRIPT } from './engine-root';
import { findBaseConfig, findCrs } from './modsecurity-tree';

/** Environment variable that lets a user skip the real-engine suite explicitly. */
export const SKIP_ENV = 'SKIP_ENGINE_TESTS';

/** The exact command that installs what the suite needs on Debian/Ubuntu (also what `.ci/run` installs). */
export const INSTALL_COMMAND =
  'sudo apt-get install -y --no-install-recommends nginx-light libnginx-mod-http-modsecurity modsecurity-crs openssl';

const MODULE = '/usr/lib/nginx/modules/ngx_http_modsecurity_module.so';

/**
 * What is missing for the real-engine suite on the selected engine (the trixie root or the host, see
 * engine-root.ts); empty when everything is there.
 */
export function missingPrerequisites(engine: EngineRoot = currentEngine()): string[] {
  const missing: string[] = [];
  const where = engine.kind === 'trixie' ? ` in the Debian 13 root ${engine.root} (rebuild it: ${TRIXIE_SCRIPT})` : '';
  const bin = nginxBinary(engine);
  const nginx =
    engine.kind === 'trixie'
      ? spawnSync('chroot', [engine.root, bin, '-V'], { encoding: 'utf8' })
      : spawnSync(bin, ['-V'], { encoding: 'utf8' });
  if (nginx.error || nginx.status !== 0) missing.push(`nginx (Debian package nginx-light): "${bin} -V" failed${where}`);
  else {
    const build = nginx.stderr ?? '';
    for (const mod of ['--with-http_ssl_module', '--with-http_realip_module'])
      if (!build.includes(mod)) missing.push(`nginx built ${mod} (Debian package nginx-light has it)${where}`);
  }
  if (!existsSync(enginePath(engine, MODULE)))
    missing.push(`${MODULE} (Debian package libnginx-mod-http-modsecurity)${where}`);
  if (!findBaseConfig(engine))
    missing.push(
      `ModSecurity base config /usr/share/nginx/docs/modsecurity/modsecurity.conf (Debian package libnginx-mod-http-modsecurity)${where}`,
    );
  if (!findCrs()) missing.push('OWASP CRS: ../shared/crs-v4.22.0, $ENGINE_CRS_DIR, or Debian package modsecurity-crs');
  const ssl = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  if (ssl.error || ssl.status !== 0) missing.push('openssl (Debian package openssl)');
  return missing;
}

/**
 * Decides whether the suite runs. Missing packages fail the suite with the install command; only the explicit
 * opt-out `SKIP_ENGINE_TESTS=1` skips it, and then says so loudly.
 */
export function engineAvailability(
  env: NodeJS.ProcessEnv = process.env,
  probe: () => string[] = missingPrerequisites,
): { run: true } | { run: false; reason: string } {
  if (env[SKIP_ENV] === '1' || env[SKIP_ENV] === 'true') {
    const reason =
      `${SKIP_ENV}=${env[SKIP_ENV]}: the real-engine conformance suite (nginx + ModSecurity + OWASP CRS) is SKIPPED. ` +
      'Nothing proves that the WAF blocks attacks or that mutual TLS rejects bad clients in this run.';
    return { run: false, reason };
  }
  const engine = currentEngine();
  if (engine.fallbackReason && !fallbackAnnounced) {
    fallbackAnnounced = true;
    loudWarning(engine.fallbackReason);
  }
  const missing = probe();
  if (missing.length > 0) {
    throw new Error(
      `The real-engine conformance suite needs packages that are not installed:\n  - ${missing.join('\n  - ')}\n` +
        `Install them with:\n  ${INSTALL_COMMAND}\n` +
        `(or set ${SKIP_ENV}=1 to skip this suite explicitly).`,
    );
  }
  return { run: true };
}

let fallbackAnnounced = false;

/** Prints a banner that cannot be missed in test output. */
export function loudWarning(text: string): void {
  const bar = '!'.repeat(100);
  process.stderr.write(`\n${bar}\n!!! ${text}\n${bar}\n\n`);
}
