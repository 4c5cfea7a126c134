/**
 * Tool results against the tools' declared `outputSchema`s (from the tools/list results this
 * checker saw, or the caller's lookup). Validators are compiled once per schema object, lazily:
 * a connection that never calls a tool with an output schema never loads a JSON Schema engine.
 * A result with `structuredContent` before any listing is checked once the tools are listed (the
 * caller's `unlisted` hook lists them): nothing is listed ahead of a call just for this check.
 */
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/client/validators/ajv'
import { type CheckContext, isObject, type Message } from './context.js'

type Validate = (input: unknown) => { valid: boolean; errorMessage?: string | undefined }
/** A schema that does not compile (a server's bug in tools/list, or a dialect Ajv lacks) checks nothing. */
const UNCHECKABLE: Validate = () => ({ valid: true })

let engine: AjvJsonSchemaValidator | undefined
/** By schema object (the tools/list result's), for the lookup per call. */
const byObject = new WeakMap<object, Validate>()
/**
 * By schema text: every connection lists its tools anew (new objects), and compiling costs ~1 ms a
 * schema while a call's check costs microseconds. Bounded: a server inventing schemas forever
 * recompiles instead of growing this.
 */
const byText = new Map<string, Validate>()
const MAX_COMPILED = 500

function validatorOf(schema: object): Validate {
  let validate = byObject.get(schema)
  if (validate) return validate
  const text = JSON.stringify(schema)
  validate = byText.get(text)
  if (!validate) {
    try {
      engine ??= new AjvJsonSchemaValidator()
      validate = engine.getValidator(schema as never) as Validate
    } catch {
      validate = UNCHECKABLE
    }
    if (byText.size >= MAX_COMPILED) byText.clear()
    byText.set(text, validate)
  }
  byObject.set(schema, validate)
  return validate
}

/** Ajv's `data/temperature must be number` → the path under structuredContent and the message. */
function splitAjv(text: string): { path: string; message: string } {
  const match = /^data((?:\/[^ ,]*)?) (.*?)(?:, data.*)?$/.exec(text)
  if (!match) return { path: 'result.structuredContent', message: text }
  const segments = (match[1] ?? '').split('/').filter(Boolean)
  const path = segments.reduce(
    (acc, s) =>
      /^\d+$/.test(s)
        ? `${acc}[${s}]`
        : /^[A-Za-z_$][\w$]*$/.test(s)
          ? `${acc}.${s}`
          : `${acc}[${JSON.stringify(s)}]`,
    'result.structuredContent',
  )
  return { path, message: match[2] ?? text }
}

/** Checks `structuredContent` once the tools are listed; the caller lists them (see WireCheckerOptions). */
export type UnlistedOutput = (check: () => void) => void

export class ToolOutput {
  private readonly schemas = new Map<string, object>()
  private everListed = false

  constructor(
    private readonly ctx: CheckContext,
    private readonly lookup: ((tool: string) => object | undefined) | undefined,
    private readonly unlisted: UnlistedOutput | undefined,
  ) {}

  /** A tools/list result: remember each tool's outputSchema (later pages add to earlier ones). */
  listed(result: Message): void {
    const tools = result.tools
    if (!Array.isArray(tools)) return
    this.everListed = true
    for (const tool of tools) {
      if (!isObject(tool) || typeof tool.name !== 'string') continue
      if (isObject(tool.outputSchema)) this.schemas.set(tool.name, tool.outputSchema)
      else this.schemas.delete(tool.name)
    }
  }

  /** A complete tools/call result for the request's params. */
  called(params: unknown, result: Message): void {
    const name = isObject(params) && typeof params.name === 'string' ? params.name : undefined
    const method = name === undefined ? 'tools/call' : `tools/call ${name}`
    const structured = result.structuredContent
    if (structured !== undefined && this.ctx.revision !== '2026-07-28' && !isObject(structured))
      this.ctx.flag('tool.structured-content-type', 'server', {
        method,
        path: 'result.structuredContent',
        message: 'structuredContent must be a JSON object on 2025-11-25',
        value: structured,
      })
    // A tool error carries no structured result: the output schema is not its contract.
    if (result.isError === true) return
    if (name !== undefined) {
      const known = this.lookup?.(name)
      // Unknown for want of a listing (not because the tool declares none): checked once listed.
      if (!known && !this.everListed && structured !== undefined && this.unlisted)
        this.unlisted(() => this.againstSchema(name, this.schemas.get(name), structured))
      else this.againstSchema(name, known ?? this.schemas.get(name), structured)
    }
    if (structured !== undefined && !hasSerializedCopy(result.content, structured))
      this.ctx.flag('tool.structured-content-text', 'server', {
        method,
        path: 'result.content',
        message: 'structuredContent should also be returned serialized as JSON in a text content block',
      })
  }

  private againstSchema(name: string, schema: object | undefined, structured: unknown): void {
    if (!schema) return
    const method = `tools/call ${name}`
    if (structured === undefined) {
      this.ctx.flag('tool.output-schema', 'server', {
        method,
        path: 'result.structuredContent',
        message: 'the tool declares an outputSchema but returned no structuredContent',
      })
      return
    }
    const outcome = validatorOf(schema)(structured)
    if (outcome.valid) return
    const { path, message } = splitAjv(outcome.errorMessage ?? 'does not match the outputSchema')
    this.ctx.flag('tool.output-schema', 'server', {
      method,
      path,
      message: `structuredContent does not match the tool's outputSchema: ${message}`,
      value: structured,
    })
  }
}

/**
 * A text block whose JSON is `structured`: the compact serialization compared as text first (what
 * SDK servers write), then any JSON text block parsed and compared in canonical form.
 */
function hasSerializedCopy(content: unknown, structured: unknown): boolean {
  if (!Array.isArray(content)) return false
  let expected: string | undefined
  try {
    expected = JSON.stringify(structured)
  } catch {
    return true // not JSON itself: the schema rules say so, not this one
  }
  for (const block of content)
    if (isObject(block) && block.type === 'text' && block.text === expected) return true
  for (const block of content) {
    if (!isObject(block) || block.type !== 'text' || typeof block.text !== 'string') continue
    try {
      if (JSON.stringify(JSON.parse(block.text)) === expected) return true
    } catch {
      // not JSON: another block may be
    }
  }
  return false
}
