// Obsolete cassettes: those of a test file that no test of the run used. A test that passed without
// using its cassette, or a test that is gone, makes it obsolete; a skipped or failed one does not.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { CASSETTE_FORMAT, cassettePath, writeCassette } from '../../src/cassette/format.js'
import {
  type CassetteTestAttempt,
  cassetteDirOf,
  obsoleteCassettes,
} from '../../src/report/obsolete-cassettes.js'

const dir = mkdtempSync(path.join(tmpdir(), 'obsolete-cassettes-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const testFile = path.join(dir, 'a.test.ts')

function recorded(test: string, server = 'weather'): string {
  const file = cassettePath(testFile, test, server)
  const cassette = {
    format: CASSETTE_FORMAT,
    server,
    test,
    revision: null,
    recordedAt: '',
    messages: [],
  } as const
  writeCassette(file, cassette)
  return file
}

test('gone, or passed without using it: obsolete; used, skipped or failed: kept; not a cassette: obsolete', () => {
  expect(obsoleteCassettes(testFile, [])).toEqual([])
  const used = recorded('used')
  const unused = recorded('s > passed without it')
  const gone = recorded('gone')
  recorded('skipped')
  recorded('failed')
  writeFileSync(path.join(cassetteDirOf(testFile), 'junk.json'), '{')
  // A temp file of a write in flight is not a cassette file.
  writeFileSync(path.join(cassetteDirOf(testFile), 'x.json.123.tmp'), '')
  mkdirSync(path.join(dir, '__cassettes__', 'other.test.ts'), { recursive: true })
  const tests: CassetteTestAttempt[] = [
    { fullName: 'used', state: 'passed', used: [used] },
    { fullName: 's > passed without it', state: 'passed', used: [] },
    { fullName: 'skipped', state: 'skipped', used: [] },
    { fullName: 'failed', state: 'failed', used: [] },
  ]
  expect(obsoleteCassettes(testFile, tests)).toEqual(
    expect.arrayContaining([
      { file: unused, test: 's > passed without it', server: 'weather' },
      { file: gone, test: 'gone', server: 'weather' },
      { file: path.join(cassetteDirOf(testFile), 'junk.json') },
    ]),
  )
  expect(obsoleteCassettes(testFile, tests)).toHaveLength(3)
})
