// Every list query in GridShare is paged (`start_after` + `limit`, clamped by the contract). This
// walks the pages for a caller that wants them all, with a cap so that a huge list cannot hang a UI.
// A contract may clamp a page below the limit asked (governance's proposals come 8 at a time), so
// only an empty page ends the walk.

/** Most contracts clamp `limit` to this; asking for more returns at most this many. */
export const MAX_PAGE = 100;

export interface PageOptions {
  /** Items per query (clamped to `MAX_PAGE`). */
  pageSize?: number;
  /** Stop after this many items in all. Default 1000. */
  maxItems?: number;
}

/**
 * Yields items page by page. `fetchPage(startAfter, limit)` runs one query; `cursorOf(item)` is the
 * `start_after` that continues after `item`. An empty page ends the walk: a short one may only
 * mean the contract clamped the page.
 */
export async function* paginate<T, C>(
  fetchPage: (startAfter: C | undefined, limit: number) => Promise<T[]>,
  cursorOf: (item: T) => C,
  options: PageOptions = {},
): AsyncGenerator<T, void, undefined> {
  const limit = Math.max(1, Math.min(options.pageSize ?? MAX_PAGE, MAX_PAGE));
  const maxItems = options.maxItems ?? 1000;
  let startAfter: C | undefined;
  let yielded = 0;
  for (;;) {
    const page = await fetchPage(startAfter, limit);
    for (const item of page) {
      if (yielded >= maxItems) return;
      yield item;
      yielded += 1;
    }
    const last = page[page.length - 1];
    if (last === undefined) return;
    startAfter = cursorOf(last);
  }
}

/** Collects `paginate` into an array. */
export async function collect<T, C>(
  fetchPage: (startAfter: C | undefined, limit: number) => Promise<T[]>,
  cursorOf: (item: T) => C,
  options?: PageOptions,
): Promise<T[]> {
  const items: T[] = [];
  for await (const item of paginate(fetchPage, cursorOf, options)) items.push(item);
  return items;
}
