// Where things are in a config file's text: line and column of an offset, the node at a key path,
// and how deep it nests. Each is indexed once per file, so a file with 50,000 problems is located
// in time linear in its size, not 50,000 scans of it.
import { createScanner, type Node } from 'jsonc-parser'
import type { KeyPath } from './config-file-entries.js'

/** Deeper than any config needs; well short of where the parser's recursion overflows the stack (~8,000). */
export const MAX_NESTING = 512

// jsonc-parser's SyntaxKind values: a const enum, which isolated modules cannot read.
const OPEN_BRACE = 1
const CLOSE_BRACE = 2
const OPEN_BRACKET = 3
const CLOSE_BRACKET = 4
const EOF = 17

/** The offset of the first `{` or `[` nested deeper than MAX_NESTING, if any; strings and comments do not count. */
export function tooDeepAt(text: string): number | undefined {
  const scanner = createScanner(text, true)
  let depth = 0
  for (let token = scanner.scan(); token !== EOF; token = scanner.scan()) {
    if (token === OPEN_BRACE || token === OPEN_BRACKET) {
      if (++depth > MAX_NESTING) return scanner.getTokenOffset()
    } else if (token === CLOSE_BRACE || token === CLOSE_BRACKET) depth = Math.max(0, depth - 1)
  }
  return undefined
}

/** 1-based lines and columns of offsets in one text, in UTF-16 units as editors count them. */
export class LineIndex {
  readonly #starts: number[] = [0]

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.#starts.push(i + 1)
  }

  positionOf(offset: number): { line: number; column: number } {
    // The last line starting at or before offset.
    let low = 0
    let high = this.#starts.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if ((this.#starts[middle] ?? 0) <= offset) low = middle
      else high = middle - 1
    }
    return { line: low + 1, column: offset - (this.#starts[low] ?? 0) + 1 }
  }
}

/**
 * Nodes by key path, as jsonc-parser's findNodeAtLocation finds them (a key written twice: its
 * first place), with each object's keys indexed the first time it is searched.
 */
export class NodeIndex {
  readonly #root: Node
  readonly #keys = new WeakMap<Node, Map<string, Node>>()

  constructor(root: Node) {
    this.#root = root
  }

  at(keys: KeyPath): Node | undefined {
    let node: Node | undefined = this.#root
    for (const key of keys) {
      if (!node) return undefined
      if (typeof key === 'number') {
        node = node.type === 'array' ? node.children?.[key] : undefined
      } else if (node.type === 'object') {
        node = this.#propertiesOf(node).get(key)
      } else return undefined
    }
    return node
  }

  #propertiesOf(node: Node): Map<string, Node> {
    let found = this.#keys.get(node)
    if (!found) {
      found = new Map()
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? []
        const key = String(keyNode?.value)
        if (keyNode && valueNode && !found.has(key)) found.set(key, valueNode)
      }
      this.#keys.set(node, found)
    }
    return found
  }
}
