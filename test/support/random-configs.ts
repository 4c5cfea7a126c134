// Seeded random host configs for fuzzing HostManager.start: mostly invalid in one field, some that
// spawn cheap commands which fail (or a real server), memory factories that misbehave, odd names.
import { createWeatherServer } from '../../example-servers/weather/service.js'
import { weatherServer } from '../../src/servers/index.js'

/** mulberry32: a small, fast PRNG; the same seed gives the same sequence everywhere. */
export class Random {
  #state: number
  constructor(seed: number) {
    this.#state = seed >>> 0
  }
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0
    let t = this.#state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  chance(p: number): boolean {
    return this.next() < p
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T
  }
}

/** Case `i` of a run draws from its own stream: one case can be replayed alone. */
export function caseSeed(seed: number, i: number): number {
  return (seed ^ Math.imul(i + 1, 0x9e3779b9)) >>> 0
}

/** Paths the generator needs: a directory and a regular file inside it (a file as cwd: ENOTDIR). */
export interface Paths {
  dir: string
  file: string
}

const BIG = 'x'.repeat(200_000) // one argument over Linux's 128 KiB: E2BIG
const hang = () => new Promise<never>(() => {})

const NAMES = ['a', 'b', 'weather', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '', ' ']
const ODD_NAMES = ['ünïcødé', '名前', 'a.b', '0', 'x'.repeat(300), 'line\nbreak', 'nul\0name']
const TIMEOUTS = [
  1,
  5,
  50,
  3000,
  2 ** 31 - 1,
  0,
  -1,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  2 ** 31,
  1e20,
  '100',
  null,
]
// A server that may never answer gets only a small timeout, or one validation rejects.
const SMALL_TIMEOUTS = [1, 10, 30, 0, -1, 2 ** 31, '30']

const programs = (paths: Paths): Array<Record<string, unknown>> => [
  { command: 'true' },
  { command: 'false' },
  { command: process.execPath, args: ['-e', ''] },
  { command: process.execPath, args: ['-e', 'process.exit(3)'] },
  { command: '/nonexistent/bin/server' },
  { command: paths.dir }, // EACCES
  { command: 'true', cwd: paths.file }, // ENOTDIR
  { command: 'true', cwd: '/nonexistent/dir' },
  { command: 'true', args: [BIG] }, // E2BIG
  { command: 'true', env: { BIG } }, // E2BIG
  { command: `/tmp/${'x'.repeat(5000)}` }, // ENAMETOOLONG
]

// Each makes the field invalid (never valid and long-running: every spawned program exits by itself).
const corruptions: Array<[field: string, value: unknown]> = [
  ['command', 'no\0de'],
  ['command', ''],
  ['command', 5],
  ['args', ['-e', 'a\0b']],
  ['args', [1]],
  ['args', '-e'],
  ['env', { A: 'a\0' }],
  ['env', { 'A=B': 'c' }],
  ['env', { '': 'c' }],
  ['env', { 'A\0': 'c' }],
  ['env', { A: 5 }],
  ['env', JSON.parse('{ "__proto__": 5 }')],
  ['env', ['A=B']],
  ['cwd', 'a\0b'],
  ['cwd', ''],
  ['cwd', 5],
]

const factories: Array<[hangs: boolean, factory: unknown]> = [
  [false, () => createWeatherServer()],
  [false, async () => createWeatherServer()],
  [false, () => 42],
  [false, () => null],
  [false, () => undefined],
  [false, () => ({ connect: 1 })],
  [false, () => 'server'],
  [
    false,
    () => {
      throw new Error('factory failed')
    },
  ],
  [
    false,
    () => {
      throw 'a string'
    },
  ],
  [false, () => Promise.reject(new Error('rejected'))],
  [false, 'not a function'],
  [false, undefined],
  [true, hang],
  [true, () => ({ connect: hang, close: async () => {} })],
]

/** `target[key] = value` as an own, enumerable key, whatever the name (`__proto__` too). */
function define(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}

/** Replaces `key` with a getter: `value` on the first read, `later` (or a throw) after, or always a throw. */
function getterFor(r: Random, target: Record<string, unknown>, key: string): void {
  const value = target[key]
  const throws = r.chance(0.3)
  let reads = 0
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get: () => {
      reads++
      if (throws) throw new Error(`getter of ${key}`)
      return reads === 1 ? value : 'no\0pe'
    },
  })
}

