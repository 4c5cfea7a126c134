// Insertion-ordered sets and maps that forget their oldest entries past a size: the checker's
// memory stays bounded whatever a peer sends (ids never answered, ids answered many times).

export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly limit: number) {
    super()
  }

  override set(key: K, value: V): this {
    if (this.size >= this.limit && !this.has(key)) {
      const oldest = this.keys().next()
      if (!oldest.done) this.delete(oldest.value)
    }
    return super.set(key, value)
  }
}

export class BoundedSet<T> extends Set<T> {
  constructor(private readonly limit: number) {
    super()
  }

  override add(value: T): this {
    if (this.size >= this.limit && !this.has(value)) {
      const oldest = this.values().next()
      if (!oldest.done) this.delete(oldest.value)
    }
    return super.add(value)
  }
}
