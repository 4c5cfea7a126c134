// Our environment variables: one prefix, `VITEST_MCP_HOST_`. The first ones were named `MCP_HOST_*`:
// those names still work, the new one wins when both are set.

/** The variables read by name (without the prefix), and what they set. */
export type EnvSetting =
  /** `1`: every timeline event is printed as it happens (timeline.ts). */
  | 'DEBUG'
  /** `record`, `replay` or `off`: the cassette mode over the plugin's option (cassette/options.ts). */
  | 'CASSETTES'

/** The prefix every variable of ours carries. */
export const ENV_PREFIX = 'VITEST_MCP_HOST_'
/** The prefix of the first names, still read when the new name is not set. */
const OLD_PREFIX = 'MCP_HOST_'

/** The variable's full name, as messages and docs give it: `VITEST_MCP_HOST_CASSETTES`. */
export function envName(setting: EnvSetting): string {
  return `${ENV_PREFIX}${setting}`
}

/**
 * The variable in force for `setting`, named as it was set (for a message about its value):
 * `VITEST_MCP_HOST_<setting>`, else its old name `MCP_HOST_<setting>`.
 */
export function envVariable(
  setting: EnvSetting,
  env: NodeJS.ProcessEnv = process.env,
): { readonly name: string; readonly value: string } | undefined {
  for (const name of [envName(setting), `${OLD_PREFIX}${setting}`]) {
    const value = env[name]
    if (value !== undefined) return { name, value }
  }
  return undefined
}

/** The value of `setting`: `VITEST_MCP_HOST_<setting>`, else its old name `MCP_HOST_<setting>`. */
export function envSetting(setting: EnvSetting, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return envVariable(setting, env)?.value
}
