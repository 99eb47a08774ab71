/**
 * List replies built and serialised once. A warm `tools/list` of 1,000 tools is a 1.2 MB reply,
 * and turning it into JSON was nearly all of the gateway's time for it (~9 ms a request,
 * docs/BENCHMARKS.md). The page of a list is the same object for as long as what it is cut from is
 * the same array — the catalogue's own list, or a profile's (`ProfileLists`), both replaced, never
 * changed, when a backend's lists change or a reload applies — and the same cursor and page size;
 * a client-specific list (filtered by roles) is a new array each time and so never shares a page.
 * A page's JSON (UTF-8) is made the first time a reply written by the gateway itself sends it
 * (statelessFastPath.ts) and kept with the page. Pages are frozen: nothing may change a reply that
 * other clients are sent.
 */

/** One page of a list: `{ [key]: items, nextCursor? }`. */
export type ListPage = Readonly<Record<string, unknown>>;

/** The JSON of the pages serialised so far, as UTF-8 (a page and its bytes go together). */
const encoded = new WeakMap<object, Buffer>();
/** Pages whose JSON may be kept. */
const shared = new WeakSet<object>();

/** The pages of lists, by the array they were cut from. */
export class ListPages {
  private readonly pages = new WeakMap<readonly unknown[], Map<string, ListPage>>();

  /**
   * The page of `items` at `start` (an offset already decoded from the cursor) of `size` items;
   * `cut` builds it the first time. Bounded: one entry per page of each array still in use.
   */
  get(items: readonly unknown[], start: number, size: number, cut: () => Record<string, unknown>): ListPage {
    let byPage = this.pages.get(items);
    if (!byPage) this.pages.set(items, (byPage = new Map()));
    const key = `${start}/${size}`;
    let page = byPage.get(key);
    if (!page) {
      page = Object.freeze(cut());
      shared.add(page);
      byPage.set(key, page);
    }
    return page;
  }
}

/**
 * `JSON.stringify(result)` as UTF-8 bytes when `result` is a shared list page, made the first time
 * and kept with it (written as they are: no copy, no re-encoding, per reply); `undefined` for any
 * other result, which its reply serialises itself.
 */
export function sharedPageJson(result: object): Buffer | undefined {
  if (!shared.has(result)) return undefined;
  let bytes = encoded.get(result);
  if (!bytes) encoded.set(result, (bytes = Buffer.from(JSON.stringify(result), 'utf8')));
  return bytes;
}
