// A process named in a report: its command line on one line, short enough to read, and never
// cut before the script's name.
import { displayCommand } from '../launchers/processes/process-table.js'

/** Lines up to this long are shown whole. */
const WHOLE_MAX = 120
const absolutePath = /^(?:\/|[A-Za-z]:\\)/

/** `…/dist/cli.mjs`: an absolute path by its last two segments (the program: its file name alone). */
function shortPath(token: string, program: boolean): string {
  const parts = token.split(/[\\/]/).filter((p) => p !== '')
  if (program) return parts.at(-1) ?? token
  return parts.length <= 2 ? token : `…/${parts.slice(-2).join('/')}`
}

/**
 * `node …/src/server.mjs --port 3000` for `/opt/node/bin/node /home/me/app/src/server.mjs --port 3000`:
 * a line longer than 120 characters is shown with its absolute paths shortened to their ends (the
 * program and the script stay named), and only then cut with an ellipsis. Shorter lines are whole.
 */
export function commandName(command: string): string {
  const line = command.replace(/\s+/g, ' ').trim()
  if (line.length <= WHOLE_MAX) return line
  const short = line
    .split(' ')
    .map((token, i) => (absolutePath.test(token) ? shortPath(token, i === 0) : token))
    .join(' ')
  return displayCommand(short, WHOLE_MAX)
}
