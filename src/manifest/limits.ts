// Hard limits on what the manifests folder may contain. They exist so that no file, however
// large, malformed or hostile, can exhaust DSR's memory, stack or event loop.

/** Largest manifest file DSR reads: 1 MiB. Shared by the folder reader and the loader. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;

/**
 * Deepest nesting of YAML collections accepted. A manifest needs 6 levels; the YAML library
 * recurses once per level and V8 can abort the whole process (not throw) when a deeply nested
 * document exhausts the stack, so depth is checked before the library composes the document.
 */
export const MAX_NESTING_DEPTH = 64;

/** Most YAML nodes one document may expand to, aliases included (a manifest has about 50). */
export const MAX_DOCUMENT_NODES = 10_000;

/** Alias expansions allowed per document (the yaml package's `maxAliasCount`). */
export const MAX_ALIAS_COUNT = 100;

/**
 * Most YAML documents (services) one file may hold, counted by their `---` markers. Parsing runs
 * on the thread the gateway shares, and 100,000 tiny documents (under 1 MiB) took 4-6 s there.
 */
export const MAX_DOCUMENTS_PER_FILE = 1000;

/** Errors reported per file; past this the rest are summarised in one line. */
export const MAX_ERRORS_PER_FILE = 50;

/** Longest duration accepted (24h): larger values would overflow Node's timers (2^31 ms). */
export const MAX_DURATION_MS = 24 * 60 * 60 * 1000;
