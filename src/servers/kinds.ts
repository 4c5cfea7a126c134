// The misbehaving example server's kinds; shared by the config functions and the server entry, no imports.

/**
 * Every way the bundled misbehaving server can misbehave (API.md "The bundled example servers").
 *
 * @example
 * for (const kind of misbehaviourKinds) console.log(kind) // 'slow-start', 'exit-early', ...
 */
export const misbehaviourKinds = [
  'slow-start',
  'exit-early',
  'crash-on-call',
  'ignore-stdin-close',
  'ignore-sigterm',
  'grandchild',
  'noisy-stdout',
  'hang',
  'setsid-child',
  'close-stdout',
  'modern-only',
  'legacy-only',
  'exit-on-discover',
] as const

/**
 * One kind of misbehaviour of the bundled misbehaving server.
 *
 * @example
 * const kind: MisbehaviourKind = 'ignore-sigterm'
 */
export type MisbehaviourKind = (typeof misbehaviourKinds)[number]

/**
 * Whether `value` names a {@link MisbehaviourKind}.
 *
 * @example
 * isMisbehaviourKind('hang') // true
 */
export function isMisbehaviourKind(value: unknown): value is MisbehaviourKind {
  return typeof value === 'string' && (misbehaviourKinds as readonly string[]).includes(value)
}
