/** Observability of the edge: metrics scraping, alerts, Grafana dashboard, Slack routing. */
export * from './metrics';
export * from './promql';
export * from './alerts';
export * from './service-monitor';
export * from './slack-routing';
export * from './dashboard/model';
export * from './dashboard/edge-dashboard';
export * from './edge-monitoring';
