import { ListPages, sharedPageJson } from './listPages';

describe('ListPages', () => {
  const cut = (items: readonly unknown[], start: number, size: number) => () => ({
    tools: items.slice(start, start + size),
  });

  it('gives the same frozen page for the same list, offset and page size, and a new one for a new list', () => {
    const pages = new ListPages();
    const list = [1, 2, 3];
    const page = pages.get(list, 0, 2, cut(list, 0, 2));
    expect(page).toEqual({ tools: [1, 2] });
    expect(Object.isFrozen(page)).toBe(true);
    expect(pages.get(list, 0, 2, () => ({ other: true }))).toBe(page);
    expect(pages.get(list, 2, 2, cut(list, 2, 2))).toEqual({ tools: [3] });
    expect(pages.get(list, 0, 3, cut(list, 0, 3))).toEqual({ tools: [1, 2, 3] });
    // A catalogue change replaces the array: its pages are cut afresh.
    const next = [4, 5];
    expect(pages.get(next, 0, 2, cut(next, 0, 2))).toEqual({ tools: [4, 5] });
  });

  it('serialises a shared page once, as UTF-8, and leaves any other result to its reply', () => {
    const pages = new ListPages();
    const list = [{ name: 'é' }];
    const page = pages.get(list, 0, 10, cut(list, 0, 10));
    const bytes = sharedPageJson(page)!;
    expect(bytes.toString('utf8')).toBe(JSON.stringify(page));
    expect(sharedPageJson(page)).toBe(bytes);
    expect(sharedPageJson({ content: [] })).toBeUndefined();
  });
});
