/**
 * A binary min-heap ordered by `(key, id)` — the memory adapter's schedule and outbox index, so claiming due
 * work costs O(due · log n) rather than a scan of every scheduled item.
 */
export class MinHeap<T extends { key: string; id: string }> {
  private readonly items: T[] = [];

  /** Number of entries (including stale ones the owner has not yet discarded). */
  get size(): number {
    return this.items.length;
  }

  /** The smallest entry, or undefined when empty. */
  peek(): T | undefined {
    return this.items[0];
  }

  /** Adds an entry. */
  push(item: T): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  /** Removes and returns the smallest entry. */
  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    items[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < items.length && less(items[left]!, items[smallest]!)) smallest = left;
      if (right < items.length && less(items[right]!, items[smallest]!)) smallest = right;
      if (smallest === i) break;
      [items[i], items[smallest]] = [items[smallest]!, items[i]!];
      i = smallest;
    }
    return top;
  }
}

function less(a: { key: string; id: string }, b: { key: string; id: string }): boolean {
  return a.key < b.key || (a.key === b.key && a.id < b.id);
}
