// Runs inside a pool thread (bundled into worker-entry.js), before the server's module is imported:
// from then on every way a module of this thread can hold `fs` gives an in-memory volume, never the disk.
//
// Node's own module loading keeps the real `fs`: its loaders hold internal references that user code
// cannot reach, so the server's code and its dependencies still load from the disk. What user code
// gets instead of `fs` is a different object (never the real module patched in place, which would
// also redirect the loaders: FACTS.md "patching before the import breaks ESM loading"):
// - `import ... from 'fs' | 'node:fs' | 'fs/promises' | 'node:fs/promises'` (named, default,
//   namespace, dynamic): a module customization hook resolves them to a module exporting the volume;
// - `require()` of the same names (destructured or not, `createRequire` too): `Module._load`;
// - `process.getBuiltinModule()`: wrapped the same way;
// - `process.binding('fs')` (the raw binding): refused;
// - `process.loadEnvFile()`: reads the volume.
import * as realFs from 'node:fs'
import * as realPromises from 'node:fs/promises'
import Module, { register } from 'node:module'
import { parseEnv } from 'node:util'

/** Where the volume's `fs` and `fs/promises` wait for the module the hook makes (one per thread). */
const VOLUME = Symbol.for('vitest-mcp-host:volume@1')

/** The specifiers that name `fs` (value: which of the volume's two modules). */
const FS_MODULES: Record<string, 'fs' | 'promises'> = {
  fs: 'fs',
  'node:fs': 'fs',
  'fs/promises': 'promises',
  'node:fs/promises': 'promises',
}

const SCHEME = 'vitest-mcp-host-volume:'

/**
 * The volume's `fs` (or `fs/promises`) as an ES module: the real module's export names, each the
 * volume's. Also the body of the hooks below (`toString()`): keep it self-contained.
 */
function volumeSource(which: string, names: string[], key: string): string {
  const volume = `globalThis[Symbol.for(${JSON.stringify(key)})][${JSON.stringify(which)}]`
  const exported = names.filter((name) => name !== 'default')
  return [
    `const volume = ${volume}`,
    'export default volume',
    ...exported.map((name) => `export const ${name} = volume[${JSON.stringify(name)}]`),
  ].join('\n')
}

// For Node 20 (no in-thread hooks): runs on the loader's hooks thread, plain JS in a data: URL so it
// needs no file of its own; it lists the real module's export names there.
const HOOKS = `
import * as fs from 'node:fs'
import * as promises from 'node:fs/promises'
const MODULES = ${JSON.stringify(FS_MODULES)}
const SCHEME = ${JSON.stringify(SCHEME)}
const volumeSource = ${volumeSource.toString()}
export async function resolve(specifier, context, next) {
  if (Object.hasOwn(MODULES, specifier)) return { url: SCHEME + MODULES[specifier], shortCircuit: true }
  return next(specifier, context)
}
export async function load(url, context, next) {
  if (!url.startsWith(SCHEME)) return next(url, context)
  const which = url.slice(SCHEME.length)
  const names = Object.keys(which === 'fs' ? fs : promises)
  return { format: 'module', source: volumeSource(which, names, ${JSON.stringify(VOLUME.description)}), shortCircuit: true }
}
`

type Hooks = {
  resolve: (specifier: string, context: unknown, next: (s: string, c: unknown) => unknown) => unknown
  load: (url: string, context: unknown, next: (u: string, c: unknown) => unknown) => unknown
}

/** Node 22.15+ and 24: the same hooks in this thread, synchronous (no hooks thread to start). */
function inThreadHooks(): Hooks {
  return {
    resolve: (specifier, context, next) =>
      Object.hasOwn(FS_MODULES, specifier)
        ? { url: SCHEME + FS_MODULES[specifier], shortCircuit: true }
        : next(specifier, context),
    load: (url, context, next) => {
      if (!url.startsWith(SCHEME)) return next(url, context)
      const which = url.slice(SCHEME.length)
      const names = Object.keys(which === 'fs' ? realFs : realPromises)
      return {
        format: 'module',
        source: volumeSource(which, names, VOLUME.description ?? ''),
        shortCircuit: true,
      }
    },
  }
}

type Volume = { fs: Record<string, unknown> & { promises: unknown }; promises: unknown }

/**
 * Makes `fs` in this thread the volume holding `files` (absolute path → UTF-8 content) for every
 * module loaded from now on; returns the function that reads the volume's files.
 */
export async function mountVolume(files: Record<string, string>): Promise<() => Record<string, string>> {
  const { Volume, createFsFromVolume } = await import('memfs')
  const volume = Volume.fromJSON(files)
  const fs = createFsFromVolume(volume) as unknown as Volume['fs']
  const held: Volume = { fs, promises: fs.promises }
  ;(globalThis as { [VOLUME]?: Volume })[VOLUME] = held
  redirectRequire(held)
  redirectBuiltinLookups(held)
  const { registerHooks } = Module as unknown as { registerHooks?: (hooks: Hooks) => unknown }
  if (registerHooks) registerHooks(inThreadHooks())
  else register(`data:text/javascript,${encodeURIComponent(HOOKS)}`)
  return () => {
    const snapshot: Record<string, string> = {}
    for (const [file, content] of Object.entries(volume.toJSON())) {
      if (typeof content === 'string') snapshot[file] = content
    }
    return snapshot
  }
}

/** The volume's module for an `fs` specifier; undefined for any other. */
function volumeModule(volume: Volume, id: unknown): unknown {
  return typeof id === 'string' && Object.hasOwn(FS_MODULES, id) ? volume[FS_MODULES[id] as 'fs'] : undefined
}

function refused(what: string): Error {
  return new Error(
    `${what} is not available to a worker server with \`files\`: it would reach the real disk (vitest-mcp-host)`,
  )
}

type Load = (request: string, parent: unknown, isMain: boolean) => unknown

function redirectRequire(volume: Volume): void {
  const modules = Module as unknown as { _load: Load }
  const load = modules._load
  modules._load = function loadWithVolume(this: unknown, request, parent, isMain) {
    const redirected = volumeModule(volume, request)
    if (redirected !== undefined) return redirected
    return load.call(this, request, parent, isMain)
  }
}

function redirectBuiltinLookups(volume: Volume): void {
  const proc = process as unknown as {
    getBuiltinModule?: (id: string) => unknown
    binding: (name: string) => unknown
    loadEnvFile?: (path?: string) => void
  }
  const getBuiltinModule = proc.getBuiltinModule
  if (getBuiltinModule) {
    proc.getBuiltinModule = (id) => volumeModule(volume, id) ?? getBuiltinModule.call(process, id)
  }
  const binding = proc.binding
  proc.binding = (name) => {
    if (typeof name === 'string' && name.startsWith('fs')) throw refused(`process.binding('${name}')`)
    return binding.call(process, name)
  }
  if (proc.loadEnvFile) {
    proc.loadEnvFile = (path = '.env') => {
      const read = volume.fs.readFileSync as (file: string, encoding: 'utf8') => string
      for (const [name, value] of Object.entries(parseEnv(read(path, 'utf8')))) {
        process.env[name] ??= value
      }
    }
  }
}
