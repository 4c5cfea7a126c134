// Entry of the bundled stdio weather server (dist/example-servers/weather.mjs).
import { serveStdio } from './shared/stdio-main.js'
import { createWeatherServer } from './weather/service.js'

await serveStdio(createWeatherServer())
