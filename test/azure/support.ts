import { Testing } from 'cdktf';
import { setupJest } from 'cdktf/lib/testing/adapters/jest';
import { AksStack } from '../../lib/azure/aks-stack';
import { AksStackProps } from '../../lib/azure/props';

// CDKTF's jest matchers (toHaveResourceWithProperties, ...). Their properties are matched against the synthesized
// JSON, so they use Terraform's snake_case names.
setupJest();

/** Props of a small valid stack; tests override one thing at a time. */
export const BASE_PROPS: AksStackProps = {
  location: 'westeurope',
  resourceGroupName: 'rg-test',
  clusterName: 'aks-test',
  apiServerAuthorizedIpRanges: ['203.0.113.0/24'],
  ingress: {
    publicIpName: 'pip-test-ingress',
    dns: { zoneName: 'example.com', hosts: ['echo.example.com', 'example.com'] },
  },
};

/** Props with one section replaced. */
export function withProps(overrides: Partial<Record<keyof AksStackProps, unknown>>): AksStackProps {
  return { ...BASE_PROPS, ...overrides } as AksStackProps;
}

/** Builds the stack in a test app. */
export function buildStack(props: AksStackProps = BASE_PROPS): AksStack {
  return new AksStack(Testing.app(), 'test', props);
}

/** Synthesized Terraform JSON (string, as the matchers take it) and parsed. */
export function synth(props: AksStackProps = BASE_PROPS): { json: string; tf: TerraformJson } {
  const json = Testing.synth(buildStack(props));
  return { json, tf: JSON.parse(json) as TerraformJson };
}

/** The parts of the Terraform JSON the tests read. */
export interface TerraformJson {
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output: Record<string, { value: unknown; description?: string; sensitive?: boolean }>;
  readonly variable?: Record<string, Record<string, unknown>>;
  readonly provider: Record<string, unknown[]>;
  readonly terraform: Record<string, unknown>;
}

/** All resources of one Terraform type. */
export function resourcesOf(tf: TerraformJson, type: string): Record<string, unknown>[] {
  return Object.values(tf.resource[type] ?? {});
}

/** The single resource of a type (fails when there is not exactly one). */
export function onlyResource(tf: TerraformJson, type: string): Record<string, any> {
  const all = resourcesOf(tf, type);
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0] as Record<string, any>;
}
