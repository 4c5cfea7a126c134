// One timed start + weather_lookup London + shutdown through the built HostManager: what every
// transport's bench measures of ours, written once.
import { HostManager } from '../../dist/src/index.js'
import { isAlive, track } from './processes.mjs'

/** Throws unless `result` is the London answer: a bench must not time a wrong result. */
export function expectLondon(result) {
  const text = result?.content?.[0]?.text ?? ''
  if (!text.includes('Rainy')) throw new Error(`unexpected weather_lookup answer: ${JSON.stringify(result)}`)
}

/**
 * Starts a host on `config` (server name `weather`), calls weather_lookup London (or `call`, its
 * answer checked by `check`), shuts it down.
 * Returns the phases in ms, and for a spawned server its pid and whether it still ran afterwards.
 */
export async function timeHost(
  config,
  call = { name: 'weather_lookup', arguments: { location: 'London' } },
  check = expectLondon,
) {
  const t0 = performance.now()
  const host = await HostManager.start({ servers: { weather: config } })
  const t1 = performance.now()
  const pid = host.server('weather').pid
  if (pid !== undefined) track(pid)
  check(await host.callTool(call.name, call.arguments))
  const t2 = performance.now()
  await host.shutdown()
  const t3 = performance.now()
  const alive = pid === undefined ? false : isAlive(pid)
  return { total: t3 - t0, start: t1 - t0, call: t2 - t1, shutdown: t3 - t2, aliveAfter: alive, pid }
}
