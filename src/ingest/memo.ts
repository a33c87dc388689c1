/**
 * A bounded memo for the normalisers. The same raw identifier comes back again and again in a
 * marketplace's files — a seller's sender phone and origin address on every parcel, a ring's
 * shared account on each of its stores — and reading one costs 20–30 µs (libphonenumber, the
 * address tokeniser), most of ingest's own CPU on the address and shipping files. When full, the
 * memo starts afresh: memory stays bounded whatever the file size, and recent identifiers, the
 * ones that repeat, come back in quickly.
 */
export class BoundedMemo<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly limit: number) {}

  get(key: string, compute: () => V): V {
    const known = this.entries.get(key);
    if (known !== undefined) return known;
    const value = compute();
    if (this.entries.size >= this.limit) this.entries.clear();
    this.entries.set(key, value);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
