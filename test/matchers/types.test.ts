// The matchers' types as a user's tsc sees them, against the Vitest installed (4.1 here; CI's Vitest 5
// leg runs this file against Vitest 5): each program below holds only a user's file and what it
// imports, so it sees the `expect` augmentation only if that file's imports bring it. The repository's
// own tsc cannot tell: its program holds src/matchers/types.ts whatever a file imports.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, test } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
/** The user's files live here (never on disk): `../../src/...` reaches the sources. */
const dir = path.join(root, 'test', 'matchers', 'typed')

/** Every matcher, with `.not`, `.resolves`, asymmetric use and awaited results typed. */
const USES = `
declare const result: CallToolResult
declare const host: HostManager
declare const tool: Tool
expect(result).toContainToolText('ok')
expect(result).not.toBeToolError(/boom/)
expect(result).toMatchToolSchema({ safeParse: () => ({ success: true }) })
expect(result).toMatchToolResponse({ content: [expect.objectContaining({ type: 'text' })] })
expect(result).toMatchOutputSchema(tool)
expect(result).toHaveToolResponseSize({ max: 1024 })
expect(result).toSatisfyToolResult((r) => r.isError !== true)
expect({ result }).toEqual({ result: expect.toMatchToolResponse({ isError: false }) })
await expect(host).toHaveTool('lookup')
await expect(host).toHavePrompt('assistant')
await expect(host).toHaveResource('file:///a')
await expect(host).toHaveResourceTemplate('file:///{path}')
await expect(host.listPrompts()).resolves.toHavePrompt('assistant')
expect(host).toHaveCalledTool('lookup', { times: 1, args: { location: expect.any(String) } })
await expect(host).toMatchSurfaceSnapshot({ server: 'weather', failOn: 'breaking' })
expectTypeOf(expect(host).toHaveTool('lookup')).toEqualTypeOf<Promise<void>>()
expectTypeOf(expect(result).toContainToolText('ok')).toEqualTypeOf<void>()
// @ts-expect-error: the size limit is { max }
expect(result).toHaveToolResponseSize({ maximum: 1024 })
// @ts-expect-error: failOn is 'any' or 'breaking'
await expect(host).toMatchSurfaceSnapshot({ failOn: 'compatible' })
`

const HEAD = `import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js'
import { expect, expectTypeOf } from 'vitest'
import type { HostManager } from '../../../src/index.js'
`

// One host for every program: lib, Node's and Vitest's declarations are parsed once.
const options: ts.CompilerOptions = {
  ...ts.parseJsonConfigFileContent(
    ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile).config,
    ts.sys,
    root,
  ).options,
  noEmit: true,
  // The user's files only declare what they use: an unused import is not what is checked here.
  noUnusedLocals: false,
}
const host = ts.createCompilerHost(options)
const parsed = new Map<string, ts.SourceFile | undefined>()
const virtual = new Map<string, string>()
const { getSourceFile, fileExists, readFile } = host
host.fileExists = (file) => virtual.has(file) || fileExists(file)
host.readFile = (file) => virtual.get(file) ?? readFile(file)
host.getSourceFile = (file, language, ...rest) => {
  const text = virtual.get(file)
  if (text !== undefined) return ts.createSourceFile(file, text, language)
  if (!parsed.has(file)) parsed.set(file, getSourceFile(file, language, ...rest))
  return parsed.get(file)
}

/** The diagnostics tsc gives a program of these user files (name → source), as `file:line: message`. */
function typeCheck(files: Record<string, string>): string[] {
  const rootNames = Object.entries(files).map(([name, text]) => {
    const file = path.join(dir, name)
    virtual.set(file, text)
    return file
  })
  const program = ts.createProgram({ rootNames, options, host })
  // The user's files' diagnostics only: checking the whole library again would take most of a minute.
  const diagnostics = rootNames.flatMap((file) => {
    const source = program.getSourceFile(file)
    return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]
  })
  return [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics(), ...diagnostics].map((d) => {
    const where = d.file
      ? `${path.relative(root, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
      : ''
    return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`
  })
}

describe('the matchers typed on expect, for a user program', { timeout: 120_000 }, () => {
  test('a test file importing vitest-mcp-host/matchers', () => {
    expect(typeCheck({ 'user.test.ts': `${HEAD}import '../../../src/matchers/index.js'\n${USES}` })).toEqual(
      [],
    )
  })

  test('with the plugin: a test file importing only the main entry, the config in the program', () => {
    const config = `import { mcpHost } from '../../../src/plugin/index.js'\nexport default { plugins: [mcpHost()] }\n`
    expect(typeCheck({ 'vitest.config.ts': config, 'user.test.ts': `${HEAD}${USES}` })).toEqual([])
  })

  test('the main entry alone declares no matcher (it registers none)', () => {
    const user = `${HEAD}declare const result: CallToolResult
// @ts-expect-error: not declared without the matchers or the plugin
expect(result).toContainToolText('ok')
`
    expect(typeCheck({ 'user.test.ts': user })).toEqual([])
  })

  test('a misuse is reported: the check can fail', () => {
    const user = `${HEAD}import '../../../src/matchers/index.js'\ndeclare const result: CallToolResult\nexpect(result).toContainToolText(42)\n`
    const [diagnostic, ...others] = typeCheck({ 'user.test.ts': user })
    expect(others).toEqual([])
    expect(diagnostic).toMatch(
      /^test\/matchers\/typed\/user\.test\.ts:6: Argument of type 'number' is not assignable/,
    )
  })
})
