import { buildEdgeApp, REFERENCE_DEPLOYMENT } from '../../lib';
import { renderObjects, renderTree } from '../../lib/synth/render';
import { WITH_NEW_CLIENT } from '../../examples/new-client';
import { objectsOf } from '../support/dist';
import { validateManifest } from '../support/schema';

const P = 'nginx.ingress.kubernetes.io/';

describe('example 2: an operator adds a new client and a WAF exclusion', () => {
  const before = renderTree(renderObjects(buildEdgeApp(REFERENCE_DEPLOYMENT)));
  const after = renderTree(renderObjects(buildEdgeApp(WITH_NEW_CLIENT)));
  const changed = [...after.keys()].filter((f) => before.get(f) !== after.get(f)).sort();
  const removed = [...before.keys()].filter((f) => !after.has(f));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const objectIn = (file: string): any => objectsOf(new Map([[file, after.get(file)!]]))[0].manifest;

  test('changes only the client certificate, the allow-list and the WAF policy', () => {
    expect(removed).toEqual([]);
    expect(changed).toEqual([
      '10-controller/ingress-nginx_configmap_ingress-nginx-controller.yaml',
      '10-controller/ingress-nginx_configmap_ingress-nginx-waf-policy.yaml',
      // the policy's sha256 on the pod template: a policy change rolls the controller
      '10-controller/ingress-nginx_deployment_ingress-nginx-controller.yaml',
      '20-certificates/client-certificates_certificate_hospital-c.yaml',
      '20-certificates/kustomization.yaml',
      '30-apps/echo_ingress_echo.yaml',
      // the second host's Ingress carries the same allow-list
      '30-apps/echo_ingress_portal.yaml',
    ]);
  });

  test('hospital-c gets a client certificate from the managed CA', () => {
    const cert = objectIn('20-certificates/client-certificates_certificate_hospital-c.yaml');
    expect(cert).toMatchObject({
      kind: 'Certificate',
      metadata: { name: 'hospital-c', namespace: 'client-certificates' },
      spec: {
        commonName: 'hospital-c',
        secretName: 'hospital-c-client-tls',
        issuerRef: { kind: 'Issuer', name: 'hospital-client-ca' },
      },
    });
    validateManifest(cert);
  });

  test('the Ingress allow-list admits hospital-c next to the existing clients', () => {
    const ingress = objectIn('30-apps/echo_ingress_echo.yaml');
    expect(ingress.metadata.annotations[`${P}auth-tls-match-cn`]).toBe(
      'CN=(?:hospital-a|hospital-b|hospital-c)(?:,|$)|^$',
    );
    validateManifest(ingress);
  });

  test('the exclusion removes one CRS rule for one argument, only on /reports of the app host', () => {
    const configMap = objectIn('10-controller/ingress-nginx_configmap_ingress-nginx-waf-policy.yaml');
    const snippet: string = configMap.data['policy.conf'];
    expect(snippet).toContain('ctl:ruleRemoveTargetById=942100;ARGS:query');
    // The host rule chains to the path rule, whose last action removes the target (a file: no nginx escaping).
    const lines = snippet.split('\n');
    // Scoped on the host nginx routed on (lib/waf/scope.ts), not the raw Host header.
    const host = lines.findIndex((l) => l.startsWith('SecRule TX:edge_waf_host "@pm /echo.example.com/"'));
    expect(host).toBeGreaterThan(0);
    expect(lines[host]).toMatch(/,chain"$/);
    expect(lines[host + 1]).toBe(
      '  SecRule REQUEST_FILENAME "@rx \\A/reports(?:/|\\z)" "t:none,t:normalizePath,ctl:ruleRemoveTargetById=942100;ARGS:query"',
    );
    expect(snippet).not.toContain('ctl:ruleRemoveById=942100');
    validateManifest(configMap);
  });
});
