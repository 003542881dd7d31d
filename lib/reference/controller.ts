import { Chart } from 'cdk8s';
import { EdgeDeploymentConfig } from './config';
import { addIngressNginxController } from './ingress-nginx';
import { edgeIntentOf, instanceOf } from './intent';

/**
 * Adds the controller layer of the reference deployment: ingress-nginx with ModSecurity + CRS, driven by the edge
 * intent (the `waf` section with the hosts of `app.hosts` as served hosts, the fingerprint header), with the static
 * public IP of the `azure` section.
 */
export function addController(chart: Chart, config: EdgeDeploymentConfig): void {
  addIngressNginxController(chart, edgeIntentOf(config), {
    controller: config.controller,
    instanceName: instanceOf(config),
    service: {
      azurePublicIpName: config.azure.ingressPublicIpName,
      azureResourceGroupName: config.azure.resourceGroupName,
    },
  });
}
