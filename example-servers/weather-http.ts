// Entry of the bundled Streamable HTTP weather server (dist/example-servers/weather-http.mjs): both
// protocol revisions; `--alerts` adds the multi-round-trip tool `subscribe_alerts`.
import { serveHttp } from './shared/http-main.js'
import { createWeatherMcpServer } from './weather/server.js'

const alerts = process.argv.includes('--alerts')
await serveHttp(() => createWeatherMcpServer({ alerts }))
