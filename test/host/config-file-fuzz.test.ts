// Seeded fuzzing of loadHostConfig on memfs volumes: random files (both shapes, random entries, then
// comments, trailing commas, cut or mangled text). Whatever the file, it resolves with a validated
// config or rejects with a ConfigError whose `file` is the path given and whose message starts with
// it; never anything else. Replay a failure with what it prints:
//   FUZZ_SEED=<seed> FUZZ_CASE=<i> npx vitest run test/host/config-file-fuzz.test.ts
// More cases: FUZZ_CASES=20000 (default 1500, about a second: nothing is started).
import { inspect } from 'node:util'
import { memfs } from 'memfs'
import { expect, test } from 'vitest'
import { loadHostConfig } from '../../src/host/config/config-file.js'
import { ConfigError, LISTED_ISSUES } from '../../src/host/errors.js'
import { numberFromEnv } from '../support/assertions.js'
import { caseSeed, Random } from '../support/random-configs.js'

const SEED = numberFromEnv('FUZZ_SEED') ?? 20_251_011
const ONLY = numberFromEnv('FUZZ_CASE')
const CASES = numberFromEnv('FUZZ_CASES') ?? 1500
const MAX_REPORTED = 5
const SECRET = 'sk-fuzz-secret-4242'

const STRINGS = [
  'node',
  '',
  './server.js',
  '${env:TOKEN}',
  '${TOKEN}',
  '${UNSET}',
  '${UNSET:-fallback}',
  '${input:key}',
  '${workspaceFolder}',
  '${}',
  '${env:}',
  'https://example.com/mcp',
  'http://127.0.0.1:1/mcp',
  'ftp://x',
  'not a url',
  'a\u0000b',
  'line\nbreak',
  'é ✓ 𝄞',
  '__proto__',
  // Names every object inherits: never a value.
  '${env:__proto__}',
  '${toString}',
  '${constructor:-x}',
]
/** Values only (a key is the user's name for something, and printed): never printed. */
const SECRET_URLS = [`https://user:${SECRET}@example.com/mcp`, `https://example.com/mcp?api_key=${SECRET}`]
const ENTRY_KEYS = [
  'type',
  'command',
  'args',
  'env',
  'cwd',
  'url',
  'headers',
  'disabled',
  'description',
  'autoApprove',
  'envFile',
  'timeout',
  '__proto__',
  'constructor',
  '',
]
const TYPES = ['stdio', 'http', 'streamable-http', 'sse', 'ws', 'STDIO']

function randomValue(r: Random, depth: number): unknown {
  const kind = r.pick(['string', 'string', 'number', 'boolean', 'null', 'array', 'object'])
  if (kind === 'string') return r.chance(0.1) ? r.pick(SECRET_URLS) : r.pick(STRINGS)
  if (kind === 'number') return r.pick([0, -1, 1.5, 1e308, 42])
  if (kind === 'boolean') return r.chance(0.5)
  if (kind === 'null' || depth > 2) return null
  const size = Math.floor(r.next() * 4)
  if (kind === 'array') return Array.from({ length: size }, () => randomValue(r, depth + 1))
  return Object.fromEntries(Array.from({ length: size }, () => [r.pick(STRINGS), randomValue(r, depth + 1)]))
}

