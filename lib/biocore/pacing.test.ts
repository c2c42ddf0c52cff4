import { describe, expect, it } from "vitest";
import { INGEST_BUSY_MS, MAX_PAUSE_MS, pauseBeforeNextBatch } from "./pacing";

describe("the recommendation worker's pacing", () => {
  it("keeps its busy time to the share while ingestion is busy", () => {
    // 100 ms of work at a quarter of the clock: 300 ms of pause, so 100 of every 400 ms.
    expect(pauseBeforeNextBatch(100, 0.25, 0)).toBe(300);
    expect(pauseBeforeNextBatch(100, 0.5, INGEST_BUSY_MS - 1)).toBe(100);
    expect(pauseBeforeNextBatch(30, 0.1, 10)).toBe(270);
  });

  it("drains at full speed once ingestion is quiet, or with pacing off", () => {
    expect(pauseBeforeNextBatch(100, 0.25, INGEST_BUSY_MS)).toBe(0);
    expect(pauseBeforeNextBatch(100, 0.25, Number.POSITIVE_INFINITY)).toBe(0);
    expect(pauseBeforeNextBatch(100, 1, 0)).toBe(0);
    expect(pauseBeforeNextBatch(0, 0.25, 0)).toBe(0);
  });

  it("never parks the worker longer than the bound", () => {
    expect(pauseBeforeNextBatch(10_000, 0.25, 0)).toBe(MAX_PAUSE_MS);
  });
});
