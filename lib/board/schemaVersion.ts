/**
 * The version of the board document's layout (the Yjs roots and keys of lib/board/layout.ts),
 * recorded as `meta.schemaVersion`. It is not the model's version (meta.modelVersion) and not the
 * wire protocol's (lib/protocol.ts). Raise it together with a new entry in migrations.ts.
 */
export const SCHEMA_VERSION = 1;
