/**
 * ETag and last answer of the platform's searches, per URL (conditional requests, issue 17):
 * in memory, bounded, least recently used dropped first. A 304 answers a copy of the kept body,
 * so a caller changing what it got never changes what the next 304 answers.
 */
export interface Validated {
  etag: string;
  body: unknown;
}

export class ConditionalCache {
  private readonly entries = new Map<string, Validated>();
  /** Answers served from a 304 (the tests and the bench read it). */
  hits = 0;

  constructor(private readonly capacity = 256) {}

  get(key: string): Validated | undefined {
    return this.entries.get(key);
  }

  set(key: string, etag: string, body: unknown): void {
    this.entries.delete(key);
    this.entries.set(key, { etag, body });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  reuse<T>(key: string, known: Validated): T {
    // Most recently used goes last (kept longest).
    this.entries.delete(key);
    this.entries.set(key, known);
    this.hits++;
    return structuredClone(known.body) as T;
  }
}
