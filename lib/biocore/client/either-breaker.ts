// Opens the circuit when any of its breakers would: consecutive failures or a failure rate.
// cockatiel takes one IBreaker per circuit, so this composes them.
import type { CircuitState, IBreaker } from "cockatiel";

export class EitherBreaker implements IBreaker {
  constructor(private readonly parts: readonly IBreaker[]) {}

  get state(): unknown {
    return this.parts.map((part) => part.state);
  }

  set state(value: unknown) {
    if (!Array.isArray(value)) return;
    this.parts.forEach((part, i) => {
      part.state = value[i];
    });
  }

  success(state: CircuitState): void {
    for (const part of this.parts) part.success(state);
  }

  failure(state: CircuitState): boolean {
    // Every part must see every failure, so no short-circuiting.
    let open = false;
    for (const part of this.parts) open = part.failure(state) || open;
    return open;
  }
}
