// Bundles the example servers into one self-contained ESM file each (dist/example-servers/*.mjs).
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

const entryPoints = {
  weather: path.join(root, 'example-servers/weather.ts'),
  'weather-http': path.join(root, 'example-servers/weather-http.ts'),
  misbehaving: path.join(root, 'example-servers/misbehaving.ts'),
  'weather-worker': path.join(root, 'example-servers/weather-worker.ts'),
}

// Parts of the SDK a stdio server built on zod v4 never runs, replaced by stubs that fail loudly if
// they ever are. Together they are ~190 kB of the bundle (measured with --metafile):
// - ajv (+ ajv-formats, fast-uri, ...): only Server.elicitInput() validates with it, and our servers
//   never elicit; the Server constructor merely instantiates it.
// - zod/v3 and zod-to-json-schema: the SDK's zod-compat layer uses them only for zod v3 schemas.
const SDK_V1 = `${path.sep}@modelcontextprotocol${path.sep}sdk${path.sep}`
const SDK_V2_SERVER = `${path.sep}@modelcontextprotocol${path.sep}server${path.sep}`
const stubs = [
  {
    from: SDK_V1,
    filter: /\/validation\/ajv-provider\.js$/,
    contents: `export class AjvJsonSchemaValidator {
      getValidator() { throw new Error('JSON Schema validation (ajv) is not bundled in this example server') }
    }`,
  },
  // SDK v2's server (~150 kB of ajv): likewise only its legacy `elicitInput()` validates with it, and
  // the servers elicit through `inputRequired` (validated by zod via acceptedContent) instead.
  {
    from: SDK_V2_SERVER,
    filter: /\/ajvProvider-[\w-]+\.mjs$/,
    contents: `export class n {
      getValidator() { throw new Error('JSON Schema validation (ajv) is not bundled in this example server') }
    }
    export const r = undefined, t = undefined`,
  },
  {
    from: SDK_V1,
    filter: /^zod\/v3$/,
    contents: `export function object() { throw new Error('zod v3 schemas are not supported by this bundle') }`,
  },
  {
    from: SDK_V1,
    filter: /^zod-to-json-schema$/,
    contents: `export function zodToJsonSchema() { throw new Error('zod v3 schemas are not supported by this bundle') }`,
  },
]

/** @type {import('esbuild').Plugin} */
const trimSdk = {
  name: 'trim-sdk',
  setup(b) {
    for (const [index, stub] of stubs.entries()) {
      b.onResolve({ filter: stub.filter }, (args) =>
        // Only the SDK's own imports: our code importing these on purpose would get the real module.
        args.importer.includes(stub.from) ? { path: String(index), namespace: 'sdk-stub' } : undefined,
      )
    }
    b.onLoad({ filter: /.*/, namespace: 'sdk-stub' }, (args) => ({
      contents: stubs[Number(args.path)]?.contents ?? '',
      loader: 'js',
    }))
  },
}

/**
 * Builds `weather.mjs`, `weather-http.mjs`, `misbehaving.mjs` and `weather-worker.mjs` (a module
 * exporting the weather server's factory) into `outdir` (relative paths are taken from the package root).
 *
 * @example
 * await buildServers({ outdir: 'dist/example-servers' })
 *
 * @param {{ outdir: string, trim?: boolean }} options `trim: false` keeps the SDK's unused parts (for comparison).
 * @returns {Promise<{ files: Array<{ file: string, bytes: number }>, metafile: import('esbuild').Metafile }>}
 */
export async function buildServers({ outdir, trim = true }) {
  const out = path.resolve(root, outdir)
  await mkdir(out, { recursive: true })
  const result = await build({
    entryPoints,
    outdir: out,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: trim ? [trimSdk] : [],
    write: false,
  })
  // Each file is replaced atomically (write aside, then rename): a test run elsewhere that is spawning
  // a server from this directory at this moment sees the old bundle or the new one, never half of one.
  for (const output of result.outputFiles) {
    const aside = `${output.path}.${process.pid}.tmp`
    await writeFile(aside, output.contents)
    await rename(aside, output.path)
  }
  const files = Object.entries(result.metafile.outputs).map(([file, info]) => ({
    file: path.resolve(file),
    bytes: info.bytes,
  }))
  // No banner defining `require` today: nothing bundled require()s a Node built-in (even untrimmed, ajv
  // does not). If a dependency starts to, esbuild leaves a shim that throws at run time; fail here instead.
  for (const { file } of files) {
    if ((await readFile(file, 'utf8')).includes('Dynamic require of')) {
      throw new Error(`${file}: a bundled CommonJS module calls require(); add a createRequire banner`)
    }
  }
  return { files, metafile: result.metafile }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const { files } = await buildServers({ outdir: 'dist/example-servers' })
  for (const { file, bytes } of files) {
    console.log(`${path.relative(process.cwd(), file)}  ${(bytes / 1024).toFixed(1)} kB`)
  }
}
