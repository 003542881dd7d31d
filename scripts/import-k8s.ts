/**
 * `npm run import:k8s`: regenerates imports/k8s.ts, the typed Kubernetes API objects (`KubeDeployment`, ...), from the
 * OpenAPI v2 document of the real kube-apiserver the cluster tests run (scripts/cluster/control-plane.ts; built by
 * scripts/test-deps/20-go-tools.sh into `${EDGE_CACHE_DIR:-.cache}/bin`). No network: the document comes from the
 * server on loopback, not from GitHub.
 *
 * The code is cdk8s-cli's own `cdk8s import k8s@<version>` (node_modules/cdk8s-cli/lib/import/k8s.js,
 * `ImportKubernetesApi.generateTypeScript`). That command downloads the schema from
 * raw.githubusercontent.com/cdk8s-team/cdk8s/master/kubernetes-schemas/v<version>/_definitions.json (`downloadSchema`,
 * which calls `util.download(url)`); here `download` answers with the API server's `/openapi/v2`, which has the same
 * `definitions` shape (the cdk8s schemas are generated from the same swagger document). Everything else — class
 * names, the `Kube` prefix, property renames — is the CLI's.
 *
 * Usage: npm run import:k8s [-- --openapi FILE --version vX.Y.Z]   (a saved /openapi/v2 document instead of a server)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { startControlPlane } from './cluster/control-plane';
import { REPO_ROOT } from './cluster/paths';

/** The API server's `/openapi/v2`, and its version (`v1.36.3`). */
export async function openApiFromServer(): Promise<{ document: string; version: string }> {
  const cp = await startControlPlane();
  try {
    const version = cp.kubectl(['version', '-o', 'json']);
    if (version.status !== 0) throw new Error(`kubectl version failed: ${version.stderr}`);
    const raw = cp.kubectl(['get', '--raw=/openapi/v2']);
    if (raw.status !== 0) throw new Error(`GET /openapi/v2 failed: ${raw.stderr}`);
    return {
      document: raw.stdout,
      version: (JSON.parse(version.stdout) as { serverVersion: { gitVersion: string } }).serverVersion.gitVersion,
    };
  } finally {
    await cp.stop();
  }
}

/** The parts of an OpenAPI v2 (swagger) document read here. */
interface OpenApiV2 {
  readonly definitions: Record<string, SchemaObject>;
}

interface SchemaObject {
  type?: string;
  format?: string;
  enum?: unknown[];
  oneOf?: SchemaObject[];
  properties?: Record<string, SchemaObject>;
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[];
  [key: string]: unknown;
}

/**
 * The schema shape `cdk8s import k8s` expects. The CLI's schemas are made by `openapi2jsonschema --kubernetes` from
 * the Kubernetes swagger document (cdk8s repository, tools/import-spec.sh and kubernetes-schemas/v1.36.0); compared
 * with the served /openapi/v2 of v1.36.3, that output differs in exactly these ways (descriptions aside), applied here:
 * - only `definitions` (the CLI rejects the `paths` keys);
 * - `IntOrString` is `oneOf: [string, integer]` and `Quantity` `oneOf: [string, number]` (served: `type: string` with
 *   `format: int-or-string`), which the CLI renders as the `IntOrString` and `Quantity` classes;
 * - no `enum` anywhere (the served document has them on 98 properties and on array items and map values, e.g.
 *   `ContainerPort.protocol`; rendered as TypeScript enums they would make every `'TCP'` in the library a type error);
 * - `kind` of each top-level object is `enum: [<Kind>]`.
 * test/cluster/k8s-import.test.ts regenerates imports/k8s.ts from a server started then and compares.
 */
export function toCdk8sSchema(document: OpenApiV2): { definitions: Record<string, SchemaObject> } {
  const definitions: Record<string, SchemaObject> = {};
  for (const [name, def] of Object.entries(document.definitions)) {
    if (NUMBER_OR_STRING[name]) {
      definitions[name] = { description: def.description, ...NUMBER_OR_STRING[name] };
      continue;
    }
    const copy = withoutKeywords(def, new Set(['enum']));
    const gvk = def['x-kubernetes-group-version-kind'];
    if (gvk?.length && copy.properties?.kind) copy.properties.kind = { ...copy.properties.kind, enum: [gvk[0].kind] };
    definitions[name] = copy;
  }
  return { definitions };
}

/**
 * A copy of a schema without the keywords `drop`, in it and in the schemas it holds (properties, array items, map
 * values, `allOf`/`oneOf`/`anyOf`). Property names are kept: JSONSchemaProps has properties named `enum` and
 * `description`.
 */
