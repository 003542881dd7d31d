import { Chart } from 'cdk8s';
import { withFieldPaths } from '../core/validation';
import { EdgeMonitoring } from '../monitoring/edge-monitoring';
import { EdgeDeploymentConfig } from './config';
import { hostNamesOf } from './intent';

/** The controller's metrics Service (created by the controller layer): name, labels and port name. */
export const CONTROLLER_METRICS_SERVICE = {
  name: 'ingress-nginx-controller-metrics',
  labels: {
    'app.kubernetes.io/name': 'ingress-nginx',
    'app.kubernetes.io/instance': 'ingress-nginx',
    'app.kubernetes.io/component': 'controller',
  },
  portName: 'metrics',
} as const;

/**
 * Adds the monitoring layer of the reference deployment: ServiceMonitor, PrometheusRule, Grafana dashboard and
 * Slack routing, all in the controller namespace (the Slack webhook Secret is created there by the operator).
 */
export function addMonitoring(chart: Chart, config: EdgeDeploymentConfig): void {
  const { monitoring } = config;
  withFieldPaths(
    MONITORING_CONFIG_PATHS,
    () =>
      new EdgeMonitoring(chart, 'edge', {
        name: config.name,
        namespace: config.controller.namespace,
        controllerNamespace: config.controller.namespace,
        metricsService: CONTROLLER_METRICS_SERVICE,
        prometheusSelectorLabels: monitoring.prometheusSelectorLabels,
        mtlsHosts: hostNamesOf(config),
        slack: monitoring.slack,
        logs: monitoring.lokiLogs
          ? { labels: { namespace: config.controller.namespace, container: 'controller' } }
          : undefined,
        runbookUrl: monitoring.runbookUrl,
      }),
  );
}

/** The config path of each EdgeMonitoring prop {@link addMonitoring} sets from the config. */
const MONITORING_CONFIG_PATHS: Readonly<Record<string, string>> = {
  namespace: 'controller.namespace',
  controllerNamespace: 'controller.namespace',
  prometheusSelectorLabels: 'monitoring.prometheusSelectorLabels',
  mtlsHosts: 'app.hosts',
  slack: 'monitoring.slack',
  logs: 'monitoring.lokiLogs',
  runbookUrl: 'monitoring.runbookUrl',
};
