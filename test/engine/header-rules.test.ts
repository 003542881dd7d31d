/**
 * Deny-request-header rules on the real engine (nginx + libmodsecurity + CRS), against the adversarial rows of
 * harness/adversarial/header-rules.ts: whitespace, case, lists, repeated lines, name variants, malformed lines.
 * The controller objects are synthesized from a WafPolicy with those rules and mounted into the fixture like
 * large-policy.test.ts does.
 */
import { rmSync } from 'node:fs';
import { connect } from 'node:tls';
import { Testing } from 'cdk8s';
import { ModSecurityController } from '../../lib/controller/controller';
import type { KubeManifest } from '../../lib/synth/render';
import { WafPolicy } from '../../lib/waf/policy';
import { HEADER_RULE_ROWS, HEADER_RULES_POLICY, HeaderRuleRow } from './harness/adversarial/header-rules';
import { copyDist, FIXTURE_DIST, writeControllerObjects } from './harness/dist-copy';
import { EdgeEngine, MARKER_HEADER, startEdgeEngine } from './harness/engine';
import { describeEngine } from './harness/jest-engine';
import { pem } from './harness/pki';

jest.setTimeout(60000);

function distWith(waf: WafPolicy): string {
  const chart = Testing.chart();
  new ModSecurityController(chart, 'ingress-nginx', { waf, admissionWebhook: false });
  const objects = (Testing.synth(chart) as KubeManifest[]).filter(
    (o) => (o.kind === 'ConfigMap' || o.kind === 'Deployment') && o.metadata.namespace === 'ingress-nginx',
  );
  const dist = copyDist(FIXTURE_DIST);
  writeControllerObjects(dist, objects);
  return dist;
}

/** Sends header lines verbatim over TLS (with the default client certificate); returns the status code. */
function rawStatus(engine: EdgeEngine, row: HeaderRuleRow): Promise<number> {
  const files = engine.pki.clients.get(engine.model.clients[0].commonName)!;
  const head = [
    `GET /${row.id} HTTP/1.1`,
    `Host: ${engine.host}`,
    `${MARKER_HEADER}: ${row.id}`,
    ...row.rawLines!,
    'Connection: close',
    '',
    '',
  ].join('\r\n');
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: '127.0.0.1',
      port: engine.ports.https,
      servername: engine.host,
      ca: pem(engine.pki.serverCa.cert),
      cert: pem(files.cert),
      key: pem(files.key),
    });
    let text = '';
    socket.setTimeout(10000, () => socket.destroy(new Error(`timeout on raw request ${row.id}`)));
    socket.on('secureConnect', () => socket.write(head, 'latin1'));
    socket.on('data', (d: Buffer) => {
      text += d.toString('latin1');
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      if (m) resolve(Number(m[1]));
      else reject(new Error(`no HTTP status for raw request ${row.id}: ${JSON.stringify(text.slice(0, 200))}`));
    });
  });
}

describeEngine('deny-request-header rules against adversarial request shapes, on the real engine', () => {
  let engine: EdgeEngine;
  let dist: string;
  beforeAll(async () => {
    dist = distWith(new WafPolicy({ mode: 'On', denyRequestHeaders: HEADER_RULES_POLICY }));
    engine = await startEdgeEngine({ distRoot: dist });
  });
  afterAll(async () => {
    await engine?.stop();
    if (dist) rmSync(dist, { recursive: true, force: true });
  });

  test.each(HEADER_RULE_ROWS.map((r) => [r.title, r] as const))('%s', async (_t, row) => {
    if (row.rawLines) {
      expect(await rawStatus(engine, row)).toBe(row.status);
      return;
    }
    const { response, audit } = await engine.request({
      path: `/${row.id}`,
      headers: row.headers as Record<string, string>,
      marker: row.id,
    });
    expect(response.status).toBe(row.status);
    if (row.status === 403) expect(audit?.messages.join('\n')).toContain('Denied request header');
    for (const [name, value] of Object.entries(row.backendSees ?? {})) {
      expect(response.upstream?.headers[name]).toBe(value);
    }
  });
});
