import { describe, expect, it } from "vitest";
import { turns } from "./turns";

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe("turns", () => {
  it("gives at most `atOnce` turns at a time, the next to whoever has waited longest, as each is given back", async () => {
    const gate = turns({ atOnce: 2, waiting: 10 });
    const order: number[] = [];
    const givers = new Map<number, () => void>();
    const callers = Array.from({ length: 5 }, (_, n) => gate.take().then((giveBack) => (order.push(n), givers.set(n, giveBack))));
    await settled();
    expect(order).toEqual([0, 1]);
    givers.get(1)!();
    await settled();
    expect(order).toEqual([0, 1, 2]);
    // Giving a turn back twice frees one turn, not two.
    givers.get(1)!();
    await settled();
    expect(order).toEqual([0, 1, 2]);
    givers.get(0)!();
    givers.get(2)!();
    await Promise.all(callers);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it("is full only when every turn is taken and `waiting` callers wait", async () => {
    const gate = turns({ atOnce: 1, waiting: 2 });
    const first = await gate.take();
    expect(gate.isFull()).toBe(false);
    const waiters = [gate.take(), gate.take()];
    expect(gate.isFull()).toBe(true);
    first();
    expect(gate.isFull()).toBe(false);
    await Promise.all(waiters.map((waiter) => waiter.then((giveBack) => giveBack())));
    expect(gate.isFull()).toBe(false);
  });
});
