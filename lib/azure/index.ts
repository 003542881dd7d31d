/** The CDKTF side: the AKS cluster and its Azure resources. Import provider classes one by one (never the barrel). */
export * from './props';
export * from './aks-stack';
export * from './cluster';
export * from './log-analytics';
export * from './ingress-ip';
export * from './dns';
export * from './alerting';
export * from './kql';
export { resolveAksProps } from './resolve';
export type { ResolvedAksProps, ResolvedNodePool } from './resolve';
export { AZURE_REGIONS, normalizeRegion } from './regions';
export { checkIpv4Cidr } from '../core/ip';
export type { Ipv4Cidr } from '../core/ip';
