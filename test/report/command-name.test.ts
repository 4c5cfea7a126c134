// How a leaked process is named: whole when short, its program and script kept when long.
import { expect, test } from 'vitest'
import { commandName } from '../../src/report/command-name.js'

test('a short command line is shown whole, on one line', () => {
  expect(commandName('sleep 30')).toBe('sleep 30')
  expect(commandName('node -e "a\n  b"')).toBe('node -e "a b"')
})

test('a long one keeps its program and script: absolute paths shortened to their ends first', () => {
  const root = '/home/someone/projects/a-rather-long-project-name/node_modules/.pnpm/tsx@4.19.2/node_modules'
  const line = `/root/.nvm/versions/node/v20.20.0/bin/node ${root}/tsx/dist/cli.mjs /home/someone/projects/app/src/server.ts --port 3000`
  expect(line.length).toBeGreaterThan(120)
  expect(commandName(line)).toBe('node …/dist/cli.mjs …/src/server.ts --port 3000')
})

test('still too long after that: cut at the end, after the script', () => {
  const line = `/usr/bin/node /srv/app/server.mjs ${'--flag '.repeat(40)}`
  const name = commandName(line)
  expect(name.startsWith('node …/app/server.mjs --flag --flag')).toBe(true)
  expect(name.endsWith('…')).toBe(true)
  expect(name.length).toBeLessThanOrEqual(120)
})
