// Gives the whole test run one scratch folder as TMPDIR and removes it afterwards: libraries used by the tests
// (cdk8s Testing.app(), cdktf Testing) create a temporary output folder per app and never delete it.
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports = async () => {
  const scratch = mkdtempSync(join(tmpdir(), 'aks-waf-mtls-edge-tests-'));
  process.env.AKS_EDGE_TEST_SCRATCH = scratch;
  process.env.TMPDIR = scratch;
};
