import { test } from 'vitest'
import { runVitest } from './run-vitest.js'

test('scratch', async () => {
  const r = await runVitest(process.env.P ?? 'clean')
  console.log(JSON.stringify({ ...r, stdout: r.stdout.slice(-3000), stderr: r.stderr.slice(-3000) }, null, 2))
}, 60_000)
