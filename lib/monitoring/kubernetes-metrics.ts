/**
 * Container series of the kube-prometheus-stack prerequisite that the controller-memory alert reads, with their
 * labels as Prometheus stores them (both ServiceMonitors of the chart set `honorLabels: true`, so `namespace`, `pod`
 * and `container` are the workload's, not the scrape target's):
 *
 * - `container_memory_working_set_bytes`: cAdvisor in the kubelet (`/metrics/cadvisor`, kube-prometheus-stack's
 *   kubelet ServiceMonitor, `job="kubelet"`); cAdvisor's docs/storage/prometheus.md lists the series, the kubelet
 *   adds `namespace`, `pod` and `container`. The kubelet's `/metrics/resource` endpoint exports a series of the same
 *   name, so expressions take `max` over duplicates. The OOM killer acts on the working set.
 * - `kube_pod_container_resource_limits`: kube-state-metrics (docs/metrics/workload/pod-metrics.md: labels
 *   `resource`, `unit`, `container`, `pod`, `namespace`, `node`, `uid`; memory in bytes), `job="kube-state-metrics"`.
 */

/** One container series, with every label it has when scraped. */
export interface KubernetesSeries {
  /** Series name. */
  readonly name: string;
  /** Labels as stored in Prometheus (exported and target labels). */
  readonly labels: readonly string[];
  /** One line of documentation. */
  readonly doc: string;
}

/** Target labels the kube-prometheus-stack ServiceMonitors add. */
const TARGET = ['job', 'instance', 'endpoint', 'service', 'metrics_path'] as const;

/** The container series this library's alerts use. */
export const KUBERNETES_CONTAINER_SERIES: readonly KubernetesSeries[] = [
  {
    name: 'container_memory_working_set_bytes',
    labels: ['namespace', 'pod', 'container', 'id', 'image', 'name', 'node', ...TARGET],
    doc: 'cAdvisor: memory working set of a container (what the OOM killer compares to the limit)',
  },
  {
    name: 'kube_pod_container_resource_limits',
    labels: ['namespace', 'pod', 'uid', 'container', 'node', 'resource', 'unit', ...TARGET],
    doc: 'kube-state-metrics: limit of a container, per resource (memory in bytes)',
  },
];
