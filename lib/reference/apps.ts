import { Chart } from 'cdk8s';
import { EdgeDeploymentConfig } from './config';

/** Adds the apps layer of the reference deployment. */
export function addApps(chart: Chart, config: EdgeDeploymentConfig): void {
  void chart;
  void config;
}
