// One retry per sample: on a shared machine another job may kill a server mid-run (a test run's
// leftover-process sweep, say). A second failure is a real one and ends the benchmark.
let retried = 0

export async function withRetry(label, fn) {
  try {
    return await fn()
  } catch (error) {
    retried++
    console.warn(`  ${label} failed, retrying once: ${String(error?.message ?? error).split('\n')[0]}`)
    return fn()
  }
}

export function retries() {
  return retried
}