function withoutKeywords(schema: SchemaObject, drop: ReadonlySet<string>): SchemaObject {
  const copy: SchemaObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (drop.has(key)) continue;
    if (key === 'properties')
      copy.properties = Object.fromEntries(
        Object.entries(value as Record<string, SchemaObject>).map(([name, prop]) => [
          name,
          withoutKeywords(prop, drop),
        ]),
      );
    else if ((key === 'items' || key === 'additionalProperties') && value !== null && typeof value === 'object')
      copy[key] = withoutKeywords(value as SchemaObject, drop);
    else if (key === 'allOf' || key === 'oneOf' || key === 'anyOf')
      copy[key] = (value as SchemaObject[]).map((v) => withoutKeywords(v, drop));
    else copy[key] = value;
  }
  return copy;
}

/** The two scalar types the served document declares as strings although they also take numbers (see above). */
const NUMBER_OR_STRING: Readonly<Record<string, SchemaObject>> = {
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { oneOf: [{ type: 'string' }, { type: 'integer' }] },
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { oneOf: [{ type: 'string' }, { type: 'number' }] },
};

/**
 * The schema test/support/k8s-schema.ts validates dist/ with (committed as imports/k8s.definitions.json): the served
 * definitions as they are — enums, required fields, types — without descriptions (240 kB instead of 3.7 MB), and with
 * `IntOrString`/`Quantity` as string-or-number, as the API server decodes them.
 */
export function validationDefinitions(document: OpenApiV2): Record<string, SchemaObject> {
  const drop = new Set(['description']);
  return Object.fromEntries(
    Object.entries(document.definitions).map(([name, def]) => [
      name,
      NUMBER_OR_STRING[name] ?? withoutKeywords(def, drop),
    ]),
  );
}

/** Runs cdk8s-cli's k8s import with `download` answering `document`; writes `<outdir>/k8s.ts`. */
async function generate(document: string, version: string, outdir: string): Promise<void> {
  // cdk8s-cli's package.json `exports` hides lib/; its folder is found through the exported ./package.json.
  const cli = dirname(require.resolve('cdk8s-cli/package.json'));
  /* eslint-disable @typescript-eslint/no-require-imports -- cdk8s-cli's internals are CommonJS modules */
  const util = require(join(cli, 'lib', 'util.js')) as { download: (url: string) => Promise<string> };
  const { ImportKubernetesApi } = require(join(cli, 'lib', 'import', 'k8s.js')) as {
    ImportKubernetesApi: new (options: { apiVersion: string }) => {
      import(options: { outdir: string; targetLanguage: string }): Promise<void>;
    };
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  const expected = `/kubernetes-schemas/v${version}/_definitions.json`;
  util.download = async (url: string) => {
    if (!url.endsWith(expected)) throw new Error(`import:k8s: unexpected download ${url}`);
    return JSON.stringify(toCdk8sSchema(JSON.parse(document) as OpenApiV2));
  };
  await new ImportKubernetesApi({ apiVersion: version }).import({ outdir, targetLanguage: 'typescript' });
}

/** The generated imports/k8s.ts text for a served document. */
export async function renderK8sModule(document: string, version: string): Promise<string> {
  const work = mkdtempSync(join(tmpdir(), 'import-k8s-'));
  try {
    await generate(document, version.replace(/^v/, '').replace(/[-+].*$/, ''), work);
    const header = `// Generated by \`npm run import:k8s\` (scripts/import-k8s.ts) from the /openapi/v2 document of kube-apiserver ${version}.\n`;
    return header + readFileSync(join(work, 'k8s.ts'), 'utf8');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The imports/k8s.definitions.json text for a served document. */
export function renderValidationSchema(document: string, version: string): string {
  return `${JSON.stringify({ version, definitions: validationDefinitions(JSON.parse(document) as OpenApiV2) })}\n`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { openapi: { type: 'string' }, version: { type: 'string' } } });
  if (values.openapi && !values.version)
    throw new Error('--openapi FILE needs --version vX.Y.Z (the document itself names only X.Y)');
  const { document, version } = values.openapi
    ? { document: readFileSync(values.openapi, 'utf8'), version: values.version! }
    : await openApiFromServer();
  writeFileSync(join(REPO_ROOT, 'imports', 'k8s.ts'), await renderK8sModule(document, version));
  writeFileSync(join(REPO_ROOT, 'imports', 'k8s.definitions.json'), renderValidationSchema(document, version));
  console.log(`import:k8s: imports/k8s.ts and imports/k8s.definitions.json <- kube-apiserver ${version} /openapi/v2`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`import:k8s failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  });
}
