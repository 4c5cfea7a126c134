// Reads the OS process table: which processes exist, their parents, groups and command lines.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'

export interface ProcessInfo {
  readonly pid: number
  readonly ppid: number
  readonly pgid: number
  /** One-letter state (`R`, `S`, `Z` for a zombie, ...). */
  readonly state: string
  readonly command: string
}

/** Longest command line a message shows before shortening it. */
const COMMAND_DISPLAY_MAX = 120

/**
 * A command line as one line of a message: runs of white space (the newlines of a `node -e "…"`
 * script) folded into one space, and a long one shortened with an ellipsis.
 */
export function displayCommand(command: string, max = COMMAND_DISPLAY_MAX): string {
  const line = command.replace(/\s+/g, ' ').trim()
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`
}

/** Every process visible to us. Linux reads /proc; other POSIX systems ask `ps`; Windows: none. */
export function listProcesses(): ProcessInfo[] {
  if (process.platform === 'linux') return fromProc()
  if (process.platform === 'win32') return []
  return fromPs()
}

/**
 * The table as POSIX `ps` reports it: what macOS and the BSDs use. Exported so that Linux CI,
 * where `ps` exists too, checks it against /proc.
 */
export function listProcessesWithPs(): ProcessInfo[] {
  return fromPs()
}

/** Live (non-zombie) processes in process group `pgid`. */
export function groupMembers(pgid: number): ProcessInfo[] {
  if (!groupSignalable(pgid)) return []
  return listProcesses().filter((p) => p.pgid === pgid && p.state !== 'Z')
}

/** True while any process, zombie or not, is in the group: one syscall, no table scan. */
export function groupSignalable(pgid: number): boolean {
  try {
    process.kill(-pgid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Every descendant of `pid` (children, grandchildren, ...), live ones only. */
export function descendantsOf(pid: number, table = listProcesses()): ProcessInfo[] {
  const children = new Map<number, ProcessInfo[]>()
  for (const p of table) {
    const siblings = children.get(p.ppid) ?? []
    siblings.push(p)
    children.set(p.ppid, siblings)
  }
  const found: ProcessInfo[] = []
  const queue = [pid]
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const child of children.get(next) ?? []) {
      if (child.state !== 'Z') found.push(child)
      queue.push(child.pid)
    }
  }
  return found
}

function fromProc(): ProcessInfo[] {
  const result: ProcessInfo[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      // The command name in parentheses may itself contain spaces and parentheses.
      const close = stat.lastIndexOf(')')
      const comm = stat.slice(stat.indexOf('(') + 1, close)
      const [state = '?', ppid = '0', pgid = '0'] = stat.slice(close + 2).split(' ')
      let command = comm
      try {
        const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter(Boolean)
        if (argv.length > 0) command = argv.join(' ')
      } catch {
        // The process exited between the two reads; its stat line is enough.
      }
      result.push({ pid: Number(name), ppid: Number(ppid), pgid: Number(pgid), state, command })
    } catch {
      // Exited while we were reading the table.
    }
  }
  return result
}

function fromPs(): ProcessInfo[] {
  // A busy machine's table with long command lines can outgrow the default 1 MB buffer.
  const out = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,pgid=,stat=,args='], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
  return out
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({
      pid: Number(m[1]),
      ppid: Number(m[2]),
      pgid: Number(m[3]),
      state: (m[4] ?? '?').charAt(0),
      command: m[5] ?? '',
    }))
}
