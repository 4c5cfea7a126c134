// Types of big-answer-http-server.mjs (a plain script, so it can also run as a spawned server).
import type { Server } from 'node:http'

export function bigAnswerServer(options?: { onWritten?: (tool: string, bytes: number) => void }): Server
