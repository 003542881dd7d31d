import { Chart } from 'cdk8s';
import { EdgeDeploymentConfig } from './config';

/** Adds the controller layer of the reference deployment. */
export function addController(chart: Chart, config: EdgeDeploymentConfig): void {
  void chart;
  void config;
}
