import { checkPromQL, promqlSyntaxErrors } from './promql-checker';
import { INGRESS_NGINX_METRICS, scrapedLabelsOf, seriesNamesOf } from '../../lib/monitoring/metrics';

describe('PromQL checker (test support)', () => {
  test('accepts a correct expression over ingress-nginx metrics', () => {
    expect(
      checkPromQL(
        'sum by (host, exported_namespace) (rate(nginx_ingress_controller_requests{status="403", host=~"a\\\\.example\\\\.com"}[5m] offset 5m)) > 3',
      ),
    ).toEqual([]);
  });

  test('parses with the real PromQL grammar and rejects what it rejects', () => {
    expect(
      promqlSyntaxErrors('sum by (host) (rate(nginx_ingress_controller_requests{status="403"}[$__rate_interval]))'),
    ).toEqual([]);
    expect(promqlSyntaxErrors('sum by (host) rate(nginx_ingress_controller_requests[5m]) >')).not.toEqual([]);
    expect(promqlSyntaxErrors('rate(nginx_ingress_controller_requests{status="403"[5m])')).not.toEqual([]);
    expect(checkPromQL('up{job="a"} and and up')[0]).toMatch(/^syntax error at/);
  });

  test('rejects a metric ingress-nginx does not export', () => {
    expect(checkPromQL('rate(nginx_ingress_controller_requests_total[5m])')).toEqual([
      'unknown series nginx_ingress_controller_requests_total',
    ]);
  });

  test('rejects grouping by a label no selected series has', () => {
    expect(checkPromQL('sum by (rule_id) (rate(nginx_ingress_controller_requests[5m]))')).toEqual([
      'grouping label rule_id exists on none of nginx_ingress_controller_requests',
    ]);
  });

  test('rejects unbalanced brackets, unknown functions and bad ranges', () => {
    // The grammar rejects these first; the tokenizer's own messages remain for what the grammar accepts.
    expect(checkPromQL('sum(rate(up[5m])')[0]).toMatch(/^syntax error at/);
    expect(checkPromQL('ratez(up[5m])')[0]).toMatch(/^syntax error at|unknown function ratez/);
    expect(checkPromQL('rate(up[5 minutes])')[0]).toMatch(/^syntax error at|range \[5 minutes\] is not a duration/);
    expect(checkPromQL('up{job=~"x", bogus="y"}')).toContain('label bogus does not exist on up');
  });
});

describe('ingress-nginx v1.15.1 metric table', () => {
  test('holds the request metrics with the labels Prometheus sees when scraping', () => {
    const labels = scrapedLabelsOf('nginx_ingress_controller_requests');
    for (const l of [
      'status',
      'host',
      'ingress',
      'exported_namespace',
      'exported_service',
      'method',
      'path',
      'controller_pod',
      'namespace',
      'job',
    ])
      expect(labels?.has(l)).toBe(true);
    expect(scrapedLabelsOf('nginx_ingress_controller_request_duration_seconds_bucket')?.has('le')).toBe(true);
    expect(scrapedLabelsOf('nginx_ingress_controller_ssl_expire_time_seconds')?.has('exported_namespace')).toBe(true);
  });

  test('names the families the controller source declares', () => {
    const names = INGRESS_NGINX_METRICS.flatMap(seriesNamesOf);
    for (const n of [
      'nginx_ingress_controller_requests',
      'nginx_ingress_controller_request_duration_seconds_bucket',
      'nginx_ingress_controller_config_last_reload_successful',
      'nginx_ingress_controller_ssl_expire_time_seconds',
      'nginx_ingress_controller_success',
      'nginx_ingress_controller_errors',
      'nginx_ingress_controller_nginx_process_requests_total',
    ]) {
      expect(names).toContain(n);
    }
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('container series of kube-prometheus-stack (cAdvisor, kube-state-metrics)', () => {
  test('hold the labels the controller-memory alert selects and joins on', () => {
    for (const l of ['namespace', 'pod', 'container', 'job'])
      expect(scrapedLabelsOf('container_memory_working_set_bytes')?.has(l)).toBe(true);
    for (const l of ['namespace', 'pod', 'container', 'resource', 'unit'])
      expect(scrapedLabelsOf('kube_pod_container_resource_limits')?.has(l)).toBe(true);
    // honorLabels: true on both ServiceMonitors, so no exported_ renames
    expect(scrapedLabelsOf('kube_pod_container_resource_limits')?.has('exported_namespace')).toBe(false);
  });

  test('rejects names that are not the cAdvisor/kube-state-metrics series', () => {
    expect(checkPromQL('container_memory_working_set{container="controller"}')).toEqual([
      'unknown series container_memory_working_set',
    ]);
    expect(checkPromQL('kube_pod_container_resource_limits_memory_bytes')).toEqual([
      'unknown series kube_pod_container_resource_limits_memory_bytes',
    ]);
    expect(checkPromQL('kube_pod_container_resource_limits{le="1"}')).toContain(
      'label le does not exist on kube_pod_container_resource_limits',
    );
  });
});
