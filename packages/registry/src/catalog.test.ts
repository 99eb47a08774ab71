import { buildCatalog, publicName, templatePattern, type CatalogSource } from './catalog';
import { silentLogger, type Logger } from '@only1mcp/logger';

const tool = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  inputSchema: { type: 'object' as const },
  ...extra,
});
const source = (serverId: string, prefix: string, tools: string[], resources: string[] = []): CatalogSource => ({
  serverId,
  prefix,
  lists: {
    tools: tools.map((t) => tool(t)),
    prompts: [],
    resources: resources.map((uri) => ({ uri, name: uri })),
    resourceTemplates: [],
  },
});

describe('catalog', () => {
  it('prefixes names and keeps every other field as the backend gave it', () => {
    const s = source('files', 'files', []);
    s.lists.tools = [
      tool('read', { description: 'Read a file', annotations: { readOnlyHint: true }, _meta: { x: 1 } }),
    ];
    const catalog = buildCatalog([s], '__', silentLogger);
    expect(catalog.tools).toEqual([
      {
        name: 'files__read',
        description: 'Read a file',
        inputSchema: { type: 'object' },
        annotations: { readOnlyHint: true },
        _meta: { x: 1 },
      },
    ]);
    expect(catalog.toolOwners.get('files__read')).toEqual({ serverId: 'files', name: 'read' });
  });

  it('exposes names unchanged with prefix "" and lets the first server win a conflict, logging it', () => {
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (m) => void warnings.push(m) };
    const catalog = buildCatalog([source('a', '', ['x', 'y']), source('b', '', ['x'])], '__', logger);
    expect(catalog.tools.map((t) => t.name)).toEqual(['x', 'y']);
    expect(catalog.toolOwners.get('x')?.serverId).toBe('a');
    expect(warnings).toEqual([expect.stringMatching(/name conflict/)]);
  });

  it('leaves out a name that would break the 128-character rule', () => {
    const catalog = buildCatalog([source('s', 's', ['a'.repeat(130), 'ok'])], '__', silentLogger);
    expect(catalog.tools.map((t) => t.name)).toEqual(['s__ok']);
  });

  it('routes URIs to the first server that lists them', () => {
    const catalog = buildCatalog(
      [source('a', 'a', [], ['file:///x']), source('b', 'b', [], ['file:///x', 'file:///y'])],
      '__',
      silentLogger,
    );
    expect(catalog.resourceOwners.get('file:///x')).toBe('a');
    expect(catalog.resourceOwners.get('file:///y')).toBe('b');
    expect(catalog.resources).toHaveLength(2);
  });

  it('matches URIs against RFC 6570 templates', () => {
    expect(templatePattern('demo://items/{id}').test('demo://items/42')).toBe(true);
    expect(templatePattern('demo://items/{id}').test('demo://items/4/2')).toBe(false);
    expect(templatePattern('file://{+path}').test('file:///a/b/c')).toBe(true);
    expect(publicName('', '__', 'n')).toBe('n');
    expect(publicName('p', '.', 'n')).toBe('p.n');
  });
});
