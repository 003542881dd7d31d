/**
 * The API report (issue 18): etc/*.api.md, written by `npm run api` (scripts/api-report.ts, @microsoft/api-extractor
 * over the shipped declarations of both entry points), must match the current sources. It records signatures, so a
 * prop whose type changes, a prop that becomes required or a member that disappears fails here until the report is
 * regenerated and the diff reviewed. Beside it: the export snapshot and the TSDoc/@default rules of api.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { API_ENTRIES, renderApiReports, REPORT_DIR } from '../../scripts/api-report';

describe('API report (etc/*.api.md)', () => {
  let fresh: Map<string, string>;

  beforeAll(() => {
    fresh = renderApiReports();
  }, 180_000);

  test('one committed report per entry point, and no other file in etc/', () => {
    expect(readdirSync(REPORT_DIR).sort()).toEqual(API_ENTRIES.map((e) => e.report).sort());
  });

  test.each(API_ENTRIES.map((e) => e.report))('etc/%s is current (run `npm run api` and review the diff)', (report) => {
    expect(readFileSync(join(REPORT_DIR, report), 'utf8')).toBe(fresh.get(report));
  });

  test('the report holds signatures, not only names: prop types, optionality and constructor parameters', () => {
    const main = fresh.get('aks-waf-mtls-edge.api.md')!;
    expect(main).toContain('export class ValidationError extends Error {');
    expect(main).toContain('static isValidationError(x: unknown): x is ValidationError;');
    expect(main).toMatch(
      /export class MtlsIngress extends Construct \{\n\s+constructor\(scope: Construct, id: string, props: MtlsIngressProps\);/,
    );
    expect(main).toMatch(
      /export interface AcmeClusterIssuerProps \{[^}]*readonly email\?: string;[^}]*readonly environment: AcmeEnvironment;/,
    );
  });
});
