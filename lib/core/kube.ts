/**
 * The Kubernetes API types every construct builds its objects from (the L1 classes `KubeDeployment`, `KubeService`,
 * ...). One module, so the Kubernetes version the library types for is chosen in one place.
 */
export * from '../../imports/k8s';
