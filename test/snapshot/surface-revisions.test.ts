// One surface per landed revision: a host whose servers landed on both revisions gives two groups,
// each holding only its own servers (what toMatchSurfaceSnapshot stores as two entries).
import { expect, test } from 'vitest'
import { HostManager } from '../../src/host/host-manager.js'
import { weatherMemoryServer } from '../../src/servers/index.js'
import { captureSurfaces, renderSurfaces, type SurfaceHost } from '../../src/snapshot/surface.js'

test('servers on 2025-11-25 and 2026-07-28: one surface per revision, the same tools in each', async () => {
  await using host = await HostManager.start({
    servers: {
      legacy: { ...weatherMemoryServer(), protocol: '2025-11-25' },
      modern: { ...weatherMemoryServer(), protocol: '2026-07-28' },
    },
  })
  const surfaces = await captureSurfaces(host as unknown as SurfaceHost)
  expect([...surfaces.keys()]).toEqual(['2025-11-25', '2026-07-28'])
  const legacy = surfaces.get('2025-11-25') ?? {}
  const modern = surfaces.get('2026-07-28') ?? {}
  expect(Object.keys(legacy)).toEqual(['legacy'])
  expect(Object.keys(modern)).toEqual(['modern'])
  expect(Object.keys(legacy.legacy?.tools ?? {})).toContain('weather_lookup')
  // The same server, listed on each revision: the same surface.
  expect(modern.modern).toEqual(legacy.legacy)
  expect(JSON.parse(renderSurfaces('2026-07-28', modern)).revision).toBe('2026-07-28')
})
