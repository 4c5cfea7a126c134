// Every way an ES module holds `fs`, taken at the top, before any server exists: read(path) and
// write(path, content) through each (test/launchers/worker-files.test.ts).
import { once } from 'node:events'
import fsDefault, { createReadStream, createWriteStream, readFileSync, writeFileSync } from 'node:fs'
import * as fspNamespace from 'node:fs/promises'
import * as fsNamespace from 'fs'
import fsPromisesDefault, { open } from 'fs/promises'

const viaHandle = {
  read: async (path) => {
    const handle = await open(path, 'r')
    try {
      return await handle.readFile('utf8')
    } finally {
      await handle.close()
    }
  },
  write: async (path, content) => {
    const handle = await open(path, 'w')
    try {
      await handle.writeFile(content)
    } finally {
      await handle.close()
    }
  },
}

export const esmWays = {
  "import { readFileSync } from 'node:fs'": {
    read: (path) => readFileSync(path, 'utf8'),
    write: (path, content) => writeFileSync(path, content),
  },
  "import fs from 'node:fs'": {
    read: (path) => fsDefault.readFileSync(path, 'utf8'),
    write: (path, content) => fsDefault.writeFileSync(path, content),
  },
  "import * as fs from 'fs'": {
    read: (path) => fsNamespace.readFileSync(path, 'utf8'),
    write: (path, content) => fsNamespace.writeFileSync(path, content),
  },
  "fs.promises of 'node:fs'": {
    read: (path) => fsDefault.promises.readFile(path, 'utf8'),
    write: (path, content) => fsDefault.promises.writeFile(path, content),
  },
  "import { open } from 'fs/promises' (a FileHandle)": viaHandle,
  "import fsp from 'fs/promises'": {
    read: (path) => fsPromisesDefault.readFile(path, 'utf8'),
    write: (path, content) => fsPromisesDefault.writeFile(path, content),
  },
  "import * as fsp from 'node:fs/promises'": {
    read: (path) => fspNamespace.readFile(path, 'utf8'),
    write: (path, content) => fspNamespace.writeFile(path, content),
  },
  "import { createReadStream, createWriteStream } from 'node:fs'": {
    read: async (path) => {
      let text = ''
      for await (const chunk of createReadStream(path, 'utf8')) text += chunk
      return text
    },
    write: async (path, content) => {
      const stream = createWriteStream(path)
      const failed = once(stream, 'error').then(([error]) => Promise.reject(error))
      stream.end(content)
      await Promise.race([once(stream, 'finish'), failed])
    },
  },
  "await import('node:fs') (later)": {
    read: async (path) => (await import('node:fs')).readFileSync(path, 'utf8'),
    write: async (path, content) => (await import('node:fs')).writeFileSync(path, content),
  },
  "process.getBuiltinModule('fs')": {
    read: (path) => process.getBuiltinModule('fs').readFileSync(path, 'utf8'),
    write: (path, content) => process.getBuiltinModule('node:fs/promises').writeFile(path, content),
  },
}
