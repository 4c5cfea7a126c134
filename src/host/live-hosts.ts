// The hosts alive in this process, so per-test checks can find what a test left running.
import { processWide } from '../scope/index.js'
import type { HostManager } from './host-manager.js'

const live = processWide('live hosts', () => new Set<HostManager>())

export function trackHost(host: HostManager): () => void {
  live.add(host)
  return () => live.delete(host)
}

/** Hosts started and not yet shut down, oldest first. */
export function liveHosts(): HostManager[] {
  return [...live]
}
