import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from '../cluster/paths';

/** The ingress-nginx release the project pins (dist/ runs controller v1.15.1). */
export const INGRESS_NGINX = {
  module: 'k8s.io/ingress-nginx',
  tag: 'controller-v1.15.1',
  commit: '0a5901f3c64f11e92e487799b8da3f00cca37515',
  /** The tag's commit as a Go pseudo-version (committer time 2026-03-19T21:15:45Z; no semver tag precedes it). */
  pseudoVersion: 'v0.0.0-20260319211545-0a5901f3c64f',
} as const;

/** Environment variables that point the runner at a controller binary and an /etc/nginx tree built elsewhere. */
export const CONTROLLER_ENV = {
  binary: 'EDGE_INGRESS_NGINX_BIN',
  etcNginx: 'EDGE_INGRESS_NGINX_ETC',
} as const;

/** Where the controller binary and its image's /etc/nginx tree are, or why they are not available. */
export interface ControllerArtifacts {
  /** The nginx-ingress-controller binary. */
  readonly binary: string;
  /** The image's /etc/nginx (template/nginx.tmpl, lua/, nginx.conf), from the module's rootfs/etc/nginx. */
  readonly etcNginx: string;
}

/**
 * The controller built by scripts/test-deps/25-ingress-nginx.sh (`<cache>/bin/nginx-ingress-controller`) and the
 * module's rootfs/etc/nginx in the Go module cache, or the paths of {@link CONTROLLER_ENV}. Returns a reason string
 * when either is missing.
 */
export function controllerArtifacts(env: NodeJS.ProcessEnv = process.env): ControllerArtifacts | string {
  const binary = env[CONTROLLER_ENV.binary] || join(cacheDir(), 'bin', 'nginx-ingress-controller');
  const etcNginx =
    env[CONTROLLER_ENV.etcNginx] ||
    join(cacheDir(), 'go', 'mod', `${INGRESS_NGINX.module}@${INGRESS_NGINX.pseudoVersion}`, 'rootfs', 'etc', 'nginx');
  if (!existsSync(binary)) {
    return (
      `no ingress-nginx controller at ${binary}: scripts/test-deps/25-ingress-nginx.sh builds it when the Go module proxy ` +
      `serves ${INGRESS_NGINX.module}@${INGRESS_NGINX.pseudoVersion} (${INGRESS_NGINX.tag}); see its output`
    );
  }
  if (!existsSync(join(etcNginx, 'template', 'nginx.tmpl'))) return `no nginx.tmpl under ${etcNginx}`;
  return { binary, etcNginx };
}
