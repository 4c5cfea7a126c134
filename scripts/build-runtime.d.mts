/** Writes dist/src/launchers/{reaper,worker-entry}.js (each one self-contained file); resolves with their paths. */
export function buildRuntimeFiles(): Promise<string[]>
