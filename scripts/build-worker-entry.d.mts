/** Writes dist/src/launchers/worker-entry.js (the thread side of worker servers); resolves with its path. */
export function buildWorkerEntry(): Promise<string>
