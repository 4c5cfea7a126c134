// `instanceof` across copies of this package. Each entry point is bundled on its own (build.mjs): the
// main entry, the plugin and its setup file each carry their own `ConfigError`, `LeakError`, …, and
// without a brand an error made by one copy is not `instanceof` another copy's class.

/**
 * Makes `value instanceof cls` true for every instance of `cls`, or of a subclass, made by any copy
 * of this package: a `Symbol.for` key per class name, set on its prototype (so subclasses inherit
 * it) and checked by `cls[Symbol.hasInstance]`. A user's own subclass of `cls` keeps the ordinary
 * check (it has no key of its own). Call it once per class, from a static block.
 *
 * @example
 * class ConfigError extends Error {
 *   static {
 *     brandClass(this, 'ConfigError')
 *   }
 * }
 */
export function brandClass(cls: abstract new (...args: never[]) => object, name: string): void {
  const key = Symbol.for(`vitest-mcp-host.${name}`)
  Object.defineProperty(cls.prototype, key, { value: true })
  const ordinary = Function.prototype[Symbol.hasInstance]
  Object.defineProperty(cls, Symbol.hasInstance, {
    value: function hasInstance(this: unknown, value: unknown): boolean {
      if (this !== cls) return ordinary.call(this, value)
      return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[key] === true
    },
  })
}
