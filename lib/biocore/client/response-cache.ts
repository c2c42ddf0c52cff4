// Last good /recommend answer per request key, bounded LRU. An entry is fresh for the answer's
// max-age and otherwise only a stale fallback, served (marked) while BioCore fails.
import type { BioCoreResponse } from "../contract";

export interface CacheEntry {
  response: BioCoreResponse;
  storedAtMs: number;
  freshUntilMs: number;
}

export class ResponseCache {
  private readonly entries = new Map<string, CacheEntry>();

  constructor(
    private readonly maxEntries: number,
    private readonly maxStaleMs: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** A fresh entry, or undefined. */
  fresh(key: string, nowMs: number): CacheEntry | undefined {
    const entry = this.touch(key);
    return entry && nowMs < entry.freshUntilMs ? entry : undefined;
  }

  /** Any entry young enough to stand in for a failed call. */
  stale(key: string, nowMs: number): CacheEntry | undefined {
    const entry = this.touch(key);
    if (!entry) return undefined;
    if (nowMs - entry.storedAtMs > this.maxStaleMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  store(key: string, response: BioCoreResponse, nowMs: number, maxAgeSeconds: number): void {
    this.entries.delete(key);
    this.entries.set(key, { response, storedAtMs: nowMs, freshUntilMs: nowMs + maxAgeSeconds * 1000 });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  private touch(key: string): CacheEntry | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }
}
