// 'modern-only': speaks 2026-07-28 only; a 2025 `initialize` gets -32022 naming the revisions it serves
// (SDK v2's `serveStdio(factory, { legacy: 'reject' })`).
import { serveStdio } from '../shared/stdio-main.js'
import { createWeatherMcpServer } from '../weather/server.js'
import type { MisbehaviourOptions } from './options.js'

export async function run(_options: MisbehaviourOptions): Promise<void> {
  await serveStdio(() => createWeatherMcpServer({ name: 'misbehaving-modern-only' }), { eras: 'modern-only' })
}
