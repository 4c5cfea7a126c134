// The SDK Client every launcher connects: one construction, so every transport's client is the same.
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import type {
  JsonSchemaType,
  JsonSchemaValidator,
  jsonSchemaValidator,
} from '@modelcontextprotocol/sdk/validation'
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv'
import { HOST_INFO } from '../version.js'

/**
 * The SDK builds an Ajv instance (with its formats) for every Client, ~1 ms, though only a tool with
 * an `outputSchema` is ever validated with it: built here on first use, per client. Not one shared
 * validator: Ajv keeps every schema it compiled, so a process-wide one would grow with every host.
 */
function lazyValidator(): jsonSchemaValidator {
  let ajv: AjvJsonSchemaValidator | undefined
  return {
    getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
      ajv ??= new AjvJsonSchemaValidator()
      return ajv.getValidator<T>(schema)
    },
  }
}

/** A new SDK Client as the host: our client info, no capabilities declared. */
export function newHostClient(): Client {
  return new Client({ ...HOST_INFO }, { capabilities: {}, jsonSchemaValidator: lazyValidator() })
}
