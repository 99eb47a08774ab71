/**
 * A JSON Schema of the configuration file, generated from the zod schema so it can never drift,
 * for editors to validate and autocomplete (`only1mcp config schema`).
 */
import { z } from 'zod';
import { BaseConfigSchema } from './schema';

/** The JSON Schema (draft 2020-12) of what may be written in a configuration file. */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(BaseConfigSchema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    $id: 'https://only1mcp.dev/schema/config.json',
    title: 'Only1MCP configuration',
    description: 'Configuration of the Only1MCP gateway (YAML, TOML or JSON).',
    ...schema,
  };
}
