import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ServiceMonitor } from '../../imports/monitoring.coreos.com';
import {
  checkDnsLabel,
  checkDnsSubdomain,
  checkKubernetesLabels,
  PropsValidator,
  propsValidator,
} from '../core/validation';
import { mergeMetadata, ObjectMetadataOptions } from '../core/metadata';
import { checkDuration, PromDuration } from './promql';

/** Props of {@link ControllerServiceMonitor}. */
export interface ControllerServiceMonitorProps {
  /** Name of the ServiceMonitor. */
  readonly name: string;
  /** Namespace of the ServiceMonitor. */
  readonly namespace: string;
  /**
   * Labels on the ServiceMonitor so that Prometheus selects it (kube-prometheus-stack: `release: <release>`).
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
  /** Namespace of the controller's metrics Service. */
  readonly serviceNamespace: string;
  /** Labels of the controller's metrics Service (the ServiceMonitor selects the Service by them). */
  readonly serviceSelector: Readonly<Record<string, string>>;
  /**
   * Name of the Service port that serves `/metrics` (10254 on the controller).
   * @default 'metrics'
   */
  readonly portName?: string;
  /**
   * Scrape interval.
   * @default '30s'
   */
  readonly interval?: PromDuration;
  /**
   * Labels and annotations added to the ServiceMonitor (e.g. for Argo CD or a policy engine). A key of `labels` above
   * or one
   * the construct sets itself cannot be overridden here.
   * @default none
   */
  readonly metadata?: ObjectMetadataOptions;
}

/**
 * A prometheus-operator ServiceMonitor that scrapes the ingress-nginx controller metrics (port 10254). The `job`
 * label of the scraped series is the metrics Service name; the controller's own `namespace` and `service` labels
 * become `exported_namespace` and `exported_service` (honorLabels stays false so targets cannot spoof labels).
 */
export class ControllerServiceMonitor extends Construct {
  /** The emitted ServiceMonitor. */
  public readonly serviceMonitor: ApiObject;

  constructor(scope: Construct, id: string, props: ControllerServiceMonitorProps) {
    super(scope, id);
    const v: PropsValidator = propsValidator(this, 'ControllerServiceMonitor');
    v.check(() => checkDnsSubdomain('name', props.name));
    v.check(() => checkDnsLabel('namespace', props.namespace));
    v.check(() => checkDnsLabel('serviceNamespace', props.serviceNamespace));
    v.check(() => checkKubernetesLabels('labels', props.labels ?? {}));
    v.check(() => checkKubernetesLabels('serviceSelector', props.serviceSelector));
    if (Object.keys(props.serviceSelector).length === 0)
      v.invalid(
        'serviceSelector',
        props.serviceSelector,
        'is empty and would select every Service in the namespace',
        'give the labels of the controller metrics Service, e.g. app.kubernetes.io/component: controller',
      );
    const portName = props.portName ?? 'metrics';
    if (!/^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/.test(portName))
      v.invalid(
        'portName',
        portName,
        'is not a valid Service port name',
        'use the port name of the metrics Service, at most 15 lower-case letters, digits and "-"',
      );
    const interval = v.check(() => checkDuration('interval', props.interval ?? '30s'));

    this.serviceMonitor = new ServiceMonitor(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        ...v.check(() => mergeMetadata('metadata', props.metadata, { labels: { ...(props.labels ?? {}) } })),
      },
      spec: {
        selector: { matchLabels: { ...props.serviceSelector } },
        namespaceSelector: { matchNames: [props.serviceNamespace] },
        endpoints: [{ port: portName, path: '/metrics', interval, honorLabels: false }],
      },
    });
  }
}
