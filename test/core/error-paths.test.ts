/**
 * Where a validation error points: a construct used as a library names its construct path and the prop path as the
 * user wrote it in that construct's props; the reference deployment names the config path its user wrote. Each
 * representative check is run both ways. Late checks (facts known only after the constructor) run in
 * `node.validate()` and reach the synth pipeline as the same ValidationError, before anything is written.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Chart, Testing } from 'cdk8s';
import { Quantity } from 'cdk8s-plus-27/lib/imports/k8s';
import { App as CdktfApp } from 'cdktf';
import { AksStack } from '../../lib/azure/aks-stack';
import { ModSecurityController } from '../../lib/controller/controller';
import { propsValidator, ValidationError, withFieldPaths } from '../../lib/core/validation';
import { ManagedClientCa } from '../../lib/mtls/managed-client-ca';
import { MtlsIngress, MtlsIngressProps } from '../../lib/mtls/mtls-ingress';
import { buildEdgeApp } from '../../lib/reference/cdk8s-app';
import { aksStackProps, buildAzureApp } from '../../lib/reference/cdktf-app';
import { EdgeDeploymentConfig, REFERENCE_DEPLOYMENT } from '../../lib/reference/config';
import { LayerChart } from '../../lib/synth/layers';
import { synthesize } from '../../lib/synth/pipeline';
import { synthesizeCharts } from '../../lib/synth/synth-charts';
import { WafPolicy } from '../../lib/waf/policy';
import { fingerprint, leftovers } from '../synth/support';

/** The ValidationError `build` throws (fails the test when it throws none or another error). */
function errorOf(build: () => unknown): ValidationError {
  try {
    build();
  } catch (err) {
    if (ValidationError.isValidationError(err)) return err;
    throw err;
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}

/** An app with one chart `edge`, as a library user builds one. */
function edgeChart(): Chart {
  return new Chart(new App(), 'edge');
}

function ingressProps(ca: ManagedClientCa, overrides: Partial<MtlsIngressProps> = {}): MtlsIngressProps {
  return {
    namespace: 'echo',
    ingressClassName: 'nginx',
    hosts: [{ host: 'echo.example.com' }],
    backend: { serviceName: 'echo', servicePort: 80 },
    serverTls: { clusterIssuer: 'letsencrypt-staging' },
    clientAuth: { ca, allowedClients: ['hospital-a'] },
    ...overrides,
  };
}

function managedCa(chart: Chart): ManagedClientCa {
  const ca = new ManagedClientCa(chart, 'client-ca', { name: 'hospital-ca', namespace: 'pki' });
  ca.addClient('hospital-a');
  ca.addClient('hospital-b');
  return ca;
}

/** The reference deployment with `change` applied to a copy of its config. */
function referenceWith(change: (c: EdgeDeploymentConfig) => EdgeDeploymentConfig): () => App {
  return () => buildEdgeApp(change(REFERENCE_DEPLOYMENT));
}

describe('errors name the path the user wrote', () => {
  describe('library use: the construct path and the prop path', () => {
    test('rejects a memory limit below the sizing rule, naming ModSecurityController "edge/controller" and resources.limits.memory', () => {
      const err = errorOf(
        () =>
          new ModSecurityController(edgeChart(), 'controller', {
            waf: new WafPolicy({ servedHosts: ['echo.example.com'] }),
            resources: { limits: { memory: Quantity.fromString('64Mi') } },
          }),
      );
      expect(err.construct).toEqual({ kind: 'ModSecurityController', path: 'edge/controller' });
      expect(err.field).toBe('resources.limits.memory');
      expect(err.value).toBe('64Mi');
      expect(err.message).toMatch(
        /^ModSecurityController "edge\/controller": resources\.limits\.memory: "64Mi" is below /,
      );
    });

    test('rejects an allowed client that is not a client of the CA, naming MtlsIngress "edge/echo" and clientAuth.allowedClients[2]', () => {
      const chart = edgeChart();
      const ca = managedCa(chart);
      const err = errorOf(
        () =>
          new MtlsIngress(
            chart,
            'echo',
            ingressProps(ca, { clientAuth: { ca, allowedClients: ['hospital-a', 'hospital-b', 'hospital-z'] } }),
          ),
      );
      expect(err.construct).toEqual({ kind: 'MtlsIngress', path: 'edge/echo' });
      expect(err.field).toBe('clientAuth.allowedClients[2]');
      expect(err.message).toMatch(
        /^MtlsIngress "edge\/echo": clientAuth\.allowedClients\[2\]: "hospital-z" is not a client of CA "hospital-ca"/,
      );
    });

    test('rejects a host that is not a host name, naming MtlsIngress "edge/echo" and hosts[1].host', () => {
      const chart = edgeChart();
      const ca = managedCa(chart);
      const err = errorOf(
        () =>
          new MtlsIngress(
            chart,
            'echo',
            ingressProps(ca, { hosts: [{ host: 'echo.example.com' }, { host: 'Portal_Example.com' }] }),
          ),
      );
      expect(err.field).toBe('hosts[1].host');
      expect(err.message).toMatch(
        /^MtlsIngress "edge\/echo": hosts\[1\]\.host: "Portal_Example\.com" has an invalid label/,
      );
    });

    test("rejects a client CA's duplicate client, naming the addClient call", () => {
      const ca = managedCa(edgeChart());
      const err = errorOf(() => ca.addClient('hospital-c', { commonName: 'hospital-a' }));
      expect(err.construct).toEqual({ kind: 'ManagedClientCa', path: 'edge/client-ca' });
      expect(err.field).toBe('addClient("hospital-c").commonName');
    });
  });

  describe('Azure (CDKTF): the stack path and the AksStack prop path, or the config path', () => {
    const westEurope = 'West Europe';
    test('rejects a location that is not a region name in library use, naming AksStack "hospital-edge" and location', () => {
      const props = { ...aksStackProps(REFERENCE_DEPLOYMENT), location: westEurope };
      const err = errorOf(() => new AksStack(new CdktfApp({ outdir: tmpdir() }), 'hospital-edge', props));
      expect(err.construct).toEqual({ kind: 'AksStack', path: 'hospital-edge' });
      expect(err.field).toBe('location');
    });

    test('rejects it in reference use as azure.location', () => {
      const config = { ...REFERENCE_DEPLOYMENT, azure: { ...REFERENCE_DEPLOYMENT.azure, location: westEurope } };
      const err = errorOf(() => buildAzureApp(config, tmpdir()));
      expect(err.construct).toBeUndefined();
      expect(err.field).toBe('azure.location');
    });
  });

  describe('reference config use: the config path, no construct', () => {
    test('rejects controller.replicas 1 under the config path (the ModSecurityController prop is replicas)', () => {
      const err = errorOf(referenceWith((c) => ({ ...c, controller: { ...c.controller, replicas: 1 } })));
      expect(err.construct).toBeUndefined();
      expect(err.field).toBe('controller.replicas');
      expect(err.message).toMatch(/^controller\.replicas: 1 is not an integer between 2 and 100/);
    });

    test('rejects an allowed client that is not a client, as mtls.allowedClients[1]', () => {
      const err = errorOf(
        referenceWith((c) => ({ ...c, mtls: { ...c.mtls, allowedClients: ['hospital-a', 'hospital-z'] } })),
      );
      expect(err.field).toBe('mtls.allowedClients[1]');
      expect(err.message).toMatch(/^mtls\.allowedClients\[1\]: "hospital-z" is not a client of CA/);
    });

    test('rejects a host that is not a host name, as app.hosts[1].host', () => {
      const err = errorOf(
        referenceWith((c) => ({
          ...c,
          app: { ...c.app, hosts: [...c.app.hosts, { name: 'portal', host: 'Portal_Example.com' }] },
        })),
      );
      expect(err.field).toBe(`app.hosts[${REFERENCE_DEPLOYMENT.app.hosts.length}].host`);
      expect(err.construct).toBeUndefined();
    });

    test('rejects a client name that is no Kubernetes name as mtls.clients[1] (ManagedClientCa.addClient maps to it)', () => {
      const err = errorOf(
        referenceWith((c) => ({
          ...c,
          mtls: { ...c.mtls, clients: ['hospital-a', 'Hospital_B'], allowedClients: ['hospital-a'] },
        })),
      );
      expect(err.field).toBe('mtls.clients[1]');
      expect(err.message).toMatch(/^mtls\.clients\[1\]: "Hospital_B" is not a valid Kubernetes name/);
    });
  });
});

describe('late checks (node.addValidation)', () => {
  /** A client CA that no MtlsIngress uses and nobody trusts. */
  function lonelyCa(): App {
    const app = new App();
    const chart = new LayerChart(app, 'certificates', { layer: 'certificates' });
    new ManagedClientCa(chart, 'client-ca', { name: 'lonely', namespace: 'pki' }).addClient('hospital-a');
    return app;
  }

  test('rejects a ManagedClientCa trusted by no namespace at synth, as the ValidationError of the construct', () => {
    const err = errorOf(() => synthesizeCharts(lonelyCa()));
    expect(err.construct).toEqual({ kind: 'ManagedClientCa', path: 'certificates/client-ca' });
    expect(err.field).toBe('trustIn');
    expect(err.message).toMatch(/^ManagedClientCa "certificates\/client-ca": trustIn: "lonely" was never called/);
  });

  test('rejects it in stock cdk8s synthesis too (Testing.synth runs node.validate())', () => {
    const chart = Testing.chart();
    new ManagedClientCa(chart, 'ca', { name: 'lonely', namespace: 'pki' });
    expect(() => Testing.synth(chart)).toThrow(
      /\[test\/ca\] ManagedClientCa "test\/ca": trustIn: .* trusted by no namespace/,
    );
  });

  test('passes once trustIn is called after the constructor', () => {
    const app = lonelyCa();
    (app.node.findAll().find((c) => c instanceof ManagedClientCa) as ManagedClientCa).trustIn('echo');
    expect(() => synthesizeCharts(app)).not.toThrow();
  });

  test('rejects a WAF rule added after the controller rendered the policy (it would be missing from the ConfigMap)', () => {
    const app = new App();
    const chart = new Chart(app, 'edge');
    const waf = new WafPolicy({ servedHosts: ['echo.example.com'] });
    new ModSecurityController(chart, 'controller', { waf });
    expect(() => synthesizeCharts(app)).not.toThrow();
    waf.addDenySourceIps({ sources: ['203.0.113.0/24'] });
    const err = errorOf(() => synthesizeCharts(app));
    expect(err.construct).toEqual({ kind: 'ModSecurityController', path: 'edge/controller' });
    expect(err.field).toBe('waf');
    expect(err.problem).toMatch(/^was changed after this controller rendered it/);
  });

  test('rejects it through synthesize() with nothing written: no new folder, an existing one byte-identical', () => {
    const work = mkdtempSync(join(tmpdir(), 'late-check-'));
    try {
      const fresh = join(work, 'fresh');
      expect(errorOf(() => synthesize({ cdk8s: { build: lonelyCa, outdir: fresh } })).field).toBe('trustIn');
      expect(existsSync(fresh)).toBe(false);

      const dist = join(work, 'dist');
      const trusted = (): App => {
        const app = lonelyCa();
        (app.node.findAll().find((c) => c instanceof ManagedClientCa) as ManagedClientCa).trustIn('echo');
        return app;
      };
      synthesize({ cdk8s: { build: trusted, outdir: dist } });
      const before = fingerprint(dist);
      expect(before).toBeDefined();
      expect(errorOf(() => synthesize({ cdk8s: { build: lonelyCa, outdir: dist } })).field).toBe('trustIn');
      expect(fingerprint(dist)).toEqual(before);
      expect(leftovers(work)).toEqual([]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('propsValidator and withFieldPaths', () => {
  test('an error that already names a construct (a child) passes a parent unchanged', () => {
    const chart = edgeChart();
    const child = propsValidator(new Chart(chart, 'child'), 'Child');
    const parent = propsValidator(chart, 'Parent');
    const err = errorOf(() => parent.check(() => child.invalid('name', 'X', 'is wrong', 'fix it')));
    expect(err.construct).toEqual({ kind: 'Child', path: 'edge/child' });
  });

  test('maps the longest matching prefix and leaves other fields alone', () => {
    const paths = { hosts: 'app.hosts', 'hosts[0]': 'app.hosts[3]' };
    const at = (field: string): string =>
      errorOf(() =>
        withFieldPaths(paths, () => {
          throw new ValidationError(field, 'v', 'is wrong', 'fix it', { kind: 'K', path: 'p' });
        }),
      ).field;
    expect(at('hosts[0].host')).toBe('app.hosts[3].host');
    expect(at('hosts[1].host')).toBe('app.hosts[1].host');
    expect(at('hostsAlias')).toBe('hostsAlias');
    expect(at('name')).toBe('name');
  });
});
