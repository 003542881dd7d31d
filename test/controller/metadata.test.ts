/**
 * ModSecurityController: the user's `metadata` lands on the Deployment and the LoadBalancer Service (beside the
 * construct's own labels and Azure annotations, which it cannot override), and the exposed objects are the ones in
 * the output.
 */
import { JsonPatch, Testing } from 'cdk8s';
import { ModSecurityController, ModSecurityControllerProps } from '../../lib/controller/controller';
import { WafPolicy } from '../../lib/waf/policy';
import { validationErrorOf } from '../waf/support';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

function build(props: Partial<ModSecurityControllerProps> = {}) {
  const chart = Testing.chart();
  const controller = new ModSecurityController(chart, 'controller', { waf: new WafPolicy({ mode: 'On' }), ...props });
  return { chart, controller };
}
const find = (objs: Obj[], kind: string, name: string): Obj => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${name}`);
  return o;
};
const USER = { labels: { team: 'edge' }, annotations: { 'example.com/owner': 'team-a' } };

describe('ModSecurityController metadata and underlying objects', () => {
  test("adds the user's labels and annotations to the Deployment and the LoadBalancer Service only", () => {
    const objects = Testing.synth(build({ metadata: USER, service: { azurePublicIpName: 'pip-edge' } }).chart);
    const deployment = find(objects, 'Deployment', 'ingress-nginx-controller');
    const service = find(objects, 'Service', 'ingress-nginx-controller');
    for (const o of [deployment, service]) {
      expect(o.metadata.labels).toMatchObject({ team: 'edge', 'app.kubernetes.io/name': 'ingress-nginx' });
      expect(o.metadata.annotations['example.com/owner']).toBe('team-a');
    }
    // The construct's own annotations stay beside the user's.
    expect(service.metadata.annotations['service.beta.kubernetes.io/azure-pip-name']).toBe('pip-edge');
    // Not the pods (their labels select them), not the other objects.
    expect(deployment.spec.template.metadata.labels.team).toBeUndefined();
    const others = objects.filter((o) => o !== deployment && o !== service);
    expect(others.filter((o) => o.metadata.labels?.team !== undefined).map((o) => o.kind)).toEqual([]);
  });

  test('without metadata the output is what it was', () => {
    expect(Testing.synth(build({ metadata: {} }).chart)).toEqual(Testing.synth(build().chart));
  });

  test('rejects an annotation the construct sets on the Service, naming it', () => {
    const err = validationErrorOf(() =>
      build({
        metadata: { annotations: { 'service.beta.kubernetes.io/azure-load-balancer-health-probe-request-path': '/' } },
      }),
    );
    expect(err.field).toMatch(
      /metadata\.annotations\["service\.beta\.kubernetes\.io\/azure-load-balancer-health-probe-request-path"\]$/,
    );
    expect(err.message).toContain("set it through the construct's props");
  });

  test("rejects overriding one of the controller's own labels", () => {
    const err = validationErrorOf(() => build({ metadata: { labels: { 'app.kubernetes.io/component': 'x' } } }));
    expect(err.field).toMatch(/metadata\.labels\["app\.kubernetes\.io\/component"\]$/);
  });

  test('exposes the Deployment, Service, ConfigMap and IngressClass that are in the output', () => {
    const { chart, controller } = build();
    controller.deployment.addJsonPatch(JsonPatch.add('/metadata/annotations', { 'example.com/patched': 'deployment' }));
    controller.service.metadata.addAnnotation('example.com/patched', 'service');
    controller.configMap.addJsonPatch(JsonPatch.add('/data/example-key', 'patched'));
    controller.ingressClass.metadata.addLabel('example.com/patched', 'ingress-class');
    const objects = Testing.synth(chart);
    expect(find(objects, 'Deployment', 'ingress-nginx-controller').metadata.annotations).toEqual({
      'example.com/patched': 'deployment',
    });
    expect(find(objects, 'Service', 'ingress-nginx-controller').metadata.annotations['example.com/patched']).toBe(
      'service',
    );
    expect(find(objects, 'ConfigMap', 'ingress-nginx-controller').data['example-key']).toBe('patched');
    expect(find(objects, 'IngressClass', 'nginx').metadata.labels['example.com/patched']).toBe('ingress-class');
    expect(controller.configMap.name).toBe('ingress-nginx-controller');
  });
});
