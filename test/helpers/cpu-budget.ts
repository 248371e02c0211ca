/**
 * CPU-time budgets, for tests that an operation is linear in the size of its input: run it at a
 * size where a quadratic cost would take tens of seconds, and require it to finish within a
 * budget some ten times what it takes when linear. CPU time of this process, not wall-clock
 * time: other processes on a loaded machine do not count.
 */
import * as assert from 'node:assert/strict';

/** CPU time (user + system, in ms) this process spends in `run()`. */
export function cpuMs(run: () => void): number {
  const before = process.cpuUsage();
  run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/** Run `run()` and assert it takes less than `budgetMs` of CPU time; returns the time taken. */
export function assertCpuBudget(label: string, budgetMs: number, run: () => void): number {
  const ms = cpuMs(run);
  assert.ok(ms < budgetMs, `${label}: ${ms.toFixed(0)} ms of CPU time, over the budget of ${budgetMs} ms (a quadratic cost at this size takes far longer)`);
  return ms;
}
