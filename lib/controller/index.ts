/** The ingress-nginx v1.15.1 controller with ModSecurity + OWASP CRS, as native cdk8s objects. */
export * from './controller';
export * from './upstream';
export { ControllerServiceOptions, AZURE_PIP_NAME_ANNOTATION, AZURE_LB_RESOURCE_GROUP_ANNOTATION, AZURE_HEALTH_PROBE_PATH_ANNOTATION } from './services';
export { DEFAULT_PROXY_SET_HEADERS } from './config-maps';
export { DEFAULT_CONTROLLER_RESOURCES, CONFIG_SHA256_ANNOTATION } from './deployment';
export { MetricsScraper, API_SERVER_PORTS } from './availability';
export { DEFAULT_WEBHOOK_TIMEOUT_SECONDS } from './admission-webhook';
export { scopedClusterRules, WATCHED_NAMESPACE_RULES, SCOPED_CONTROLLER_NAMESPACE_RULES } from './rbac';
export {
  WAF_POLICY_CONFIG_MAP, WAF_POLICY_KEY, WAF_POLICY_MOUNT_PATH, WAF_POLICY_FILE_PATH, WAF_POLICY_SHA256_ANNOTATION, WAF_POLICY_FILE_MAX_BYTES,
  WAF_POLICY_SYNC_OPTIONS, checkWafPolicyFile,
} from './waf-policy';
