import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ControlPlane } from './control-plane';
import { goEnv, REPO_ROOT, sharedDir } from './paths';
import { applyObject, ApplyResult, KubeObject, LayerResult } from './verify';

/**
 * The CRDs of Envoy Gateway v1.9.0 and the Gateway API v1.6.1 CRDs it installs (experimental channel), with their
 * CEL validation rules: from ../shared/crds/envoy-gateway-v1.9.0/ when present, else from the Go module
 * github.com/envoyproxy/gateway@v1.9.0 (charts/gateway-helm/charts/crds/crds/, the same files byte for byte).
 */
export const ENVOY_GATEWAY_CRD_FILES: readonly string[] = [
  'gatewayapi-crds.yaml',
  ...[
    'envoyproxies',
    'clienttrafficpolicies',
    'securitypolicies',
    'envoyextensionpolicies',
    'backendtrafficpolicies',
    'backends',
    'httproutefilters',
  ].map((plural) => `gateway.envoyproxy.io_${plural}.yaml`),
];

const MODULE = 'github.com/envoyproxy/gateway@v1.9.0';
const SHARED_FOLDER = 'envoy-gateway-v1.9.0';

function readCrdFile(file: string): { yaml: string; origin: string } {
  const shared = sharedDir();
  if (shared && existsSync(join(shared, 'crds', SHARED_FOLDER, file))) {
    return {
      yaml: readFileSync(join(shared, 'crds', SHARED_FOLDER, file), 'utf8'),
      origin: `../shared/crds/${SHARED_FOLDER}/${file}`,
    };
  }
  const dir = (
    JSON.parse(
      execFileSync('go', ['mod', 'download', '-json', MODULE], { cwd: REPO_ROOT, env: goEnv(), encoding: 'utf8' }),
    ) as { Dir: string }
  ).Dir;
  const path =
    file === 'gatewayapi-crds.yaml'
      ? 'charts/gateway-helm/charts/crds/crds/gatewayapi-crds.yaml'
      : `charts/gateway-helm/charts/crds/crds/generated/${file}`;
  return { yaml: readFileSync(join(dir, path), 'utf8'), origin: `${MODULE}/${path}` };
}

/** Installs the Envoy Gateway and Gateway API CRDs and waits until they are established. */
export function installEnvoyGatewayCrds(cp: ControlPlane): LayerResult {
  const results: ApplyResult[] = [];
  for (const file of ENVOY_GATEWAY_CRD_FILES) {
    let crd: { yaml: string; origin: string };
    try {
      crd = readCrdFile(file);
    } catch (e) {
      results.push({ object: file, accepted: false, message: `cannot read: ${(e as Error).message.split('\n')[0]}` });
      continue;
    }
    for (const doc of parseAllDocuments(crd.yaml)) {
      const o = doc.toJSON() as KubeObject | null;
      if (o?.kind) results.push(applyObject(cp, o));
    }
  }
  const wait = cp.kubectl(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=60s']);
  if (wait.status !== 0) results.push({ object: 'crds established', accepted: false, message: wait.stderr.trim() });
  return { layer: 'envoy-gateway-crds', results };
}
