import { Chart } from 'cdk8s';
import { ModSecurityController } from '../controller/controller';
import { WafPolicy } from '../waf/policy';
import { EdgeDeploymentConfig } from './config';
import { ingressHosts } from './hosts';

/**
 * Adds the controller layer of the reference deployment: ingress-nginx with ModSecurity + CRS, driven by the `waf`
 * section (served hosts: the app's hosts), with the static public IP of the `azure` section.
 */
export function addController(chart: Chart, config: EdgeDeploymentConfig): void {
  const waf = new WafPolicy({ ...config.waf, servedHosts: ingressHosts(config) });
  new ModSecurityController(chart, 'IngressNginx', {
    waf,
    namespace: config.controller.namespace,
    ingressClassName: config.controller.ingressClassName,
    replicas: config.controller.replicas,
    admissionWebhook: config.controller.admissionWebhook,
    // Only the app namespace's Secrets are readable by the edge; the client CA key (mtls.clientNamespace) is not.
    watchNamespace: config.app.namespace,
    service: { azurePublicIpName: config.azure.ingressPublicIpName, azureResourceGroupName: config.azure.resourceGroupName },
  });
}
