// Types of build-once.mjs, for the tests and scripts that build the app.
export function webFingerprint(): string;
export function buildWebApp(outDir?: string): string;
export function ensureWebBuilt(options?: { log?: (line: string) => void }): boolean;
