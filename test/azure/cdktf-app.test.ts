import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EdgeDeploymentConfig, REFERENCE_DEPLOYMENT } from '../../lib/reference/config';
import { aksStackProps, azureStackName, buildAzureApp } from '../../lib/reference/cdktf-app';
import { ValidationError } from '../../lib/core/validation';

describe('buildAzureApp (reference deployment)', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'cdktf-app-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test('writes cdktf.out/stacks/<stack>/cdk.tf.json with state kept outside cdktf.out', () => {
    buildAzureApp(REFERENCE_DEPLOYMENT, outdir).synth();
    const file = join(outdir, 'stacks', azureStackName(REFERENCE_DEPLOYMENT), 'cdk.tf.json');
    expect(existsSync(file)).toBe(true);
    const tf = JSON.parse(readFileSync(file, 'utf8'));
    expect(tf.terraform.backend).toEqual({
      local: { path: `../../../terraform.${REFERENCE_DEPLOYMENT.name}.tfstate` },
    });
    expect(tf.terraform.required_providers.azurerm).toEqual({ source: 'azurerm', version: '4.55.0' });
    expect(readFileSync(file, 'utf8')).not.toContain(process.cwd());
  });

  test('feeds the shared config: IP name and resource group (controller Service annotations), hosts, namespace', () => {
    const props = aksStackProps(REFERENCE_DEPLOYMENT);
    expect(props.resourceGroupName).toBe(REFERENCE_DEPLOYMENT.azure.resourceGroupName);
    expect(props.ingress.publicIpName).toBe(REFERENCE_DEPLOYMENT.azure.ingressPublicIpName);
    expect(props.ingress.dns).toEqual({
      zoneName: REFERENCE_DEPLOYMENT.azure.dnsZoneName,
      hosts: ['echo.example.com', 'portal.example.com'],
      target: 'primary',
    });
    expect(props.alerting?.controllerNamespace).toBe(REFERENCE_DEPLOYMENT.controller.namespace);
    expect(props.tags).toEqual({ deployment: REFERENCE_DEPLOYMENT.name });
  });

  test('turns alert e-mails into receivers and honours stack overrides', () => {
    const config: EdgeDeploymentConfig = {
      ...REFERENCE_DEPLOYMENT,
      azure: {
        ...REFERENCE_DEPLOYMENT.azure,
        alertEmails: ['secops@example.com'],
        stack: { skuTier: 'Free', tags: { env: 'dev' } },
      },
    };
    const props = aksStackProps(config);
    expect(props.alerting?.emailReceivers).toEqual([{ name: 'email-1', address: 'secops@example.com' }]);
    expect(props.skuTier).toBe('Free');
    expect(props.tags).toEqual({ deployment: REFERENCE_DEPLOYMENT.name, env: 'dev' });
  });

  test('skips DNS when the config has no zone', () => {
    const config: EdgeDeploymentConfig = {
      ...REFERENCE_DEPLOYMENT,
      azure: { ...REFERENCE_DEPLOYMENT.azure, dnsZoneName: undefined },
    };
    expect(aksStackProps(config).ingress.dns).toBeUndefined();
  });

  test('rejects a config whose hosts lie outside the DNS zone', () => {
    const config: EdgeDeploymentConfig = {
      ...REFERENCE_DEPLOYMENT,
      azure: { ...REFERENCE_DEPLOYMENT.azure, dnsZoneName: 'example.org' },
    };
    expect(() => buildAzureApp(config, outdir)).toThrow(ValidationError);
  });

  test('gives Envoy Gateway its own static IP when its section names one (both data planes side by side)', () => {
    const props = aksStackProps(REFERENCE_DEPLOYMENT);
    expect(props.ingress.migrationPublicIpName).toBe(REFERENCE_DEPLOYMENT.envoyGateway?.publicIpName);
    expect(props.ingress.migrationPublicIpName).not.toBe(props.ingress.publicIpName);
    const shared: EdgeDeploymentConfig = {
      ...REFERENCE_DEPLOYMENT,
      envoyGateway: { ...REFERENCE_DEPLOYMENT.envoyGateway!, publicIpName: undefined },
    };
    expect(aksStackProps(shared).ingress.migrationPublicIpName).toBeUndefined();
    expect(
      aksStackProps({ ...REFERENCE_DEPLOYMENT, envoyGateway: undefined }).ingress.migrationPublicIpName,
    ).toBeUndefined();
  });

  test('azure.dnsTarget is the DNS cut-over: envoy-gateway points the records at its IP, ingress-nginx back', () => {
    const at = (dnsTarget?: 'ingress-nginx' | 'envoy-gateway') =>
      aksStackProps({ ...REFERENCE_DEPLOYMENT, azure: { ...REFERENCE_DEPLOYMENT.azure, dnsTarget } }).ingress.dns
        ?.target;
    expect(at()).toBe('primary');
    expect(at('envoy-gateway')).toBe('migration');
    expect(at('ingress-nginx')).toBe('primary');
  });

  test('rejects dnsTarget envoy-gateway when Envoy Gateway shares the ingress-nginx IP', () => {
    const config: EdgeDeploymentConfig = {
      ...REFERENCE_DEPLOYMENT,
      azure: { ...REFERENCE_DEPLOYMENT.azure, dnsTarget: 'envoy-gateway' },
      envoyGateway: { ...REFERENCE_DEPLOYMENT.envoyGateway!, publicIpName: undefined },
    };
    expect(() => aksStackProps(config)).toThrow(ValidationError);
    expect(() => aksStackProps(config)).toThrow(/azure\.dnsTarget.*envoyGateway\.publicIpName/s);
  });

  test('rejects an unknown dnsTarget', () => {
    const config = {
      ...REFERENCE_DEPLOYMENT,
      azure: { ...REFERENCE_DEPLOYMENT.azure, dnsTarget: 'envoy' },
    } as unknown as EdgeDeploymentConfig;
    expect(() => aksStackProps(config)).toThrow(/azure\.dnsTarget/);
  });
});
