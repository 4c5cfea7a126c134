// Runs an e2e project twice in one watch-mode Vitest (Node API), as a developer's edit-and-rerun
// does: argv = root, config, reporter. The reporter writes each run's report over the last one's;
// the first run's outcomes are printed as a `first run:` JSON line.
import { createVitest } from 'vitest/node'

const [root, config, reporter] = process.argv.slice(2)
const vitest = await createVitest('test', { watch: true, root, config, reporters: [reporter] })
try {
  const first = await vitest.start()
  const outcomes = first.testModules.flatMap((module) =>
    [...module.children.allTests()].map((test) => [test.name, test.result().state]),
  )
  console.log(`first run: ${JSON.stringify(Object.fromEntries(outcomes))}`)
  await vitest.rerunFiles()
} finally {
  await vitest.close()
}
