/**
 * One construct-id style: every construct id in the reference apps is kebab-case (`controller`, `admission-webhook`,
 * `letsencrypt-staging`). The exceptions are listed below: `Resource` (a construct's one main object) and Terraform
 * output names. CDKTF ids (lib/azure) are Terraform resource addresses, kebab-case already and never renamed; they
 * are checked here too.
 */
import { ApiObject, App as Cdk8sApp, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { REFERENCE_DEPLOYMENT } from '../../lib/reference/config';
import { INTERNAL_EDGE, PUBLIC_EDGE } from '../support/two-edges';
import { buildEdgeApp, buildMultiEdgeApp } from '../../lib/reference/cdk8s-app';
import { buildEnvoyGatewayApp } from '../../lib/reference/envoy-gateway/app';
import { buildAzureApp } from '../../lib/reference/cdktf-app';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * `Resource` is an id `node.defaultChild` looks up (constructs lib/construct.js, Node.defaultChild:
 * `tryFindChild('Resource')`, else `tryFindChild('Default')`); the single-object constructs (ControllerDeployment,
 * WafPolicyFile, EdgeAlertRules, EdgeDashboard, ControllerServiceMonitor, SlackAlertRouting) keep it so that
 * `construct.node.defaultChild` is their object. No other non-kebab id is allowed.
 */
const DEFAULT_CHILD_IDS = new Set(['Resource']);
/** Terraform output names are snake_case by Terraform convention; their ids are the output addresses (unchanged). */
const TERRAFORM_OUTPUT = /^[a-z0-9]+(_[a-z0-9]+)*$/;

function badIds(root: IConstruct): string[] {
  return root.node
    .findAll()
    .filter((c) => c !== root && !KEBAB.test(c.node.id) && !DEFAULT_CHILD_IDS.has(c.node.id))
    .filter((c) => !(c instanceof TerraformOutput && TERRAFORM_OUTPUT.test(c.node.id)))
    .map((c) => c.node.path);
}

const PUBLIC = PUBLIC_EDGE;
const INTERNAL = INTERNAL_EDGE;

describe('construct ids are kebab-case', () => {
  test.each<[string, () => Cdk8sApp]>([
    ['buildEdgeApp (reference deployment)', () => buildEdgeApp(REFERENCE_DEPLOYMENT)],
    ['buildMultiEdgeApp (public and internal edge)', () => buildMultiEdgeApp([PUBLIC, INTERNAL])],
    ['buildEnvoyGatewayApp (reference deployment)', () => buildEnvoyGatewayApp()],
  ])('%s', (_name, build) => {
    expect(badIds(build())).toEqual([]);
  });

  test('the Azure (CDKTF) app', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ids-'));
    try {
      expect(badIds(buildAzureApp(REFERENCE_DEPLOYMENT, dir))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('rejects a PascalCase or snake_case id (the check can fail)', () => {
    const app = new Cdk8sApp();
    new Chart(new Chart(app, 'SomeChart'), 'some_child');
    expect(badIds(app)).toEqual(['SomeChart', 'SomeChart/some_child']);
  });

  test.each<[string, () => Cdk8sApp]>([
    ['buildEdgeApp', () => buildEdgeApp(REFERENCE_DEPLOYMENT)],
    ['buildEnvoyGatewayApp', () => buildEnvoyGatewayApp()],
  ])('%s: no object name is derived from a construct id (renaming an id leaves dist/ alone)', (_name, build) => {
    const objects = build()
      .node.findAll()
      .filter((c): c is ApiObject => c instanceof ApiObject);
    expect(objects.length).toBeGreaterThan(40);
    expect(objects.filter((o) => o.name === o.chart.generateObjectName(o)).map((o) => o.node.path)).toEqual([]);
  });
});
