/**
 * ModSecurity transaction id, so an audit-log entry can be joined with the access log and the backend's
 * `X-Request-ID`. ingress-nginx v1.15.1 sets it only per Ingress, with the annotation
 * `nginx.ingress.kubernetes.io/modsecurity-transaction-id` (risk High: allowed at the default risk level; value
 * validated against `^[A-Za-z0-9\-\_\$\{\}]*$`), which nginx.tmpl renders as `modsecurity_transaction_id "<value>";`
 * in each location. There is no ConfigMap key for it; Ingresses of this project carry the annotation.
 */
export const MODSECURITY_TRANSACTION_ID = {
  annotation: 'nginx.ingress.kubernetes.io/modsecurity-transaction-id',
  value: '$request_id',
} as const;
