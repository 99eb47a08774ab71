/**
 * The starter configurations in config/templates/, printed by `only1mcp config generate`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError } from './configError';

/** The templates `config generate --template` offers. */
export const TEMPLATE_NAMES = ['solo', 'team', 'enterprise'] as const;
/** A template name. */
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** The folder holding the templates: config/templates at the root of the Only1MCP installation. */
export function templatesDir(): string {
  // Walk up from this file (packages/config/dist or src) to the folder that has config/templates.
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'config', 'templates');
    if (existsSync(join(candidate, 'solo.yaml'))) return candidate;
    dir = dirname(dir);
  }
  throw new ConfigError(`Cannot find the config/templates folder above ${__dirname}`);
}

/** The path of a template file. */
export function templatePath(name: TemplateName): string {
  return join(templatesDir(), `${name}.yaml`);
}

/** The text of a template; throws ConfigError for a name that is not a template. */
export function readTemplate(name: string): string {
  if (!(TEMPLATE_NAMES as readonly string[]).includes(name)) {
    throw new ConfigError(`Unknown template "${name}": choose one of ${TEMPLATE_NAMES.join(', ')}`);
  }
  return readFileSync(templatePath(name as TemplateName), 'utf8');
}
