// Removes the scratch folder jest-global-setup.js gave the test run (see there).
const { rmSync } = require('node:fs');

module.exports = async () => {
  const scratch = process.env.AKS_EDGE_TEST_SCRATCH;
  if (scratch) rmSync(scratch, { recursive: true, force: true });
};
