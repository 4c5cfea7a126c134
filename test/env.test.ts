// Our environment variables share one prefix, VITEST_MCP_HOST_; the first names (MCP_HOST_*) are
// still read, and the new name wins when both are set.
import { expect, test } from 'vitest'
import { envName, envSetting, envVariable } from '../src/env.js'

test('a setting is read from VITEST_MCP_HOST_<name>', () => {
  expect(envName('DEBUG')).toBe('VITEST_MCP_HOST_DEBUG')
  expect(envSetting('DEBUG', { VITEST_MCP_HOST_DEBUG: '1' })).toBe('1')
  expect(envSetting('CASSETTES', { VITEST_MCP_HOST_CASSETTES: 'replay' })).toBe('replay')
  expect(envSetting('DEBUG', {})).toBeUndefined()
})

test('the old name MCP_HOST_<name> is an alias; the new name wins, even when empty', () => {
  expect(envSetting('DEBUG', { MCP_HOST_DEBUG: '1' })).toBe('1')
  expect(envVariable('CASSETTES', { MCP_HOST_CASSETTES: 'off' })).toEqual({
    name: 'MCP_HOST_CASSETTES',
    value: 'off',
  })
  expect(
    envVariable('CASSETTES', { MCP_HOST_CASSETTES: 'off', VITEST_MCP_HOST_CASSETTES: 'record' }),
  ).toEqual({
    name: 'VITEST_MCP_HOST_CASSETTES',
    value: 'record',
  })
  expect(envSetting('DEBUG', { MCP_HOST_DEBUG: '1', VITEST_MCP_HOST_DEBUG: '' })).toBe('')
})
