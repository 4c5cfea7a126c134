// The hosts alive in this process, so per-test checks can find what a test left running. It imports
// nothing of the host: the plugin's setup file reads it without loading the host (and the SDK), and
// the host registers itself here without a circle.
import { processWide } from '../scope/index.js'

const live = processWide('live hosts', () => new Set<object>())

/** Called by each host as it starts; the returned function forgets it. */
export function trackHost(host: object): () => void {
  live.add(host)
  return () => live.delete(host)
}

/**
 * Hosts started and not yet shut down, oldest first. Only `HostManager`s are ever tracked: the
 * type is the caller's (`liveHosts<HostManager>()`), which imports it as a type.
 */
export function liveHosts<Host extends object>(): Host[] {
  return [...live] as Host[]
}
