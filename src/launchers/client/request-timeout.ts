// A request that ran out of time, as the SDK v2 says it: `SdkError` with code `REQUEST_TIMEOUT`. The
// host's own budget errors (host/requests/requests.ts) are the same error, so one check covers both.
import { SdkError, SdkErrorCode } from '@modelcontextprotocol/client'

/** The error a request whose `ms` ran out rejects with; `label` names it (`tools/call slow`). */
export function requestTimeoutError(ms: number, label: string): SdkError {
  return new SdkError(SdkErrorCode.RequestTimeout, `Request timed out after ${ms} ms (${label})`, {
    timeout: ms,
  })
}

/** Whether `error` is a request timeout: the SDK's own, or the host's budget running out. */
export function isRequestTimeout(error: unknown): boolean {
  return error instanceof SdkError && error.code === SdkErrorCode.RequestTimeout
}
