/**
 * Example 2: an operator adds a new client (hospital) and a WAF exclusion to a running edge.
 *
 * The edge is described by one typed configuration (here the reference deployment). Onboarding `hospital-c` is two
 * list entries: the client CA issues it a certificate, and the Ingress allow-list admits it. The WAF exclusion turns
 * off one CRS rule (942100, SQL injection by libinjection) for one path of one host only, where a false positive was
 * confirmed in the audit log. Everything else in `dist/` stays byte-for-byte the same.
 *
 * Run it: `npx tsx examples/new-client.ts [outdir]` (writes the layered tree, default `dist.examples`), then review
 * the change against the committed tree with `npm run diff`-style tooling before committing.
 * In your own app, import from 'aks-waf-mtls-edge' instead of '../lib'.
 */
import { buildEdgeApp, EdgeDeploymentConfig, REFERENCE_DEPLOYMENT, synthesize } from '../lib';

const base = REFERENCE_DEPLOYMENT;

/** The reference deployment with hospital C onboarded and one scoped CRS exclusion. */
export const WITH_NEW_CLIENT: EdgeDeploymentConfig = {
  ...base,
  mtls: {
    ...base.mtls,
    clients: [...base.mtls.clients, 'hospital-c'],
    allowedClients: [...(base.mtls.allowedClients ?? base.mtls.clients), 'hospital-c'],
  },
  waf: {
    ...base.waf,
    exclusions: [
      ...(base.waf.exclusions ?? []),
      {
        ruleIds: [942100],
        host: base.app.hosts[0].host,
        path: '/reports',
        target: 'ARGS:query',
        description: 'hospital-c sends SQL-like report filters in the query argument',
      },
    ],
  },
};

if (require.main === module) {
  synthesize({ cdk8s: { build: () => buildEdgeApp(WITH_NEW_CLIENT), outdir: process.argv[2] ?? 'dist.examples' } });
}
