/** One thing that happens at an instant in the simulation. */
export interface AgendaEntry<T> {
  at: number;
  /** Tie-breaker: entries at one instant run in the order they were added. */
  seq: number;
  item: T;
}

/** A time-ordered queue (binary min-heap on `at`, then insertion order). Deterministic. */
export class Agenda<T> {
  private readonly heap: AgendaEntry<T>[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Adds an item due at `at` (epoch ms). */
  add(at: number, item: T): void {
    const entry = { at, seq: this.seq++, item };
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  /** The earliest entry, without removing it. */
  peek(): AgendaEntry<T> | undefined {
    return this.heap[0];
  }

  /** Removes and returns the earliest entry. */
  pop(): AgendaEntry<T> | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
      if (m === i) break;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
    return top;
  }
}

function before<T>(a: AgendaEntry<T>, b: AgendaEntry<T>): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
