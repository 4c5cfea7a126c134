// Who listens on a loopback TCP port: a spawned HTTP server is ours only if its own process tree holds
// the socket that answered (another process may bind the port between our pick and the server's bind).
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { descendantsOf, listProcesses } from './process-table.js'

/**
 * Local addresses (as /proc/net/tcp{,6} writes them) of listening sockets that accept connections
 * to 127.0.0.1: 127.0.0.1 itself, 0.0.0.0, and IPv6's `::` (dual-stack) and `::ffff:127.0.0.1`.
 */
const SERVES_LOOPBACK_V4 = new Set(['0100007F', '00000000'])
const SERVES_LOOPBACK_V6 = new Set(['00000000000000000000000000000000', '0000000000000000FFFF00000100007F'])
/** `st` of a socket in the LISTEN state. */
const LISTEN = '0A'

/** Inodes of the sockets listening on `port` that a connection to 127.0.0.1:`port` may reach. */
function loopbackListeners(port: number): Set<string> {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0')
  const inodes = new Set<string>()
  for (const [file, addresses] of [
    ['/proc/net/tcp', SERVES_LOOPBACK_V4],
    ['/proc/net/tcp6', SERVES_LOOPBACK_V6],
  ] as const) {
    let table: string
    try {
      table = readFileSync(file, 'latin1')
    } catch {
      continue // no IPv6 on this kernel
    }
    // `sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...`
    for (const line of table.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/)
      const [address, localPort] = (fields[1] ?? '').split(':')
      if (fields[3] !== LISTEN || localPort !== hexPort || !addresses.has(address ?? '')) continue
      if (fields[9]) inodes.add(fields[9])
    }
  }
  return inodes
}

/** Inodes of the sockets `pid` has open (empty once it is gone, or if its fds are not ours to read). */
function socketsOf(pid: number): Set<string> {
  const inodes = new Set<string>()
  let fds: string[]
  try {
    fds = readdirSync(`/proc/${pid}/fd`)
  } catch {
    return inodes
  }
  for (const fd of fds) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`)
      if (target.startsWith('socket:[')) inodes.add(target.slice(8, -1))
    } catch {
      // closed between the listing and the read
    }
  }
  return inodes
}

export type PortHolding =
  /** Every listener reachable at 127.0.0.1:port belongs to `pid` or its descendants. */
  | { readonly holds: true }
  /** Something listens there that is not of `pid`'s tree (or nothing does any more). */
  | { readonly holds: false; readonly why: string }
  /** This platform does not tell (no /proc): only whether `pid` still runs was checked. */
  | { readonly holds: undefined }

/**
 * Whether the server that answers at 127.0.0.1:`port` is process `pid` (or one of its descendants,
 * as behind a wrapper like `npx`). Linux reads /proc; elsewhere the answer is `undefined`.
 */
export function portHolding(pid: number, port: number): PortHolding {
  if (process.platform !== 'linux') return { holds: undefined }
  const listeners = loopbackListeners(port)
  if (listeners.size === 0) return { holds: false, why: `nothing listens on 127.0.0.1:${port} any more` }
  const ours = new Set<string>()
  const holdsAll = (member: number) => {
    for (const inode of socketsOf(member)) if (listeners.has(inode)) ours.add(inode)
    return ours.size === listeners.size
  }
  // Usually the server itself holds its socket: the process table is read only when it does not.
  if (holdsAll(pid)) return { holds: true }
  for (const member of descendantsOf(pid, listProcesses({ commands: false }))) {
    if (holdsAll(member.pid)) return { holds: true }
  }
  return {
    holds: false,
    why:
      ours.size === 0
        ? `another process listens on 127.0.0.1:${port}, not the one started (pid ${pid}) nor its descendants`
        : `another process listens on 127.0.0.1:${port} beside the one started (pid ${pid})`,
  }
}
