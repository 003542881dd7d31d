/**
 * Where the ingress-nginx v1.15.1 controller image keeps ModSecurity's base configuration and OWASP CRS v4.22.0
 * (images/nginx/rootfs/build.sh of the release). The WAF snippet includes these files by absolute path; the
 * real-engine tests map the same paths onto a local CRS checkout.
 */
export const MODSECURITY_BASE_CONFIG = '/etc/nginx/modsecurity/modsecurity.conf';

/** Root of the CRS checkout in the image. */
export const CRS_ROOT = '/etc/nginx/owasp-modsecurity-crs';

/** CRS version the image bundles. */
export const CRS_VERSION = '4.22.0';

/**
 * The CRS rule files, by glob: ModSecurity includes them in file-name order, which is CRS's load order
 * (REQUEST-9xx, then RESPONSE-9xx). In the image this covers every rule file of v4.22.0 (the image's own
 * `nginx-modsecurity.conf` lists the same files but leaves out RESPONSE-956, Ruby data leakages) plus the two
 * comment-only exclusion templates. One line instead of 26 keeps the policy short and independent of the CRS file list.
 */
export const CRS_RULES_GLOB = `${CRS_ROOT}/rules/*.conf`;
