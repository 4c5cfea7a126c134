// 'grandchild': starts a long-lived child of its own at startup and never stops it.
import { spawn } from 'node:child_process'
import { serveStdio } from '../shared/stdio-main.js'
import { createWeatherMcpServer } from '../weather/server.js'
import type { MisbehaviourOptions } from './options.js'

export async function run(_options: MisbehaviourOptions): Promise<void> {
  // Not detached: it stays in our process group, which is what a harness killing the group must catch.
  // stdio 'ignore' so it holds none of our pipes open; only its pid tells that it is there.
  const child = spawn(process.execPath, ['-e', 'setInterval(()=>{},1e9)'], { stdio: 'ignore' })
  child.unref()
  process.stderr.write(`grandchild pid=${child.pid}\n`)
  await serveStdio(() => createWeatherMcpServer({ name: 'misbehaving-grandchild' }))
}
