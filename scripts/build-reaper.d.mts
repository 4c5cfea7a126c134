/** Writes dist/src/launchers/reaper.js (the reaper, one self-contained file); resolves with its path. */
export function buildReaper(): Promise<string>
