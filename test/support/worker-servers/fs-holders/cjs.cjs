// Every way a CommonJS module holds `fs`, taken at the top (destructured too), before any server
// exists; and require() inside the function, after (test/launchers/worker-files.test.ts).
const { readFileSync, writeFileSync } = require('fs')
const nodeFs = require('node:fs')
const { readFile, writeFile } = require('fs/promises')
const { open } = require('node:fs/promises')
const { createRequire } = require('node:module')

exports.cjsWays = {
  "const { readFileSync } = require('fs')": {
    read: (path) => readFileSync(path, 'utf8'),
    write: (path, content) => writeFileSync(path, content),
  },
  "require('node:fs').promises": {
    read: (path) => nodeFs.promises.readFile(path, 'utf8'),
    write: (path, content) => nodeFs.promises.writeFile(path, content),
  },
  "const { readFile } = require('fs/promises')": {
    read: (path) => readFile(path, 'utf8'),
    write: (path, content) => writeFile(path, content),
  },
  "const { open } = require('node:fs/promises') (a FileHandle)": {
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
  },
  "require('fs') (later)": {
    read: (path) => require('fs').readFileSync(path, 'utf8'),
    write: (path, content) => require('fs').writeFileSync(path, content),
  },
  "createRequire(...)('node:fs') (later)": {
    read: (path) => createRequire(__filename)('node:fs').readFileSync(path, 'utf8'),
    write: (path, content) => createRequire(__filename)('node:fs').writeFileSync(path, content),
  },
}
