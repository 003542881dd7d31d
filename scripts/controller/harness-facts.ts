import { EdgeModel, readEdgeModel } from '../../test/engine/harness/edge-model';
import { renderNginxConf } from '../../test/engine/harness/nginx-conf';
import { addCertificateFacts, configFacts } from './compare';

/** Where the controller writes a host's client CA (store.go syncSecret: `ca-<namespace>-<name>.pem` in the SSL folder). */
export function controllerCaFile(secretRef: string): string {
  return `/etc/ingress-controller/ssl/ca-${secretRef.replace('/', '-')}.pem`;
}

/**
 * The harness's nginx.conf for a dist/ folder (test/engine/harness/nginx-conf.ts renderNginxConf), rendered with the
 * image's paths instead of the temporary tree, so that paths compare: ModSecurity folders and mounts at their image
 * paths, listen ports 80/443, the client CA at the controller's file name for the first mTLS server's secret.
 */
export function renderHarnessConf(model: EdgeModel): string {
  const auth = model.servers.find((s) => s.auth)?.auth;
  const serverCertificates = new Map<string, { cert: string; key: string }>();
  for (const s of model.servers) {
    if (s.tlsSecretName)
      serverCertificates.set(s.host, {
        cert: `/secret/${s.ingress.namespace}/${s.tlsSecretName}/tls.crt`,
        key: `/secret/${s.ingress.namespace}/${s.tlsSecretName}/tls.key`,
      });
  }
  return renderNginxConf(model, {
    prefix: '/harness',
    httpPort: 80,
    httpsPort: 443,
    upstream: { host: '127.0.0.1', port: 8080 },
    tree: {
      modsecurityDir: '/etc/nginx/modsecurity',
      crsDir: '/etc/nginx/owasp-modsecurity-crs',
      baseConfigSource: 'image',
      crs: { dir: '/etc/nginx/owasp-modsecurity-crs', version: '4.22.0', major: 4, origin: 'image', setupFile: '' },
    },
    mounts: model.controller.mounts.map((m) => ({
      imagePath: m.mountPath.replace(/\/$/, ''),
      localDir: m.mountPath.replace(/\/$/, ''),
    })),
    serverCertificates,
    defaultCertificate: {
      cert: '/etc/ingress-controller/ssl/default-fake-certificate.pem',
      key: '/etc/ingress-controller/ssl/default-fake-certificate.pem',
    },
    clientCaFile: controllerCaFile(auth?.secret ?? 'none/none'),
    clientIpHeader: 'x-harness-client-ip',
    runWorkersAsRoot: false,
  });
}

/**
 * The arguments the harness's redirect emulation decides on, per location: nginx-conf.ts renders the redirect when
 * `forceSslRedirect || (sslRedirect && tls)` and strips a trailing slash ($harness_redirect_uri) and redirects to
 * `$host` (no port), i.e. preserve_trailing_slash false, use_port_in_redirects false, force_no_ssl_redirect false.
 * These are what the controller passes to lua_ingress.lua rewrite() (template.go locationConfigForLua).
 */
export function harnessLuaArgs(model: EdgeModel): (server: string, location: string) => Record<string, string> {
  return (host) => {
    const s = model.servers.find((x) => x.host === host);
    return {
      force_ssl_redirect: String(s?.forceSslRedirect ?? false),
      ssl_redirect: String(s?.sslRedirect ?? model.controller.sslRedirect),
      force_no_ssl_redirect: 'false',
      preserve_trailing_slash: 'false',
      use_port_in_redirects: 'false',
    };
  };
}

/** The harness's facts for a dist/ folder. */
export function harnessFacts(distRoot: string): Map<string, string> {
  const model = readEdgeModel(distRoot);
  // The harness redirects on ssl-redirect only for hosts with a TLS secret (nginx-conf.ts renderLocation).
  return addCertificateFacts(configFacts(renderHarnessConf(model), harnessLuaArgs(model)), (host) =>
    model.servers.some((s) => s.host === host && s.tlsSecretName !== undefined),
  );
}
