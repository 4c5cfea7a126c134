// Collects the MaxListenersExceededWarnings Node prints while a scenario runs.

/** The MaxListenersExceededWarnings printed while `run` ran (and the tick after it, when they are emitted). */
export async function maxListenerWarnings(run: () => Promise<void>): Promise<string[]> {
  const seen: string[] = []
  const listener = (warning: Error) => {
    if (warning.name === 'MaxListenersExceededWarning') seen.push(warning.message)
  }
  process.on('warning', listener)
  try {
    await run()
    await new Promise((resolve) => setImmediate(resolve))
  } finally {
    process.off('warning', listener)
  }
  return seen
}
