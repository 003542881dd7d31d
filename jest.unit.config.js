/**
 * `npm run test:unit`: the inner loop. Every test except the ones that run real components: the nginx +
 * libmodsecurity engine (test/engine, test/waf/nginx-load), the Coraza host (test/coraza), the kube-apiserver control plane (test/cluster) and the
 * packed-package consumer build (test/package/consumer), and Envoy Gateway's translator and cel-go
 * (test/envoy-gateway/{egctl-translate,cel-allow-list,mtls-scenarios}).
 */
const base = require('./jest.config.js');
module.exports = {
  ...base,
  testPathIgnorePatterns: [
    '/node_modules/',
    '<rootDir>/test/engine/',
    '<rootDir>/test/cluster/',
    '<rootDir>/test/coraza/',
    '<rootDir>/test/controller-real/controller\\.test\\.ts$',
    '<rootDir>/test/waf/nginx-load\\.test\\.ts$',
    '<rootDir>/test/package/consumer\\.test\\.ts$',
    '<rootDir>/test/envoy-gateway/(egctl-translate|cel-allow-list|mtls-scenarios)\\.test\\.ts$',
  ],
};
