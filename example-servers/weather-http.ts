// Entry of the bundled Streamable HTTP weather server (dist/example-servers/weather-http.mjs).
import { serveHttp } from './shared/http-main.js'
import { createWeatherServer } from './weather/service.js'

await serveHttp(createWeatherServer)
