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
  /**
   * When it started: clock ticks since boot on Linux (field 22 of /proc/<pid>/stat), seconds since
   * the epoch from `ps` elsewhere. With the pid, it names one process for good: a pid is reused, a
   * pid and a start time are not. Compare it only with another from the same source.
   */
  readonly startTime?: number
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

/**
 * Every process visible to us. Linux reads /proc; other POSIX systems ask `ps`; Windows: none.
 * `commands: false` (Linux) leaves each command as the kernel's short name, for about half the
 * reads: for scans that need the full command line of the few processes they find only
 * (`withCommandLine`).
 */
export function listProcesses(options: { commands?: boolean } = {}): ProcessInfo[] {
  if (process.platform === 'linux') return fromProc(options.commands ?? true)
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

function fromProc(commands: boolean): ProcessInfo[] {
  const result: ProcessInfo[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    const info = fromProcEntry(Number(name), commands)
    if (info) result.push(info)
  }
  return result
}

/**
 * One process from /proc, or undefined once it is gone (it may exit between any two reads) or when
 * `pid` names a thread: /proc/<tid>/stat answers for a thread too, though no listing shows it.
 */
export function fromProcEntry(pid: number, commands = true): ProcessInfo | undefined {
  let stat: string
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return undefined
  }
  // The command name in parentheses may itself contain spaces and parentheses.
  const close = stat.lastIndexOf(')')
  const comm = stat.slice(stat.indexOf('(') + 1, close)
  // Fields from the 3rd on: state, ppid, pgrp, ..., starttime (the 22nd field, index 19 here).
  const fields = stat.slice(close + 2).split(' ')
  const [state = '?', ppid = '0', pgid = '0'] = fields
  // exit_signal (the 38th field): -1 for a thread (CLONE_THREAD), the parent's signal for a process.
  if (fields[35] === '-1') return undefined
  const command = (commands && commandLineOf(pid)) || comm
  return { pid, ppid: Number(ppid), pgid: Number(pgid), state, command, startTime: Number(fields[19]) }
}

/** The full command line from /proc; '' if the process has none (a kernel thread) or is gone. */
function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ')
  } catch {
    return '' // exited meanwhile: its stat line is enough
  }
}

/** `p` with its full command line, for an entry of `listProcesses({ commands: false })`. */
export function withCommandLine(p: ProcessInfo): ProcessInfo {
  if (process.platform !== 'linux') return p
  return { ...p, command: commandLineOf(p.pid) || p.command }
}

/** `pid` as the table shows it now, or undefined if no such process exists. */
export function processInfo(pid: number): ProcessInfo | undefined {
  if (process.platform === 'linux') return fromProcEntry(pid)
  if (process.platform === 'win32') return undefined
  return fromPs([pid]).find((p) => p.pid === pid)
}

/** `pid` as `ps` shows it: what `processInfo` does off Linux (exported so that Linux CI checks it). */
export function processInfoWithPs(pid: number): ProcessInfo | undefined {
  return fromPs([pid]).find((p) => p.pid === pid)
}

/**
 * True while `seen` still runs: its pid exists, is no zombie, and is the same process (same start
 * time where the OS tells it, else the same command line), not a later one that reused the pid.
 */
export function stillRunning(seen: ProcessInfo): boolean {
  const now = processInfo(seen.pid)
  if (!now || now.state === 'Z') return false
  if (seen.startTime !== undefined && now.startTime !== undefined) return now.startTime === seen.startTime
  return now.command === seen.command
}

/**
 * Sends `signal` to `seen` if it still runs (`stillRunning`: a pid that now names another process
 * is left alone); to its whole group if it leads one (a new session's first process).
 */
export function signalSeen(seen: ProcessInfo, signal: NodeJS.Signals): void {
  if (!stillRunning(seen)) return
  try {
    process.kill(seen.pgid === seen.pid ? -seen.pid : seen.pid, signal)
  } catch {
    // ESRCH: gone between the check and the signal.
  }
}

/**
 * Whether `pid`'s environment (as it was when it started) holds `name=value`. Linux only: other
 * systems do not show another process's environment; there it is always false.
 */
export function carriesVariable(pid: number, name: string, value: string): boolean {
  if (process.platform !== 'linux') return false
  try {
    // Entries end in NUL; a NUL added on each side makes every entry, first and last too, one match.
    return `\0${readFileSync(`/proc/${pid}/environ`, 'latin1')}\0`.includes(`\0${name}=${value}\0`)
  } catch {
    return false // gone, or not ours to read
  }
}

/**
 * The value of `name` in `pid`'s environment (as it was when it started), or undefined: not set,
 * gone, not ours to read, or not Linux (other systems do not show another process's environment).
 */
export function variableOf(pid: number, name: string): string | undefined {
  if (process.platform !== 'linux') return undefined
  let environ: string
  try {
    environ = `\0${readFileSync(`/proc/${pid}/environ`, 'latin1')}`
  } catch {
    return undefined
  }
  const start = environ.indexOf(`\0${name}=`)
  if (start < 0) return undefined
  const from = start + name.length + 2
  const end = environ.indexOf('\0', from)
  return environ.slice(from, end < 0 ? undefined : end)
}

/**
 * The table (or, with `pids`, those processes) as POSIX `ps` reports it. `lstart` gives each start
 * time (to the second, as seconds since the epoch): with the pid, enough to tell a reused pid.
 */
function fromPs(pids?: readonly number[]): ProcessInfo[] {
  let out: string
  try {
    // A busy machine's table with long command lines can outgrow the default 1 MB buffer.
    out = execFileSync(
      'ps',
      [...(pids ? ['-p', pids.join(',')] : ['-A']), '-o', 'pid=,ppid=,pgid=,stat=,lstart=,args='],
      {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        // `lstart` in the C locale's words, whatever the user's locale is.
        env: { ...process.env, LC_ALL: 'C' },
      },
    )
  } catch {
    return [] // `ps -p` exits 1 when none of them exists
  }
  const line = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\w{3}\s+\w{3}\s+\d+\s+[\d:]+\s+\d{4})\s+(.*)$/
  return out
    .split('\n')
    .map((text) => line.exec(text))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({
      pid: Number(m[1]),
      ppid: Number(m[2]),
      pgid: Number(m[3]),
      state: (m[4] ?? '?').charAt(0),
      command: m[6] ?? '',
      startTime: Date.parse(m[5] ?? '') / 1000,
    }))
}
