// 'exit-early': says why on stderr and exits with code 3 before it could answer initialize.
import type { MisbehaviourOptions } from './options.js'

export async function run(_options: MisbehaviourOptions): Promise<void> {
  // stderr on a pipe is written synchronously on POSIX, so the line is out before exit.
  process.stderr.write('exit-early: refusing to start (deliberate)\n')
  process.exit(3)
}
