import { AksStackProps } from '../../lib/azure/props';
import { validationErrorOf } from '../waf/support';
import { BASE_PROPS, synth, withProps } from './support';

/** What an attacker (or a copied snippet) puts into a free-text prop: Terraform evaluates both at plan time. */
const INTERPOLATION = '${file("/etc/passwd")}';
const DIRECTIVE = '%{ for l in split("\\n", file("/etc/passwd")) }${l}%{ endfor }';

/** Every string in the Terraform JSON that Terraform would evaluate as a template (contains `${` or `%{` not escaped). */
function templatedStrings(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return /(^|[^$])\$\{|(^|[^%])%\{/.test(value) ? [[path, value]] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => templatedStrings(v, `${path}[${i}]`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => [
      ...templatedStrings(k, `${path}.<key>`),
      ...templatedStrings(v, `${path}.${k}`),
    ]);
  return [];
}

/** Functions the stack's own expressions call (cdktf references, Fn.format, Fn.tolist, the webhook variable's validation). */
const OWN_FUNCTIONS = new Set(['format', 'tolist', 'can', 'regex']);
/** A whole-string expression written by the stack itself: references to its resources/data/variables and those functions only. */
function isOwnTemplate(value: string): boolean {
  if (!value.startsWith('${') || !value.endsWith('}') || value.slice(2).includes('${')) return false;
  const functions = [...value.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\(/g)].map((m) => m[1]);
  return functions.every((f) => OWN_FUNCTIONS.has(f));
}

describe('Azure inputs that reach Terraform', () => {
  test("the template check tells an injected expression from the stack's own references", () => {
    expect(isOwnTemplate('${azurerm_resource_group.resource-group.name}')).toBe(true);
    expect(isOwnTemplate(INTERPOLATION)).toBe(false);
    expect(isOwnTemplate(`x-${INTERPOLATION}`)).toBe(false);
  });

  test('the synthesized cdk.tf.json holds no template but cdktf\'s own references, and plain "$"/"%" text stays literal', () => {
    const { tf } = synth(withProps({ tags: { 'cost-center': 'CC $100 (50%)', owner: 'secops' } }));
    const templates = templatedStrings(tf);
    expect(templates.length).toBeGreaterThan(0);
    expect(templates.filter(([, v]) => !isOwnTemplate(v))).toEqual([]);
    expect(JSON.stringify(tf)).toContain('"cost-center":"CC $100 (50%)"');
  });

  test.each<[string, Partial<Record<keyof AksStackProps, unknown>>, string]>([
    ['rejects ${…} in a tag value', { tags: { owner: INTERPOLATION } }, 'tags.owner'],
    ['rejects %{…} in a tag value', { tags: { owner: DIRECTIVE } }, 'tags.owner'],
    ['rejects ${…} in a tag key', { tags: { [INTERPOLATION]: 'x' } }, `tags.${INTERPOLATION}`],
    [
      'rejects ${…} in an e-mail receiver address',
      { alerting: { emailReceivers: [{ name: 'secops', address: `${INTERPOLATION}@example.com` }] } },
      'alerting.emailReceivers[0].address',
    ],
    [
      'rejects %{…} in an e-mail receiver name',
      { alerting: { emailReceivers: [{ name: DIRECTIVE, address: 'secops@example.com' }] } },
      'alerting.emailReceivers[0].name',
    ],
    [
      'rejects ${…} in the DNS zone name',
      { ingress: { ...BASE_PROPS.ingress, dns: { zoneName: INTERPOLATION, hosts: ['echo.example.com'] } } },
      'ingress.dns.zoneName',
    ],
    ['rejects ${…} in the resource group name', { resourceGroupName: INTERPOLATION }, 'resourceGroupName'],
    [
      'rejects ${…} in the controller namespace of the alert query',
      { alerting: { emailReceivers: [{ name: 'a', address: 'a@example.com' }], controllerNamespace: INTERPOLATION } },
      'alerting.controllerNamespace',
    ],
  ])('%s', (_, change, field) => {
    const err = validationErrorOf(() => synth(withProps(change)));
    expect(err.field).toBe(field);
    expect(err.message).toMatch(/would evaluate/);
  });

  test('rejects a daily Log Analytics quota of Infinity', () => {
    expect(validationErrorOf(() => synth(withProps({ logAnalytics: { dailyQuotaGb: Infinity } }))).field).toBe(
      'logAnalytics.dailyQuotaGb',
    );
  });

  test('rejects an alert threshold of Infinity', () => {
    expect(
      validationErrorOf(() =>
        synth(
          withProps({ alerting: { emailReceivers: [{ name: 'a', address: 'a@example.com' }], threshold: Infinity } }),
        ),
      ).field,
    ).toBe('alerting.threshold');
  });
});
