/** Mutual TLS at the edge: MtlsIngress, client CAs (managed by cert-manager or provided), ACME ClusterIssuers. */
export * from './acme-cluster-issuer';
export * from './client-ca';
export * from './managed-client-ca';
export * from './mtls-ingress';
export * from './pem';
export * from './provided-client-ca';
export * from './subject-allow-list';
export * from './trust-bundle';
export { checkGoDuration } from './duration';
export { checkCrl, CrlInfo } from './crl';
