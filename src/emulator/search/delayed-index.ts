/**
 * What search sees of one kind of record: each write becomes visible at a given time (Intercom's
 * search-index delay), until then search keeps seeing the previous version (or nothing, for a new
 * record). Deletions and merges leave search at once, as Intercom documents for merged contacts.
 *
 * Listeners learn of each change of the visible set, so sorted indexes can follow it.
 *
 * @example
 * const index = new DelayedIndex<{ id: string }>();
 * index.put({ id: "a" }, 100);
 * index.visible(99).size; // 0
 * index.visible(100).size; // 1
 */
export class DelayedIndex<T extends { id: string }> {
  private readonly current = new Map<string, T>();
  /** Writes not yet visible, ordered by `visibleAt` then by write order. */
  private pending: Array<{ doc: T; visibleAt: number; seq: number }> = [];
  private seq = 0;
  private readonly listeners: Array<(before: T | undefined, after: T | undefined) => void> = [];

  /** Records `doc` (a snapshot: the caller must not mutate it later) as searchable from `visibleAt`. */
  put(doc: T, visibleAt: number): void {
    const entry = { doc, visibleAt, seq: this.seq++ };
    // Keep the queue sorted; writes almost always arrive in time order, so scan from the end.
    let i = this.pending.length;
    while (i > 0) {
      const prev = this.pending[i - 1];
      if (prev === undefined || prev.visibleAt <= visibleAt) break;
      i--;
    }
    this.pending.splice(i, 0, entry);
  }

  /** Removes a record from search now, with any write of it still pending. */
  remove(id: string): void {
    this.pending = this.pending.filter((p) => p.doc.id !== id);
    const before = this.current.get(id);
    if (before !== undefined) {
      this.current.delete(id);
      this.notify(before, undefined);
    }
  }

  /** The records search sees at `now` (unix seconds). */
  visible(now: number): ReadonlyMap<string, T> {
    this.flush(now);
    return this.current;
  }

  /** Makes every write due at `now` visible. */
  flush(now: number): void {
    let applied = 0;
    for (const p of this.pending) {
      if (p.visibleAt > now) break;
      const before = this.current.get(p.doc.id);
      this.current.set(p.doc.id, p.doc);
      this.notify(before, p.doc);
      applied++;
    }
    if (applied > 0) this.pending.splice(0, applied);
  }

  /** Subscribes to changes of the visible set (`before` undefined: added; `after` undefined: removed). */
  onChange(listener: (before: T | undefined, after: T | undefined) => void): void {
    this.listeners.push(listener);
  }

  private notify(before: T | undefined, after: T | undefined): void {
    for (const l of this.listeners) l(before, after);
  }
}
