/**
 * Jest runs TypeScript through SWC (transpile only); `tsc --noEmit` in `npm test` type-checks.
 * The kubernetes-models schema packages are ESM-only: they are transformed to CommonJS too.
 */
const esmPackages = ['kubernetes-models', '@kubernetes-models', '@swc/helpers', 'is-cidr', 'cidr-regex', 'ip-regex'];
module.exports = {
  testEnvironment: 'node',
  resolver: '<rootDir>/test/support/jest-resolver.js',
  globalSetup: '<rootDir>/test/support/jest-global-setup.js',
  globalTeardown: '<rootDir>/test/support/jest-global-teardown.js',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }],
    '^.+\\.m?js$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'ecmascript' } }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  testTimeout: 60000,
};