function commonOptions(r: Random, server: Record<string, unknown>, hangs: boolean): void {
  if (hangs || r.chance(0.2)) define(server, 'startupTimeout', r.pick(hangs ? SMALL_TIMEOUTS : TIMEOUTS))
  if (r.chance(0.15)) define(server, 'requestTimeout', r.pick(TIMEOUTS))
  if (r.chance(0.1)) define(server, 'exclude', r.pick([[], ['x'], [''], 'x', [5]]))
  if (r.chance(0.1)) {
    define(
      server,
      'shutdown',
      r.pick([{}, { graceMs: 0 }, { graceMs: -1 }, { termMs: 2 ** 31 }, { bogus: 1 }, 5]),
    )
  }
}

function stdioServer(r: Random, paths: Paths): Record<string, unknown> {
  const server: Record<string, unknown> = { transport: 'stdio' }
  for (const [key, value] of Object.entries(r.pick(programs(paths)))) define(server, key, value)
  if (r.chance(0.3)) define(server, 'env', r.pick([{}, { A: 'b' }, JSON.parse('{ "__proto__": "x" }')]))
  if (r.chance(0.1)) define(server, 'cwd', paths.dir)
  if (r.chance(0.35)) {
    const [field, value] = r.pick(corruptions)
    define(server, field, value)
  }
  commonOptions(r, server, false)
  return server
}

function memoryServer(r: Random): Record<string, unknown> {
  const [hangs, factory] = r.pick(factories)
  const server: Record<string, unknown> = { transport: 'memory' }
  define(server, 'server', factory)
  commonOptions(r, server, hangs)
  return server
}

/** In a URL or header of some configs: no message may print it. */
export const FUZZ_SECRET = 'sk-fuzz-secret-4242'

function anyServer(r: Random, paths: Paths): unknown {
  const kind = r.next()
  let server: Record<string, unknown>
  if (kind < 0.03) {
    // The one stdio server that starts for real (and so is the slowest case): kept rare.
    server = { ...weatherServer({ startupTimeout: r.pick([1, 5000]) }) }
  } else if (kind < 0.45) server = stdioServer(r, paths)
  else if (kind < 0.83) server = memoryServer(r)
  else if (kind < 0.92) {
    // http by URL is valid: nothing listens on port 1, so it fails (ServerStartError) within 50 ms.
    // A secret in its query must never be printed; credentials and a header beyond Latin-1 are ConfigErrors.
    server = {
      transport: r.pick(['http', 'worker', 'ftp', '', 5, undefined]),
      url: r.pick([
        'http://127.0.0.1:1',
        `http://127.0.0.1:1/mcp?api_key=${FUZZ_SECRET}`,
        `http://user:${FUZZ_SECRET}@127.0.0.1:1/mcp`,
      ]),
      startupTimeout: 50,
    }
    if (r.chance(0.3)) server.headers = { 'X-Key': r.pick(['plain', 'Zoë', 'Zoë ✓', `${FUZZ_SECRET} 🙂`]) }
  } else {
    return r.pick([
      null,
      5,
      'stdio',
      [],
      () => {},
      new Map(),
      Object.create({ transport: 'stdio', command: 'true' }),
    ])
  }
  if (r.chance(0.05)) define(server, r.pick(['bogus', 'url', 'module', '__proto__']), { command: '' })
  if (r.chance(0.06)) getterFor(r, server, r.pick(Object.keys(server)))
  return server
}

/** One random argument for `HostManager.start`. */
export function randomConfig(r: Random, paths: Paths): unknown {
  if (r.chance(0.03)) return r.pick([null, undefined, 5, 'config', [], () => {}, new Map(), true])
  const config: Record<string, unknown> = {}
  if (r.chance(0.04)) define(config, 'servers', r.pick([undefined, null, [], 'x', 5, new Map()]))
  else {
    const servers: Record<string, unknown> = {}
    const count = r.pick([0, 1, 1, 1, 2, 2, 3])
    for (let i = 0; i < count; i++) {
      define(servers, r.pick(r.chance(0.2) ? ODD_NAMES : NAMES), anyServer(r, paths))
    }
    define(config, 'servers', servers)
  }
  if (r.chance(0.3)) define(config, 'requestTimeout', r.pick(TIMEOUTS))
  // The host-level timeout is the fallback of servers without their own: never one that hangs.
  if (r.chance(0.3)) define(config, 'startupTimeout', r.pick(TIMEOUTS))
  if (r.chance(0.03)) define(config, 'timeout', 5000)
  if (r.chance(0.03)) getterFor(r, config, 'servers')
  if (r.chance(0.02)) {
    return new Proxy(config, {
      ownKeys: () => {
        throw new Error('no keys')
      },
    })
  }
  return config
}
