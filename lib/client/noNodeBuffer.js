// Stands in for Node's `buffer` module in browser bundles (next.config.js `resolveAlias`): the
// only reference is lib0's Node-only base64 branch, which a browser never runs.
export const Buffer = undefined;
export default {};
