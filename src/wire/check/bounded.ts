// A set and a map that forget their oldest entries past a size: the checker's memory stays bounded
// whatever a peer sends (ids never answered, ids answered many times). A ring of keys remembers the
// order, so evicting allocates nothing per message.

export class BoundedSet<T> {
  private readonly members = new Set<T>()
  private readonly ring: Array<T | undefined>
  private next = 0

  constructor(limit: number) {
    this.ring = new Array<T | undefined>(limit)
  }

  has(value: T): boolean {
    return this.members.has(value)
  }

  add(value: T): void {
    if (this.members.has(value)) return
    const oldest = this.ring[this.next]
    if (oldest !== undefined) this.members.delete(oldest)
    this.ring[this.next] = value
    this.next = (this.next + 1) % this.ring.length
    this.members.add(value)
  }
}

/** Insertion-ordered; past `limit` entries the oldest is dropped (requests never answered). */
export class BoundedMap<K, V> {
  private readonly entries = new Map<K, V>()

  constructor(private readonly limit: number) {}

  get size(): number {
    return this.entries.size
  }

  get(key: K): V | undefined {
    return this.entries.get(key)
  }

  has(key: K): boolean {
    return this.entries.has(key)
  }

  delete(key: K): boolean {
    return this.entries.delete(key)
  }

  set(key: K, value: V): void {
    if (this.entries.size >= this.limit && !this.entries.has(key)) {
      const oldest = this.entries.keys().next()
      if (!oldest.done) this.entries.delete(oldest.value)
    }
    this.entries.set(key, value)
  }
}
