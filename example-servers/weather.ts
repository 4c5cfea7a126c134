// Entry of the bundled stdio weather server (dist/example-servers/weather.mjs): both protocol
// revisions; `--alerts` adds the multi-round-trip tool `subscribe_alerts`.
import { serveStdio } from './shared/stdio-main.js'
import { createWeatherMcpServer } from './weather/server.js'

const alerts = process.argv.includes('--alerts')
await serveStdio(() => createWeatherMcpServer({ alerts }))
