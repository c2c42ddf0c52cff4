import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startLoop } from "./loop";

describe("startLoop", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** A pass that takes `ms` of (fake) time and counts how many run at once. */
  function slowPass(ms: number) {
    const state = { started: 0, running: 0, most: 0 };
    const pass = async () => {
      state.started++;
      state.running++;
      state.most = Math.max(state.most, state.running);
      await new Promise((r) => setTimeout(r, ms));
      state.running--;
    };
    return { state, pass };
  }

  it("runs a first pass early, then one per interval, never two at once", async () => {
    const { state, pass } = slowPass(250);
    const loop = startLoop({ everyMs: 100, firstAfterMs: 10, pass, onError: () => {} });
    await vi.advanceTimersByTimeAsync(10);
    expect(state.started).toBe(1);
    // Ticks at 100 and 200 fall inside the first pass (10–260) and are dropped; 300 starts one.
    await vi.advanceTimersByTimeAsync(290);
    expect(state.started).toBe(2);
    expect(state.most).toBe(1);
    loop.stop();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(state.started).toBe(2);
  });

  it("with `again`, a trigger during a pass runs one more right after it (several triggers: one)", async () => {
    const { state, pass } = slowPass(50);
    const loop = startLoop({ everyMs: 10_000, again: true, pass, onError: () => {} });
    loop.trigger();
    loop.trigger();
    loop.trigger();
    expect(state.started).toBe(1);
    await vi.advanceTimersByTimeAsync(50);
    expect(state.started).toBe(2);
    await vi.advanceTimersByTimeAsync(200);
    expect(state.started).toBe(2);
    expect(state.most).toBe(1);
    loop.stop();
  });

  it("drops a trigger during a pass without `again`; reports a failed pass and runs the next on time", async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const loop = startLoop({
      everyMs: 100,
      pass: async () => {
        calls++;
        if (calls === 1) throw new Error("database away");
      },
      onError: (e) => errors.push(e),
    });
    await vi.advanceTimersByTimeAsync(100);
    expect(errors).toEqual([new Error("database away")]);
    await vi.advanceTimersByTimeAsync(100);
    expect(calls).toBe(2);
    loop.stop();
    loop.trigger();
    expect(calls).toBe(2);
  });
});
