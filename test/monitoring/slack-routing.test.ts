import { Chart, Testing } from 'cdk8s';
import { SlackAlertRouting, SlackAlertRoutingProps } from '../../lib/monitoring/slack-routing';
import { ValidationError } from '../../lib/core/validation';
import { validateManifest } from '../support/schema';

const PROPS: SlackAlertRoutingProps = {
  name: 'edge-slack',
  namespace: 'ingress-nginx',
  webhookSecretName: 'edge-alerts-slack',
  channel: '#waf-alerts',
  matchLabels: { edge: 'hospital-edge' },
};

function synth(props: Partial<SlackAlertRoutingProps> = {}): any[] {
  const chart = new Chart(Testing.app(), 'test');
  new SlackAlertRouting(chart, 'slack', { ...PROPS, ...props });
  return Testing.synth(chart);
}

describe('SlackAlertRouting', () => {
  test('emits an AlertmanagerConfig that matches the prometheus-operator schema', () => {
    const manifests = synth();
    expect(manifests.map((m) => m.kind)).toEqual(['AlertmanagerConfig']);
    validateManifest(manifests[0]);
    expect(manifests).toMatchSnapshot();
  });

  test('reads the webhook URL from a Secret reference and emits no Secret', () => {
    const [config] = synth({ webhookSecretKey: 'webhook' });
    expect(config.spec.receivers[0].slackConfigs[0].apiURL).toEqual({ name: 'edge-alerts-slack', key: 'webhook' });
    expect(JSON.stringify(config)).not.toMatch(/hooks\.slack\.com|https?:\/\//);
  });

  test('routes only the edge alerts, grouped by alert and host', () => {
    const [config] = synth();
    expect(config.spec.route).toEqual(
      expect.objectContaining({
        receiver: 'slack',
        groupBy: ['alertname', 'host'],
        matchers: [{ name: 'edge', value: 'hospital-edge', matchType: '=' }],
      }),
    );
  });

  test.each<[string, Partial<SlackAlertRoutingProps>, RegExp]>([
    [
      'a webhook URL given as the channel',
      { channel: 'https://hooks.slack.com/services/T000/B000/XXXX' },
      /channel.*never be written to dist/,
    ],
    [
      'a webhook URL given as the Secret name',
      { webhookSecretName: 'https://hooks.slack.com/services/T000/B000/XXXX' },
      /webhookSecretName/,
    ],
    ['a channel with spaces', { channel: '#waf alerts' }, /SlackAlertRouting "test\/slack": channel: /],
    ['a Secret key with a slash', { webhookSecretKey: 'a/b' }, /webhookSecretKey/],
    ['no match labels', { matchLabels: {} }, /matchLabels/],
    ['a repeat interval that is no duration', { repeatInterval: 'daily' }, /repeatInterval/],
  ])('rejects %s', (_, props, message) => {
    expect(() => synth(props)).toThrow(ValidationError);
    expect(() => synth(props)).toThrow(message);
  });

  test('never echoes a rejected webhook URL in the error', () => {
    expect(() => synth({ channel: 'https://hooks.slack.com/services/T000/B000/SECRET' })).toThrow(/^(?!.*SECRET)/s);
  });
});
