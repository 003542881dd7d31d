import { invalid, withFieldPaths } from '../core/validation';
import { App, LocalBackend } from 'cdktf';
import { AksStack } from '../azure/aks-stack';
import { AksStackProps } from '../azure/props';
import { EdgeDeploymentConfig } from './config';
import { dataPlaneOf, hostNamesOf } from './intent';

/** Name of the CDKTF stack of a deployment: `cdktf.out/stacks/<name>/cdk.tf.json`. */
export function azureStackName(config: EdgeDeploymentConfig): string {
  return config.name;
}

/**
 * The AksStack props of a deployment. The shared values come from the other sections: the controller namespace
 * (the alert's query), the hosts (DNS records), and the IP name and resource group the controller Service
 * annotations use too.
 */
export function aksStackProps(config: EdgeDeploymentConfig): AksStackProps {
  const azure = config.azure;
  const stack = azure.stack ?? {};
  return {
    ...stack,
    location: azure.location,
    resourceGroupName: azure.resourceGroupName,
    clusterName: azure.clusterName,
    apiServerAuthorizedIpRanges: azure.apiServerAuthorizedIpRanges,
    ingress: ingressOf(config),
    alerting: {
      ...stack.alerting,
      controllerNamespace: stack.alerting?.controllerNamespace ?? config.controller.namespace,
      emailReceivers:
        stack.alerting?.emailReceivers ??
        (azure.alertEmails ?? []).map((address, i) => ({ name: `email-${i + 1}`, address })),
    },
    tags: { deployment: config.name, ...stack.tags },
  };
}

/**
 * The ingress IPs and DNS of a deployment: the IP of `azure.ingressPublicIpName`, a second one when the Envoy Gateway
 * section names another (`envoyGateway.publicIpName`: both data planes side by side), and the A records of every host
 * pointing at the IP of `azure.dnsTarget`.
 */
function ingressOf(config: EdgeDeploymentConfig): AksStackProps['ingress'] {
  const azure = config.azure;
  const gatewayIp = config.envoyGateway?.publicIpName;
  const migrationPublicIpName =
    gatewayIp !== undefined && gatewayIp !== azure.ingressPublicIpName ? gatewayIp : undefined;
  const dnsTarget = azure.dnsTarget ?? 'ingress-nginx';
  if (dnsTarget !== 'ingress-nginx' && dnsTarget !== 'envoy-gateway') {
    invalid('azure.dnsTarget', dnsTarget, 'is not a data plane', 'use "ingress-nginx" or "envoy-gateway"');
  }
  if (dnsTarget === 'envoy-gateway' && migrationPublicIpName === undefined && dataPlaneOf(config) !== 'envoy-gateway') {
    invalid(
      'azure.dnsTarget',
      dnsTarget,
      'points DNS at Envoy Gateway, which has no IP of its own',
      'set envoyGateway.publicIpName to a second IP name (e.g. "pip-<name>-envoy"), or keep dnsTarget "ingress-nginx"',
    );
  }
  return {
    publicIpName: azure.ingressPublicIpName,
    migrationPublicIpName,
    dns: azure.dnsZoneName
      ? {
          zoneName: azure.dnsZoneName,
          hosts: hostNamesOf(config),
          target: dnsTarget === 'envoy-gateway' && migrationPublicIpName !== undefined ? 'migration' : 'primary',
        }
      : undefined,
  };
}

/**
 * Builds the CDKTF app of a deployment (the AKS cluster and its Azure side), writing into `outdir`.
 *
 * Terraform state stays in the project root (`terraform.<stack>.tfstate`, git-ignored), outside `cdktf.out/`,
 * which every synth replaces. The path is relative to the stack folder Terraform runs in, so the output is the same
 * on every machine. Use a remote backend (e.g. `AzurermBackend`) for a team.
 */
export function buildAzureApp(config: EdgeDeploymentConfig, outdir: string): App {
  const app = new App({ outdir, skipValidation: false });
  const name = azureStackName(config);
  const stack = withFieldPaths(aksStackConfigPaths(config), () => new AksStack(app, name, aksStackProps(config)));
  new LocalBackend(stack, { path: `../../../terraform.${name}.tfstate` });
  return app;
}

/** The config path of each AksStack prop {@link aksStackProps} sets from the config (`azure.stack` passes through). */
function aksStackConfigPaths(config: EdgeDeploymentConfig): Readonly<Record<string, string>> {
  const passed = Object.fromEntries(Object.keys(config.azure.stack ?? {}).map((k) => [k, `azure.stack.${k}`]));
  return {
    ...passed,
    location: 'azure.location',
    resourceGroupName: 'azure.resourceGroupName',
    clusterName: 'azure.clusterName',
    apiServerAuthorizedIpRanges: 'azure.apiServerAuthorizedIpRanges',
    'ingress.publicIpName': 'azure.ingressPublicIpName',
    'ingress.migrationPublicIpName': 'envoyGateway.publicIpName',
    'ingress.dns.zoneName': 'azure.dnsZoneName',
    'ingress.dns.hosts': 'app.hosts',
    'ingress.dns.target': 'azure.dnsTarget',
    'alerting.emailReceivers': config.azure.stack?.alerting?.emailReceivers
      ? 'azure.stack.alerting.emailReceivers'
      : 'azure.alertEmails',
    'alerting.controllerNamespace': config.azure.stack?.alerting?.controllerNamespace
      ? 'azure.stack.alerting.controllerNamespace'
      : 'controller.namespace',
    tags: 'azure.stack.tags',
  };
}
