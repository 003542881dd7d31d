import { standardLabels } from '../core/labels';
import { CONTROLLER_SELECTOR_LABELS, INGRESS_NGINX_VERSION } from './upstream';

/** Labels of every controller object: upstream's selector labels, our recommended labels and the version. */
export function controllerLabels(component: 'controller' | 'admission-webhook' = 'controller'): Record<string, string> {
  return {
    ...standardLabels('ingress-nginx', component, 'ingress-nginx'),
    ...(component === 'controller' ? CONTROLLER_SELECTOR_LABELS : {}),
    'app.kubernetes.io/version': INGRESS_NGINX_VERSION,
  };
}
