// The matcher tests' one way to read a failure message.

/** The message `assertion` fails with; fails the test if it passes. */
export async function failureOf(assertion: () => unknown): Promise<string> {
  try {
    await assertion()
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('expected the assertion to fail, it passed')
}