/** A server entry: mostly plausible, with a random key or value now and then. */
function randomEntry(r: Random): unknown {
  if (r.chance(0.05)) return randomValue(r, 0)
  const entry: Record<string, unknown> = {}
  if (r.chance(0.3)) entry.type = r.pick(TYPES)
  if (r.chance(0.6))
    entry.command = r.chance(0.8) ? r.pick(['node', '${TOKEN}', 'python']) : randomValue(r, 1)
  else if (r.chance(0.7))
    entry.url = r.chance(0.8) ? r.pick([...STRINGS.slice(11, 15), ...SECRET_URLS]) : randomValue(r, 1)
  if (r.chance(0.4)) entry.args = r.chance(0.8) ? [r.pick(STRINGS), r.pick(STRINGS)] : randomValue(r, 1)
  if (r.chance(0.3)) entry.env = r.chance(0.8) ? { KEY: r.pick(STRINGS) } : randomValue(r, 1)
  if (r.chance(0.2))
    entry.headers = r.chance(0.8)
      ? { [r.pick(['Authorization', 'Bad Name'])]: r.pick(STRINGS) }
      : randomValue(r, 1)
  if (r.chance(0.2)) entry.cwd = r.pick(STRINGS)
  if (r.chance(0.1)) entry.disabled = r.chance(0.5) ? r.chance(0.5) : 'yes'
  if (r.chance(0.1)) entry[r.pick(ENTRY_KEYS)] = randomValue(r, 1)
  return entry
}

function randomDocument(r: Random): unknown {
  if (r.chance(0.05)) return randomValue(r, 0)
  const servers = Object.fromEntries(
    // Now and then more problems than a message lists.
    Array.from({ length: r.chance(0.03) ? 30 : Math.floor(r.next() * 4) }, (_, i) => [
      r.chance(0.9) ? `s${i}` : r.pick(STRINGS),
      randomEntry(r),
    ]),
  )
  const doc: Record<string, unknown> = {}
  const key = r.pick(['mcpServers', 'servers', 'both', 'neither'])
  if (key === 'mcpServers' || key === 'both') doc.mcpServers = servers
  if (key === 'servers' || key === 'both') doc.servers = r.chance(0.9) ? servers : randomValue(r, 0)
  if (r.chance(0.2)) doc.inputs = [{ id: 'key', type: 'promptString' }]
  return doc
}

