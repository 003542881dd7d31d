// The kubernetes-models packages export only an "import" condition; resolve them (and what they import) with it.
// Everything else resolves with Jest's default conditions.
const ESM_ONLY = /^(kubernetes-models|@kubernetes-models\/|@swc\/helpers|is-cidr|cidr-regex|ip-regex)/;
module.exports = (request, options) =>
  options.defaultResolver(
    request,
    ESM_ONLY.test(request) ? { ...options, conditions: ['import', 'default'] } : options,
  );
