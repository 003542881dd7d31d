import { EdgeDeploymentConfig } from './config';

/**
 * The public hosts of a deployment (the Ingress hosts and the DNS records of the Azure side), read in one place.
 * `config.app` carries either `host` (one host) or `hosts` (a list); both are accepted so the Azure side does not
 * depend on which shape the apps section has; the second host (`config.app.portal`) follows. Duplicates are dropped, order is kept.
 */
export function ingressHosts(config: EdgeDeploymentConfig): string[] {
  const app = config.app as { readonly host?: unknown; readonly hosts?: unknown; readonly portal?: { readonly host?: unknown } };
  const hosts: unknown[] = [];
  if (Array.isArray(app.hosts)) hosts.push(...app.hosts);
  if (app.host !== undefined) hosts.push(app.host);
  if (app.portal?.host !== undefined) hosts.push(app.portal.host);
  const names = hosts.map((h) => (typeof h === 'object' && h !== null && 'host' in h ? (h as { host: unknown }).host : h));
  return [...new Set(names.filter((h): h is string => typeof h === 'string'))];
}
