import { buildCatalog, publicName, templatePattern, type CatalogSource } from './catalog';
import { changedLists } from './registry';
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

  it('takes a listing in once: later rebuilds share its renamed items and log its problems no more', () => {
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (m) => void warnings.push(m) };
    const a = source('a', '', ['x', 'y'], ['file:///r']);
    const b = source('b', '', ['x', 'b'.repeat(130)], ['file:///r']);
    b.lists.resourceTemplates = [{ uriTemplate: 'demo://{id}', name: 'item' }];
    const first = buildCatalog([a, b], '__', logger);
    expect(warnings).toEqual([
      expect.stringMatching(/left out/),
      expect.stringMatching(/name conflict/),
      expect.stringMatching(/resource URI claimed by two servers/),
    ]);
    // Another backend's lists changed: the catalogue is rebuilt from the same listings of these two.
    const c = source('c', 'c', ['z']);
    const second = buildCatalog([a, b, c], '__', logger);
    expect(warnings).toHaveLength(3);
    expect(second.tools.map((t) => t.name)).toEqual(['x', 'y', 'c__z']);
    expect(second.tools[0]).toBe(first.tools[0]);
    expect(second.toolOwners.get('x')).toBe(first.toolOwners.get('x'));
    expect(second.templateOwners[0]!.pattern).toBe(first.templateOwners[0]!.pattern);
    expect(second.templateOwners[0]!.serverId).toBe('b');
    // A new listing from b is taken in afresh: its conflict is logged again.
    const b2 = source('b', '', ['x']);
    buildCatalog([a, b2, c], '__', logger);
    expect(warnings.slice(3)).toEqual([expect.stringMatching(/name conflict/)]);
    // The same listing under another prefix (a reload changed it) is renamed again.
    const renamed = buildCatalog([{ ...a, prefix: 'alpha' }], '__', logger);
    expect(renamed.tools.map((t) => t.name)).toEqual(['alpha__x', 'alpha__y']);
    expect(renamed.toolOwners.get('alpha__x')).toEqual({ serverId: 'a', name: 'x' });
  });

  it('tells a changed list from a rebuild that changed nothing', () => {
    const a = source('a', 'a', ['x']);
    const b = source('b', 'b', ['y']);
    const before = buildCatalog([a, b], '__', silentLogger);
    expect(changedLists(before, buildCatalog([a, b], '__', silentLogger))).toEqual([]);
    // b listed again what it had: new objects, the same content.
    expect(changedLists(before, buildCatalog([a, source('b', 'b', ['y'])], '__', silentLogger))).toEqual([]);
    const b2 = source('b', 'b', ['y2'], ['file:///new']);
    expect(changedLists(before, buildCatalog([a, b2], '__', silentLogger))).toEqual(['tools', 'resources']);
    const described = source('b', 'b', []);
    described.lists.tools = [tool('y', { description: 'now described' })];
    expect(changedLists(before, buildCatalog([a, described], '__', silentLogger))).toEqual(['tools']);
  });

  it('matches URIs against RFC 6570 templates', () => {
    expect(templatePattern('demo://items/{id}').test('demo://items/42')).toBe(true);
    expect(templatePattern('demo://items/{id}').test('demo://items/4/2')).toBe(false);
    expect(templatePattern('file://{+path}').test('file:///a/b/c')).toBe(true);
    expect(publicName('', '__', 'n')).toBe('n');
    expect(publicName('p', '.', 'n')).toBe('p.n');
  });
});
