// @actions/workflow-parser imports its JSON schema without an import attribute, which Node 20 refuses
// (ERR_IMPORT_ASSERTION_TYPE_MISSING): add the attribute for .json files. Registered by register-json.mjs.
export async function load(url, context, next) {
  if (url.endsWith(".json")) {
    return next(url, { ...context, importAttributes: { ...(context.importAttributes || {}), type: "json" } });
  }
  return next(url, context);
}
