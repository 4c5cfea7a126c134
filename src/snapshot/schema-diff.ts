// Classifies the differences between two JSON Schemas of a tool, by the side of the call they sit on.
//
// Written here, not taken from npm: the maintained JSON Schema diff libraries report set differences
// (values a schema accepts that the other does not), not the reason a reviewer needs, and none knows
// which side of a call a schema is on. A tool's input schema narrowing breaks callers; its output
// schema narrowing does not, while an output field that disappears does. The rules below cover the
// keywords MCP servers use (type, properties, required, enum, items, bounds, pattern, format).

export type ChangeKind = 'breaking' | 'compatible'

/** One difference between two surfaces: where, what, and whether it breaks existing callers. */
export interface SurfaceChange {
  kind: ChangeKind
  /** Where the change is: `tool weather_lookup › input.units`. */
  path: string
  reason: string
}

/** `input`: what callers send (narrowing breaks them). `output`: what callers read (removing breaks them). */
export type SchemaSide = 'input' | 'output'

type Schema = Record<string, unknown>

const BOUNDS_MIN = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties']
const BOUNDS_MAX = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties']
const DESCRIPTIVE = ['description', 'title', 'examples', 'default', '$comment']

function asSchema(value: unknown): Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Schema) : {}
}

function typesOf(schema: Schema): string[] | undefined {
  const type = schema.type
  if (type === undefined) return undefined
  const list = (Array.isArray(type) ? type : [type]).map(String)
  // `integer` is a `number`: a change between them narrows or widens, it does not replace.
  return list.sort()
}

function accepts(types: string[], type: string): boolean {
  return types.includes(type) || (type === 'integer' && types.includes('number'))
}

/** Pushes a change; `narrowed` says whether the set of valid values shrank (breaking for input). */
class Collector {
  readonly changes: SurfaceChange[] = []
  constructor(readonly side: SchemaSide) {}

  add(kind: ChangeKind, path: string, reason: string): void {
    this.changes.push({ kind, path, reason })
  }

  /** A change that shrinks what is valid: breaks callers on input, safe for them on output. */
  narrowed(path: string, reason: string): void {
    this.add(this.side === 'input' ? 'breaking' : 'compatible', path, reason)
  }

  /** A change that grows what is valid: safe for callers on input, new values for them to read on output. */
  widened(path: string, reason: string): void {
    this.add(this.side === 'input' ? 'compatible' : 'breaking', path, reason)
  }
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`
}

function diffTypes(before: Schema, after: Schema, path: string, out: Collector): void {
  const was = typesOf(before)
  const now = typesOf(after)
  if (JSON.stringify(was) === JSON.stringify(now)) return
  const label = (t: string[] | undefined) => (t ? t.join(' | ') : 'any')
  const what = `type ${label(was)} → ${label(now)}`
  if (now === undefined) return out.widened(path, `type widened: ${what}`)
  if (was === undefined) return out.narrowed(path, `type narrowed: ${what}`)
  const lost = was.some((t) => !accepts(now, t))
  const gained = now.some((t) => !accepts(was, t))
  if (lost && gained) out.add('breaking', path, `type changed: ${what}`)
  else if (lost) out.narrowed(path, `type narrowed: ${what}`)
  else out.widened(path, `type widened: ${what}`)
}

function diffEnum(before: Schema, after: Schema, path: string, out: Collector): void {
  const was = Array.isArray(before.enum) ? before.enum.map((v) => JSON.stringify(v)) : undefined
  const now = Array.isArray(after.enum) ? after.enum.map((v) => JSON.stringify(v)) : undefined
  if (was === undefined && now === undefined) return
  if (now === undefined) return out.widened(path, 'enum removed: any value is allowed')
  if (was === undefined) return out.narrowed(path, `enum added: only ${now.join(', ')}`)
  for (const value of was.filter((v) => !now.includes(v))) out.narrowed(path, `enum value ${value} removed`)
  for (const value of now.filter((v) => !was.includes(v))) out.widened(path, `enum value ${value} added`)
}

function diffBounds(before: Schema, after: Schema, path: string, out: Collector): void {
  for (const key of [...BOUNDS_MIN, ...BOUNDS_MAX]) {
    const was = before[key]
    const now = after[key]
    if (was === now) continue
    const isMin = BOUNDS_MIN.includes(key)
    const what = `${key} ${was ?? 'none'} → ${now ?? 'none'}`
    const tighter =
      now !== undefined &&
      (was === undefined || (isMin ? Number(now) > Number(was) : Number(now) < Number(was)))
    if (tighter) out.narrowed(path, `constraint tightened: ${what}`)
    else out.widened(path, `constraint loosened: ${what}`)
  }
  for (const key of ['pattern', 'format', 'const']) {
    if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue
    const what = `${key} ${JSON.stringify(before[key]) ?? 'none'} → ${JSON.stringify(after[key]) ?? 'none'}`
    if (after[key] === undefined) out.widened(path, `constraint removed: ${what}`)
    else out.add('breaking', path, `constraint changed: ${what}`)
  }
}

function requiredOf(schema: Schema): string[] {
  return Array.isArray(schema.required) ? schema.required.map(String) : []
}

function diffProperties(before: Schema, after: Schema, path: string, out: Collector): void {
  const was = asSchema(before.properties)
  const now = asSchema(after.properties)
  const wasRequired = requiredOf(before)
  const nowRequired = requiredOf(after)
  const noun = out.side === 'input' ? 'argument' : 'output field'
  for (const name of Object.keys(was)) {
    const at = join(path, name)
    if (!(name in now)) {
      out.add('breaking', at, `${noun} removed`)
      continue
    }
    const required = [wasRequired.includes(name), nowRequired.includes(name)]
    if (!required[0] && required[1]) out.narrowed(at, `${noun} became required`)
    if (required[0] && !required[1]) out.widened(at, `${noun} became optional`)
    diffSchema(was[name], now[name], at, out)
  }
  for (const name of Object.keys(now)) {
    if (name in was) continue
    const at = join(path, name)
    const required = nowRequired.includes(name)
    if (out.side === 'input') {
      out.add(
        required ? 'breaking' : 'compatible',
        at,
        `${required ? 'required' : 'optional'} argument added`,
      )
    } else out.add('compatible', at, `${required ? '' : 'optional '}output field added`)
  }
  const closed = (s: Schema) => s.additionalProperties === false
  if (!closed(before) && closed(after)) out.narrowed(path, 'additionalProperties: false added')
  if (closed(before) && !closed(after)) out.widened(path, 'additionalProperties: false removed')
}

function diffSchema(beforeValue: unknown, afterValue: unknown, path: string, out: Collector): void {
  const before = asSchema(beforeValue)
  const after = asSchema(afterValue)
  diffTypes(before, after, path, out)
  diffEnum(before, after, path, out)
  diffBounds(before, after, path, out)
  diffProperties(before, after, path, out)
  if (before.items !== undefined || after.items !== undefined) {
    diffSchema(before.items, after.items, join(path, '[]'), out)
  }
  for (const key of DESCRIPTIVE) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      out.add('compatible', path === '' ? '(schema)' : path, `${key} changed`)
    }
  }
}

/** Every difference between two schemas of one side of a tool, each classified with its reason. */
export function diffJsonSchema(before: unknown, after: unknown, side: SchemaSide): SurfaceChange[] {
  const out = new Collector(side)
  diffSchema(before, after, '', out)
  return out.changes
}
