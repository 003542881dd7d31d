/**
 * Writes the reference deployment rendered for Envoy Gateway v1.9 into examples/envoy-gateway/dist (layered and
 * kustomize-buildable like dist/, with its own Argo CD / Flux delivery), through the same synth pipeline as
 * `npm run synth` (lock, staging, ownership checks).
 *
 *   node --import tsx examples/envoy-gateway/synth.ts
 */
import { buildEnvoyGatewayApp } from '../../lib/reference/envoy-gateway/app';
import { ENVOY_GATEWAY_DIST_PATH } from '../../lib/reference/envoy-gateway/config';
import { formatSummary, synthesize } from '../../lib/synth/pipeline';

const started = Date.now();
const summary = synthesize({ cdk8s: { build: () => buildEnvoyGatewayApp(), outdir: ENVOY_GATEWAY_DIST_PATH } });
console.log(formatSummary(summary, Date.now() - started));
