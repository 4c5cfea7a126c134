/**
 * JSON-RPC error objects and their codes: JSON-RPC reserves -32768..-32000 (predefined codes and
 * -32099..-32000 for implementations); 2026-07-28 partitions -32099..-32000 further (basic/index
 * "Error Codes"): -32020..-32099 only as the spec defines them, -32000..-32019 legacy, and
 * -32002/-32042 no longer emitted.
 */
import { type CheckContext, isObject } from './context.js'
import type { Sender } from './methods.js'

const PREDEFINED = new Set([-32700, -32600, -32601, -32602, -32603])
const MODERN_DEFINED = new Set([-32020, -32021, -32022])
const MODERN_RETIRED = new Set([-32002, -32042])

export function checkError(
  ctx: CheckContext,
  sender: Sender,
  method: string | undefined,
  error: unknown,
): void {
  if (!isObject(error) || typeof error.message !== 'string' || !Number.isInteger(error.code)) {
    ctx.flag('jsonrpc.error-object', sender, {
      method,
      path: 'error',
      message: 'an error needs an integer code and a string message',
      value: error,
    })
    return
  }
  const code = error.code as number
  if (code < -32768 || code > -32000 || PREDEFINED.has(code)) return
  const implementationRange = code >= -32099
  if (!implementationRange) {
    ctx.flag('jsonrpc.error-code', sender, {
      method,
      path: 'error.code',
      message: `${code} is in JSON-RPC's reserved range (-32768 to -32000) but is none of its predefined codes`,
      value: code,
    })
    return
  }
  if (ctx.revision !== '2026-07-28') return
  if (MODERN_RETIRED.has(code))
    ctx.flag('jsonrpc.error-code', sender, {
      method,
      path: 'error.code',
      message: `${code} belongs to 2025-11-25 and must not be emitted on 2026-07-28`,
      value: code,
    })
  else if (code >= -32019)
    ctx.flag('jsonrpc.error-code-legacy', sender, {
      method,
      path: 'error.code',
      message: `${code} is in the legacy range -32000..-32019 that new implementations should not use`,
      value: code,
    })
  else if (!MODERN_DEFINED.has(code))
    ctx.flag('jsonrpc.error-code', sender, {
      method,
      path: 'error.code',
      message: `${code} is in -32020..-32099, reserved for codes the MCP spec defines (-32020, -32021, -32022)`,
      value: code,
    })
}
