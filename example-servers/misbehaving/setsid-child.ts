// 'setsid-child': at startup starts long-lived processes in new sessions (outside its process group), never stops them.
import { spawn } from 'node:child_process'
import { serveStdio } from '../shared/stdio-main.js'
import { createWeatherMcpServer } from '../weather/server.js'
import type { MisbehaviourOptions } from './options.js'

const FOREVER = 'setInterval(() => {}, 1e9)'
// Starts FOREVER in a session of its own, prints its pid, and exits: what a daemonizing double fork leaves.
const DOUBLE_FORK = `const c = require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(FOREVER)}], { detached: true, stdio: 'ignore' }); c.unref(); console.log(c.pid)`

function detached(env: NodeJS.ProcessEnv | undefined, script: string, stdout: 'ignore' | 'pipe') {
  // detached: true is setsid() on POSIX: a new session and process group, out of reach of a group kill.
  // stdio mostly 'ignore', so it holds none of our pipes open; only its pid tells that it is there.
  return spawn(process.execPath, ['-e', script], { detached: true, env, stdio: ['ignore', stdout, 'ignore'] })
}

/** The pid the double fork prints before it exits. */
async function doubleFork(): Promise<string> {
  const middle = detached(undefined, DOUBLE_FORK, 'pipe')
  let out = ''
  middle.stdout?.setEncoding('utf8').on('data', (text: string) => {
    out += text
  })
  await new Promise((resolve) => middle.once('close', resolve))
  return out.trim()
}

export async function run(_options: MisbehaviourOptions): Promise<void> {
  // Three ways out of the group: an heir of our environment, one with an empty environment (no
  // variable of ours reaches it), and one whose parent has already exited (re-parented away from us).
  const inherits = detached(undefined, FOREVER, 'ignore')
  const clean = detached({}, FOREVER, 'ignore')
  inherits.unref()
  clean.unref()
  const orphan = await doubleFork()
  process.stderr.write(
    `setsid-child pid=${inherits.pid} (environment kept)\n` +
      `setsid-child pid=${clean.pid} (empty environment)\n` +
      `setsid-child pid=${orphan} (parent exited)\n`,
  )
  await serveStdio(() => createWeatherMcpServer({ name: 'misbehaving-setsid-child' }))
}
