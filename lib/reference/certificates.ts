import { Chart } from 'cdk8s';
import { EdgeDeploymentConfig } from './config';

/** Adds the certificates layer of the reference deployment. */
export function addCertificates(chart: Chart, config: EdgeDeploymentConfig): void {
  void chart;
  void config;
}
