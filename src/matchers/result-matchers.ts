// Matchers on one tool result: its response as a subset, its size, a predicate, its output schema.
import { createRequire } from 'node:module'
import type { CallToolResult, Tool } from '@modelcontextprotocol/client'
import type { AjvJsonSchemaValidator } from '@modelcontextprotocol/client/validators/ajv'
import type { MatcherState } from 'vitest'
import type { MatcherResult } from './matcher-result.js'
import { requireResult } from './tool-result.js'

/** What `toMatchToolResponse` compares: any part of a result, values may be asymmetric matchers. */
export type ExpectedToolResponse = Partial<Record<keyof CallToolResult, unknown>>

// One validator for the process, compiling and caching per schema. Loaded on first use, and with a
// synchronous require so the matcher stays synchronous: every test file loads the matchers, and the
// SDK's ajv is too heavy to load for the files that never validate (scripts/dependency-cruiser-runtime.cjs).
let validator: AjvJsonSchemaValidator | undefined

function outputValidator(): AjvJsonSchemaValidator {
  if (validator === undefined) {
    const ajv: typeof import('@modelcontextprotocol/client/validators/ajv') = createRequire(import.meta.url)(
      '@modelcontextprotocol/client/validators/ajv',
    )
    validator = new ajv.AjvJsonSchemaValidator()
  }
  return validator
}

export const resultMatchers = {
  toMatchToolResponse(this: MatcherState, received: unknown, expected: ExpectedToolResponse): MatcherResult {
    const result = requireResult(received, 'toMatchToolResponse')
    // The subset rule of toMatchObject: keys absent from `expected` are ignored, arrays match whole.
    const pass = this.equals(result, expected, [
      ...this.customTesters,
      this.utils.iterableEquality,
      this.utils.subsetEquality,
    ])
    const hint = this.utils.matcherHint('toMatchToolResponse', undefined, undefined, { isNot: this.isNot })
    return {
      pass,
      actual: result,
      expected,
      message: () =>
        pass
          ? `${hint}\n\nexpected tool result not to match\n\n${this.utils.stringify(expected)}`
          : `${hint}\n\n${this.utils.printDiffOrStringify(result, expected)}`,
    }
  },

  toHaveToolResponseSize(this: MatcherState, received: unknown, limit: { max: number }): MatcherResult {
    const result = requireResult(received, 'toHaveToolResponseSize')
    if (typeof limit?.max !== 'number' || !(limit.max >= 0)) {
      throw new TypeError('toHaveToolResponseSize() expects { max } in bytes, a number ≥ 0')
    }
    // Bytes of the JSON the server sent: what a model's context window (and the wire) pays for.
    const size = Buffer.byteLength(JSON.stringify(result), 'utf8')
    const pass = size <= limit.max
    return {
      pass,
      actual: size,
      expected: limit.max,
      message: () =>
        `expected tool result (${size} bytes serialized) ${pass ? 'to be over' : 'to be at most'} ${limit.max} bytes`,
    }
  },

  toSatisfyToolResult(
    this: MatcherState,
    received: unknown,
    predicate: (result: CallToolResult) => boolean,
  ): MatcherResult {
    const result = requireResult(received, 'toSatisfyToolResult')
    if (typeof predicate !== 'function') {
      throw new TypeError('toSatisfyToolResult() expects a function (result) => boolean')
    }
    const pass = predicate(result) === true
    const name = predicate.name || 'the predicate'
    return {
      pass,
      message: () =>
        `expected tool result ${pass ? 'not ' : ''}to satisfy ${name}\n\nReceived: ${this.utils.stringify(result)}`,
    }
  },

  toMatchOutputSchema(
    this: MatcherState,
    received: unknown,
    tool: Pick<Tool, 'name' | 'outputSchema'>,
  ): MatcherResult {
    const result = requireResult(received, 'toMatchOutputSchema')
    if (typeof tool !== 'object' || tool === null || typeof tool.outputSchema !== 'object') {
      throw new TypeError(
        `toMatchOutputSchema() expects a Tool with an outputSchema (from listTools()); ${
          typeof tool?.name === 'string'
            ? `"${tool.name}" declares none`
            : `got ${this.utils.stringify(tool)}`
        }`,
      )
    }
    const { structuredContent } = result
    const verdict =
      structuredContent === undefined
        ? { valid: false, errorMessage: 'the result has no structuredContent' }
        : outputValidator().getValidator(tool.outputSchema)(structuredContent)
    const pass = verdict.valid
    return {
      pass,
      message: () =>
        pass
          ? `expected structuredContent ${this.utils.stringify(structuredContent)} not to match the output schema of "${tool.name}"`
          : `expected structuredContent ${this.utils.stringify(structuredContent)} to match the output schema of "${tool.name}": ${verdict.errorMessage}`,
    }
  },
}

/** `R`: what a synchronous matcher returns (`void`). */
export interface ResultMatchers<R = void> {
  /** The result's content / structuredContent / isError match `expected` as a subset (asymmetric matchers allowed). */
  toMatchToolResponse(expected: ExpectedToolResponse): R
  /** The result, serialized as JSON, is at most `max` bytes (UTF-8). */
  toHaveToolResponseSize(limit: { max: number }): R
  /** `predicate(result)` returns `true`. */
  toSatisfyToolResult(predicate: (result: CallToolResult) => boolean): R
  /** The result's structuredContent validates against `tool.outputSchema` (a Tool from `listTools()`). */
  toMatchOutputSchema(tool: Pick<Tool, 'name' | 'outputSchema'>): R
}
