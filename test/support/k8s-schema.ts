/**
 * Schema validation of built-in Kubernetes kinds against the API server the cluster tests run (kube-apiserver
 * v1.36.3): imports/k8s.definitions.json is its /openapi/v2 `definitions`, written by `npm run import:k8s` together
 * with imports/k8s.ts (scripts/import-k8s.ts, `validationDefinitions`). A kind the server does not serve (an alpha or
 * beta version it has off, a version removed since) has no schema and fails.
 *
 * Checked: types, required fields, enums — and unknown fields, which the served document leaves open but the API
 * server rejects under strict field validation (kubectl's default, `--validate=strict`): every object schema with
 * `properties` is closed (`additionalProperties: false`) unless it declares `additionalProperties` or
 * `x-kubernetes-preserve-unknown-fields`. Formats (`int32`, `date-time`, ...) are not checked.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';

interface Schema {
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: boolean | Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[];
  [key: string]: unknown;
}

const FILE = join(__dirname, '..', '..', 'imports', 'k8s.definitions.json');

/** Adds `additionalProperties: false` to every object schema with properties that does not say otherwise. */
function closed(schema: Schema): Schema {
  const copy: Schema = { ...schema };
  if (schema.properties) {
    copy.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, closed(v)]));
    if (schema.additionalProperties === undefined && !schema['x-kubernetes-preserve-unknown-fields'])
      copy.additionalProperties = false;
  }
  if (schema.items) copy.items = closed(schema.items);
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object')
    copy.additionalProperties = closed(schema.additionalProperties);
  for (const key of ['allOf', 'oneOf', 'anyOf'] as const) if (schema[key]) copy[key] = schema[key]!.map(closed);
  return copy;
}

let loaded: { version: string; byGvk: Map<string, string>; ajv: Ajv } | undefined;

function load(): NonNullable<typeof loaded> {
  if (loaded) return loaded;
  const doc = JSON.parse(readFileSync(FILE, 'utf8')) as { version: string; definitions: Record<string, Schema> };
  const byGvk = new Map<string, string>();
  for (const [name, def] of Object.entries(doc.definitions)) {
    for (const gvk of def['x-kubernetes-group-version-kind'] ?? [])
      byGvk.set(`${gvk.group ? `${gvk.group}/` : ''}${gvk.version} ${gvk.kind}`, name);
  }
  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false });
  ajv.addSchema({
    $id: 'k8s',
    definitions: Object.fromEntries(Object.entries(doc.definitions).map(([k, v]) => [k, closed(v)])),
  });
  loaded = { version: doc.version, byGvk, ajv };
  return loaded;
}

/** The Kubernetes version the schemas are from (`v1.36.3`). */
export function kubernetesSchemaVersion(): string {
  return load().version;
}

/** Whether the API server serves `apiVersion` `kind` (a built-in kind; custom resources are not in the document). */
export function servesKind(apiVersion: string, kind: string): boolean {
  return load().byGvk.has(`${apiVersion} ${kind}`);
}

/** Throws with the first schema error when a built-in object does not validate, or when its kind is not served. */
export function validateBuiltIn(manifest: { apiVersion: string; kind: string; metadata?: { name?: string } }): void {
  const { version, byGvk, ajv } = load();
  const name = byGvk.get(`${manifest.apiVersion} ${manifest.kind}`);
  if (!name)
    throw new Error(
      `${manifest.apiVersion} ${manifest.kind} is not served by Kubernetes ${version} (imports/k8s.definitions.json)`,
    );
  const validate = ajv.getSchema(`k8s#/definitions/${name}`) as ValidateFunction;
  const data: unknown = manifest; // ajv's validate is a type guard: test a copy of the reference, keep `manifest` typed
  if (!validate(data)) {
    const e = validate.errors![0];
    const detail =
      e.keyword === 'additionalProperties'
        ? `has unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`
        : e.message;
    throw new Error(
      `${manifest.apiVersion} ${manifest.kind} "${manifest.metadata?.name}" does not match the Kubernetes ${version} schema: ${e.instancePath || '/'} ${detail}`,
    );
  }
}
