// Round-trip counter: one per /sql request served (a batch is one), in total and per connection-string database name.

export class RoundTripCounter {
  #total = 0;
  #byTag = new Map<string, number>();

  record(tag: string): void {
    this.#total += 1;
    this.#byTag.set(tag, (this.#byTag.get(tag) ?? 0) + 1);
  }

  count(tag?: string): number {
    return tag === undefined ? this.#total : (this.#byTag.get(tag) ?? 0);
  }

  snapshot(): { queries: number; byTag: Record<string, number> } {
    return { queries: this.#total, byTag: Object.fromEntries(this.#byTag) };
  }

  reset(): void {
    this.#total = 0;
    this.#byTag.clear();
  }
}
