/**
 * How to run the fixture MCP server: a command and arguments for a stdio backend's config, or for
 * spawning it directly.
 */
import { resolve } from 'node:path';
import { fixtureServerArgs, type FixtureServerOptions } from './fixtures/fixtureServerOptions';

/**
 * Path of the compiled fixture server. Resolved from the package root, so it is the same whether
 * this module runs from dist/ or is transpiled from src/ by a test runner.
 */
export const FIXTURE_SERVER_PATH = resolve(__dirname, '..', 'dist', 'fixtures', 'fixtureServer.js');

/** The command that runs a fixture server (Node itself, so no PATH lookup is involved). */
export function fixtureServerCommand(options: FixtureServerOptions = {}): { command: string; args: string[] } {
  return { command: process.execPath, args: [FIXTURE_SERVER_PATH, ...fixtureServerArgs(options)] };
}