/** The document as text, then made JSONC or broken: comments, trailing commas, cuts, stray characters. */
function randomText(r: Random): string {
  let text = JSON.stringify(randomDocument(r), null, r.chance(0.5) ? 2 : undefined) ?? ''
  const mutations = Math.floor(r.next() * 4)
  for (let m = 0; m < mutations; m++) {
    const at = Math.floor(r.next() * (text.length + 1))
    const edit = r.pick([
      'comment',
      'block',
      'comma',
      'cut',
      'insert',
      'delete',
      'crlf',
      'bom',
      'duplicate',
      'deep',
    ])
    if (edit === 'comment') text = `${text.slice(0, at)}\n// note ${at}\n${text.slice(at)}`
    else if (edit === 'block') text = `${text.slice(0, at)}/* ${r.chance(0.2) ? '' : '*/'}${text.slice(at)}`
    else if (edit === 'comma') text = text.replace(/([}\]"0-9el])(\s*[}\]])/, '$1,$2')
    else if (edit === 'cut') text = text.slice(0, at)
    else if (edit === 'insert')
      text = `${text.slice(0, at)}${r.pick(['{', '}', '"', ',', ':', '\\', '\u0001', "'", 'x'])}${text.slice(at)}`
    else if (edit === 'delete') text = text.slice(0, at) + text.slice(at + 1)
    else if (edit === 'crlf') text = text.replaceAll('\n', '\r\n')
    else if (edit === 'bom') text = `\uFEFF${text}`
    else if (edit === 'deep')
      text = `${text.slice(0, at)}${'['.repeat(r.pick([600, 10_000]))}${text.slice(at)}`
    else text = text.replace(/"(command|url)": ("[^"]*")/, '"$1": $2, "$1": $2')
  }
  return text
}

type Outcome = 'resolved' | 'ConfigError'

/** Why the outcome of loading breaks the contract, or undefined if it keeps it. */
function problemOf(
  file: string,
  outcome: { config?: unknown; error?: unknown },
  read: boolean,
): string | undefined {
  if (!('error' in outcome)) {
    const { config } = outcome as { config: { servers?: unknown } }
    if (typeof config.servers !== 'object' || !Object.isFrozen(config))
      return 'resolved with no frozen config'
    // Only the env's own variables are substituted, and what could not be sent is refused.
    const text = JSON.stringify(config)
    if (/\[object Object\]|\[native code\]/.test(text)) return `an inherited value substituted: ${text}`
    if (text.includes(`user:${SECRET}@`)) return 'a URL with credentials passed'
    return undefined
  }
  const { error } = outcome
  if (inspect(error, { depth: 10 }).includes(SECRET)) return `a secret printed: ${inspect(error)}`
  if (!(error instanceof ConfigError)) {
    return `not a ConfigError: ${error instanceof Error ? `${error.name}: ${error.message}` : inspect(error)}`
  }
  if (error.file !== file) return `file is ${inspect(error.file)}, not ${inspect(file)}`
  if (!error.message.startsWith(file)) return `the message does not start with the file: ${error.message}`
  // The first 20 problems, then how many more.
  const listed = error.message.split(`\n  ${file}`).length - 1
  if (listed > LISTED_ISSUES) return `a message listing ${listed} problems`
  const more = `and ${error.issues.length - LISTED_ISSUES} more (all ${error.issues.length} are in the error's issues)`
  if (error.issues.length > LISTED_ISSUES && !error.message.endsWith(more))
    return `no "${more}": ${error.message}`
  // A file that was read: every problem has its place in it (too deep a nesting too).
  const unplaced = read && error.issues.find((i) => i.line === undefined || i.column === undefined)
  if (unplaced) return `an issue with no position: ${inspect(unplaced)}`
  const badPosition = error.issues.find(
    (i) => (i.line !== undefined && !(i.line >= 1)) || (i.column !== undefined && !(i.column >= 1)),
  )
  return badPosition ? `an issue at an impossible position: ${inspect(badPosition)}` : undefined
}

test(`loadHostConfig keeps its error contract for ${ONLY === undefined ? CASES : 1} random files (seed ${SEED})`, {
  timeout: 30_000 + CASES * 2,
}, async () => {
  const counts: Record<Outcome, number> = { resolved: 0, ConfigError: 0 }
  const violations: string[] = []
  const indices = ONLY === undefined ? [...Array(CASES).keys()] : [ONLY]
  for (const i of indices) {
    const r = new Random(caseSeed(SEED, i))
    const file = `/project/${r.pick(['.mcp.json', 'mcp.json', 'claude desktop.json', 'é.json'])}`
    const text = randomText(r)
    // Now and then nothing to read, or a folder where the file should be.
    const where = r.pick(['file', 'file', 'file', 'file', 'missing', 'folder'])
    const files =
      where === 'file' ? { [file]: text } : where === 'folder' ? { [`${file}/x`]: '' } : { '/other': '' }
    const env = r.chance(0.7) ? { TOKEN: 'secret' } : {}
    const outcome = await loadHostConfig(file, { fs: memfs(files).fs, env }).then(
      (config) => ({ config }),
      (error: unknown) => ({ error }),
    )
    counts['error' in outcome ? 'ConfigError' : 'resolved']++
    const problem = problemOf(file, outcome, where === 'file')
    if (problem) {
      violations.push(
        `case ${i} (FUZZ_SEED=${SEED} FUZZ_CASE=${i}): ${problem}\n    file: ${JSON.stringify(text).slice(0, 300)}`,
      )
    }
    if (violations.length >= MAX_REPORTED) break
  }
  expect(violations, `seed ${SEED}: ${violations.join('\n')}`).toEqual([])
  if (indices.length >= 500) {
    // The generator reaches both outcomes, or the fuzzing proves less than it claims.
    for (const [outcome, count] of Object.entries(counts)) {
      expect(count, `seed ${SEED}: no case ended ${outcome} (${inspect(counts)})`).toBeGreaterThan(0)
    }
  }
})
