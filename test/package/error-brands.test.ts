// `instanceof` across copies of the package (issue 26 §1): each entry point is bundled with its own
// copy of the error classes, so every exported error class carries a brand (src/scope/class-brand.ts).
// Here two real copies of the sources: the module registry is reset between two imports of the main
// entry, so each evaluates its own classes. The installed package's entry points are checked by
// scripts/check-pack.sh.
import { expect, test, vi } from 'vitest'

type Entry = typeof import('../../src/index.js')
type ErrorClass = abstract new (...args: never[]) => Error

async function freshCopy(): Promise<Entry> {
  vi.resetModules()
  return await import('../../src/index.js')
}

const [one, two] = [await freshCopy(), await freshCopy()]
const errorNames = Object.keys(one).filter((name) => name.endsWith('Error'))
const classOf = (entry: Entry, name: string) => entry[name as keyof Entry] as ErrorClass
/** An instance made by `entry`'s class, without its constructor's arguments. */
const instanceOf = (entry: Entry, name: string) => Object.create(classOf(entry, name).prototype) as Error

test('the two imports are two copies of every error class', () => {
  expect(errorNames.length).toBeGreaterThanOrEqual(20)
  for (const name of errorNames) expect(classOf(one, name), name).not.toBe(classOf(two, name))
})

test('every exported error class: an instance of either copy is instanceof both copies', () => {
  for (const name of errorNames) {
    expect(instanceOf(one, name) instanceof classOf(two, name), `${name} one → two`).toBe(true)
    expect(instanceOf(two, name) instanceof classOf(one, name), `${name} two → one`).toBe(true)
    expect(instanceOf(one, name) instanceof Error, `${name} is an Error`).toBe(true)
  }
  const thrown = new one.ConfigError([{ path: 'servers.x.command', message: 'expected a non-empty string' }])
  expect(thrown).toBeInstanceOf(two.ConfigError)
  expect(() => {
    throw thrown
  }).toThrow(two.ConfigError)
})

test('a plain Error, another class of ours, and non-objects are instances of none', () => {
  for (const name of errorNames) {
    const cls = classOf(two, name)
    expect(new Error('plain') instanceof cls, name).toBe(false)
    expect(Object.assign(new Error('x'), { name }) instanceof cls, `${name} by name only`).toBe(false)
    for (const value of [null, undefined, 0, 'ConfigError', {}]) expect(value instanceof cls).toBe(false)
    for (const other of errorNames) {
      if (other === name || (name === 'NotOfferedError' && other === 'ToolNotFoundError')) continue
      expect(instanceOf(one, other) instanceof cls, `${other} is not a ${name}`).toBe(false)
    }
  }
})

test('subclass-aware: a ToolNotFoundError of one copy is a NotOfferedError of the other, not the reverse', () => {
  const notFound = new one.ToolNotFoundError('tool', 'x', ['weather_lookup'])
  expect(notFound).toBeInstanceOf(two.NotOfferedError)
  expect(notFound).toBeInstanceOf(two.ToolNotFoundError)
  expect(new one.NotOfferedError('prompt', 'x', [])).not.toBeInstanceOf(two.ToolNotFoundError)
})

test("a user's own subclass keeps the ordinary instanceof", () => {
  class MyConfigError extends one.ConfigError {}
  const mine = new MyConfigError([{ path: 'x', message: 'y' }])
  expect(mine).toBeInstanceOf(MyConfigError)
  expect(mine).toBeInstanceOf(two.ConfigError)
  expect(new one.ConfigError([{ path: 'x', message: 'y' }])).not.toBeInstanceOf(MyConfigError)
  expect(new two.ConfigError([{ path: 'x', message: 'y' }])).not.toBeInstanceOf(MyConfigError)
})
