// `toHaveCalledTool`: which tools a host sent tools/call for (any route, `client()` too), how often,
// with which arguments.
import type { MatcherState } from 'vitest'
import { isHostManager, SENT_TOOL_CALLS } from '../host/brand.js'
import type { MatcherResult } from './matcher-result.js'

export interface CalledToolOptions {
  /** Exactly this many matching calls (default: at least one). */
  times?: number
  /** Only calls whose arguments equal these (asymmetric matchers allowed, e.g. `expect.objectContaining`). */
  args?: Record<string, unknown>
}

function plural(count: number): string {
  return count === 1 ? '1 time' : `${count} times`
}

export const callMatchers = {
  toHaveCalledTool(
    this: MatcherState,
    received: unknown,
    name: string,
    options: CalledToolOptions = {},
  ): MatcherResult {
    if (!isHostManager(received)) throw new TypeError('toHaveCalledTool() expects a HostManager')
    const { times, args } = options
    if (times !== undefined && !(Number.isInteger(times) && times >= 0)) {
      throw new TypeError('toHaveCalledTool() expects { times } to be an integer ≥ 0')
    }
    // `server/name` names one server's tool, a bare name any server's.
    const calls = received[SENT_TOOL_CALLS]().filter(
      (call) => call.name === name || `${call.server}/${call.name}` === name,
    )
    const matching =
      args === undefined
        ? calls
        : calls.filter((call) => this.equals(call.arguments, args, this.customTesters))
    const pass = times === undefined ? matching.length > 0 : matching.length === times
    const wanted = `${args === undefined ? '' : ` with ${this.utils.stringify(args, undefined, { min: true })}`}${
      times === undefined ? '' : ` ${plural(times)}`
    }`
    const sent = calls.map(
      (call) => `  ${call.server}/${call.name} ${JSON.stringify(call.arguments) ?? '(no arguments)'}`,
    )
    return {
      pass,
      actual: matching.length,
      expected: times,
      message: () =>
        `expected the host ${pass ? 'not ' : ''}to have called "${name}"${wanted}; ` +
        `it did ${plural(matching.length)}${args === undefined ? '' : ` with these arguments (${plural(calls.length)} in all)`}` +
        (sent.length > 0 ? `\n\nCalls of "${name}":\n${sent.join('\n')}` : ''),
    }
  },
}

export interface CallMatchers<R = void> {
  /**
   * The host sent tools/call for `name` (or `server/name`), any route: at least once, or exactly
   * `times`; with `args`, only calls whose arguments equal them count.
   */
  toHaveCalledTool(name: string, options?: CalledToolOptions): R
}
