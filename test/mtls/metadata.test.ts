/**
 * ManagedClientCa, ProvidedClientCa and AcmeClusterIssuer: the user's `metadata` lands on the CA objects (never
 * overriding the construct's own labels), and the exposed objects are the ones in the output.
 */
import { JsonPatch, Testing } from 'cdk8s';
import { AcmeClusterIssuer, AcmeClusterIssuerProps } from '../../lib/mtls/acme-cluster-issuer';
import { ManagedClientCa, ManagedClientCaProps } from '../../lib/mtls/managed-client-ca';
import { ProvidedClientCa } from '../../lib/mtls/provided-client-ca';
import { ObjectMetadataOptions } from '../../lib/core/metadata';
import { validationErrorOf } from '../waf/support';
import { generateTestPki, TestPki } from './pki';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;
const USER = { labels: { team: 'pki' }, annotations: { 'example.com/owner': 'team-a' } };
const OWN_LABEL = { labels: { 'app.kubernetes.io/name': 'other' } };

describe('ManagedClientCa metadata and underlying objects', () => {
  function managed(props: Partial<ManagedClientCaProps> = {}) {
    const chart = Testing.chart();
    const ca = new ManagedClientCa(chart, 'client-ca', {
      name: 'hospital-client-ca',
      namespace: 'client-certificates',
      ...props,
    });
    ca.addClient('hospital-a');
    ca.trustIn('echo');
    return { chart, ca };
  }

  test("adds the user's labels and annotations to the Issuers, the CA Certificate and the Bundle, not to clients", () => {
    const objects: Obj[] = Testing.synth(managed({ metadata: USER }).chart);
    const tagged = objects.filter((o) => o.metadata.annotations?.['example.com/owner'] === 'team-a');
    expect(tagged.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Issuer/hospital-client-ca-selfsigned',
      'Certificate/hospital-client-ca',
      'Issuer/hospital-client-ca',
      'Bundle/hospital-client-ca',
    ]);
    for (const o of tagged)
      expect(o.metadata.labels).toMatchObject({ team: 'pki', 'app.kubernetes.io/name': 'hospital-client-ca' });
    expect(objects.filter((o) => o.metadata.labels?.team !== undefined)).toHaveLength(4);
  });

  test("rejects overriding one of the CA's own labels, naming it", () => {
    const err = validationErrorOf(() => managed({ metadata: OWN_LABEL }));
    expect(err.field).toMatch(/metadata\.labels\["app\.kubernetes\.io\/name"\]$/);
  });

  test('exposes the CA Certificate, the CA Issuer and the Bundle that are in the output', () => {
    const { chart, ca } = managed();
    ca.caCertificate.addJsonPatch(JsonPatch.replace('/spec/duration', '43800h'));
    ca.issuer.metadata.addAnnotation('example.com/patched', 'issuer');
    ca.bundle.metadata.addAnnotation('example.com/patched', 'bundle');
    const objects: Obj[] = Testing.synth(chart);
    const of = (kind: string) => objects.find((o) => o.kind === kind && o.metadata.name === 'hospital-client-ca');
    expect(of('Certificate').spec.duration).toBe('43800h');
    expect(of('Issuer').metadata.annotations).toEqual({ 'example.com/patched': 'issuer' });
    expect(of('Bundle').metadata.annotations).toEqual({ 'example.com/patched': 'bundle' });
  });
});

describe('ProvidedClientCa metadata and underlying objects', () => {
  let pki: TestPki;
  beforeAll(() => {
    pki = generateTestPki();
  });
  function provided(metadata?: ObjectMetadataOptions) {
    const chart = Testing.chart();
    const ca = new ProvidedClientCa(chart, 'client-ca', { name: 'partner-ca', caPem: pki.caCert, metadata });
    return { chart, ca };
  }

  test("adds the user's labels and annotations to every CA Secret", () => {
    const { chart, ca } = provided(USER);
    ca.trustIn('echo');
    ca.trustIn('portal');
    const secrets: Obj[] = Testing.synth(chart).filter((o) => o.kind === 'Secret');
    expect(secrets.map((s) => s.metadata.namespace)).toEqual(['echo', 'portal']);
    for (const s of secrets) {
      expect(s.metadata.labels).toMatchObject({ team: 'pki', 'app.kubernetes.io/name': 'partner-ca' });
      expect(s.metadata.annotations).toEqual({ 'example.com/owner': 'team-a' });
    }
  });

  test("rejects overriding one of the CA's own labels at construction, before any trustIn", () => {
    const err = validationErrorOf(() => provided(OWN_LABEL));
    expect(err.field).toMatch(/metadata\.labels\["app\.kubernetes\.io\/name"\]$/);
  });

  test('exposes the CA Secret of each trusting namespace that is in the output', () => {
    const { chart, ca } = provided();
    expect(ca.caSecrets.size).toBe(0);
    ca.trustIn('echo');
    ca.caSecrets.get('echo')?.metadata.addAnnotation('example.com/patched', 'secret');
    const secret: Obj = Testing.synth(chart).find((o) => o.kind === 'Secret');
    expect(secret.metadata.annotations).toEqual({ 'example.com/patched': 'secret' });
  });
});

describe('AcmeClusterIssuer metadata and underlying object', () => {
  function issuer(props: Partial<AcmeClusterIssuerProps> = {}) {
    const chart = Testing.chart();
    const acme = new AcmeClusterIssuer(chart, 'letsencrypt-staging', {
      environment: 'staging',
      ingressClassName: 'nginx',
      ...props,
    });
    return { chart, acme };
  }

  test("adds the user's labels and annotations to the ClusterIssuer", () => {
    const [o]: Obj[] = Testing.synth(issuer({ metadata: USER }).chart);
    expect(o.kind).toBe('ClusterIssuer');
    expect(o.metadata.labels).toMatchObject({ team: 'pki', 'app.kubernetes.io/name': 'letsencrypt-staging' });
    expect(o.metadata.annotations).toEqual({ 'example.com/owner': 'team-a' });
  });

  test("rejects overriding one of the issuer's own labels", () => {
    const err = validationErrorOf(() => issuer({ metadata: OWN_LABEL }));
    expect(err.field).toMatch(/metadata\.labels\["app\.kubernetes\.io\/name"\]$/);
  });

  test('exposes the ClusterIssuer that is in the output', () => {
    const { chart, acme } = issuer();
    acme.apiObject.addJsonPatch(JsonPatch.add('/spec/acme/email', 'pki@hospital.example.org'));
    const [o]: Obj[] = Testing.synth(chart);
    expect(o.spec.acme.email).toBe('pki@hospital.example.org');
  });
});
