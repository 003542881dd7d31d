/**
 * Controller memory sizing (issue 18): the default request and limit follow the number of hosts, and a limit the
 * user set below the rule fails synth with the rule in the message.
 */
import { Testing } from 'cdk8s';
import { Quantity } from 'cdk8s-plus-27/lib/imports/k8s';
import { ModSecurityController, ModSecurityControllerProps } from '../../lib/controller/controller';
import { DEFAULT_CONTROLLER_RESOURCES } from '../../lib/controller/deployment';
import { CONTROLLER_MEMORY_SIZING, controllerMemoryMiB, memoryBytes } from '../../lib/controller/sizing';
import { ValidationError } from '../../lib/core/validation';
import { WafPolicy } from '../../lib/waf/policy';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

function hosts(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `h${i}.example.com`);
}

function resourcesOf(props: Partial<ModSecurityControllerProps> = {}, servedHosts: readonly string[] = []): Obj {
  const chart = Testing.chart();
  new ModSecurityController(chart, 'ingress-nginx', { waf: new WafPolicy({ mode: 'On', servedHosts }), ...props });
  const deployment = Testing.synth(chart).find((o: Obj) => o.kind === 'Deployment');
  return deployment.spec.template.spec.containers[0].resources;
}

const memory = (value: string) => ({ limits: { memory: Quantity.fromString(value) } });

describe('controller memory sizing', () => {
  test('at one host keeps the previous defaults: request 256Mi, limit 1Gi', () => {
    expect(resourcesOf()).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '1Gi' } });
    expect(DEFAULT_CONTROLLER_RESOURCES.limits?.memory?.value).toBe('1Gi');
  });

  test('covers measured nginx memory twice (reload) plus headroom, at every size', () => {
    // Engine harness (issue 18): 97 MiB at 1 host, 134 MiB at 100, 441 MiB at 1 000.
    for (const [n, measuredMiB] of [
      [1, 97],
      [100, 134],
      [1000, 441],
    ]) {
      const { requestMiB, limitMiB } = controllerMemoryMiB(n);
      expect(requestMiB).toBeGreaterThanOrEqual(measuredMiB);
      expect(limitMiB).toBeGreaterThanOrEqual(2 * measuredMiB + CONTROLLER_MEMORY_SIZING.headroomMiB);
    }
    for (let n = 1; n <= 20000; n += 37) {
      const { requestMiB, limitMiB } = controllerMemoryMiB(n);
      expect(limitMiB).toBeGreaterThanOrEqual(2 * requestMiB - 128);
      expect(limitMiB % 256).toBe(0);
    }
  });

  test('grows with the served hosts of the WAF policy', () => {
    expect(resourcesOf({}, hosts(2500))).toEqual({
      requests: { cpu: '100m', memory: '1024Mi' },
      limits: { memory: '2304Mi' },
    });
    expect(resourcesOf({}, hosts(811)).limits.memory).toBe('1Gi');
    expect(resourcesOf({}, hosts(812)).limits.memory).toBe('1280Mi');
  });

  test('expectedHosts overrides the count of the WAF policy', () => {
    expect(resourcesOf({ expectedHosts: 5000 }, hosts(2))).toEqual({
      requests: { cpu: '100m', memory: '1856Mi' },
      limits: { memory: '4Gi' },
    });
  });

  test('accepts a set limit at or above the rule, and no limit at all', () => {
    expect(resourcesOf({ resources: memory('2304Mi') }, hosts(2500)).limits.memory).toBe('2304Mi');
    expect(resourcesOf({ resources: memory('3G') }, hosts(2500)).limits.memory).toBe('3G');
    expect(resourcesOf({ resources: { requests: { memory: Quantity.fromString('1Gi') } } }, hosts(2500))).toEqual({
      requests: { memory: '1Gi' },
    });
  });

  test.each<[string, Partial<ModSecurityControllerProps>, number, RegExp]>([
    [
      'the old 1Gi limit at 2 500 hosts',
      { resources: memory('1Gi') },
      2500,
      /ModSecurityController "test\/ingress-nginx": resources\.limits\.memory.*below the 2304Mi the controller needs for 2500 hosts/,
    ],
    [
      'a limit set for fewer hosts than expectedHosts',
      { resources: memory('2Gi'), expectedHosts: 3000 },
      0,
      /needs for 3000 hosts/,
    ],
    ['a decimal limit just below the rule', { resources: memory('1073741823') }, 1, /below the 1024Mi/],
    ['a memory limit it cannot read', { resources: memory('1gb') }, 1, /is not a memory quantity/],
    ['expectedHosts of 0', { expectedHosts: 0 }, 1, /: expectedHosts: 0/],
  ])('rejects %s', (_, props, n, message) => {
    expect(() => resourcesOf(props, hosts(n))).toThrow(ValidationError);
    expect(() => resourcesOf(props, hosts(n))).toThrow(message);
  });

  test('reads Kubernetes memory quantities', () => {
    expect(memoryBytes('1Gi')).toBe(2 ** 30);
    expect(memoryBytes('512Mi')).toBe(512 * 2 ** 20);
    expect(memoryBytes('2G')).toBe(2e9);
    expect(memoryBytes('1.5Gi')).toBe(1.5 * 2 ** 30);
    expect(memoryBytes(1024)).toBe(1024);
    expect(memoryBytes('1gb')).toBeUndefined();
    expect(memoryBytes('-1Gi')).toBeUndefined();
  });
});
