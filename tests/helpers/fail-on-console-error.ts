import { afterEach, vi } from 'vitest';

// An unexpected console.error is a defect: fail the test that caused it.
// A test that expects one spies on console.error itself, which replaces this spy.
const unexpected: unknown[][] = [];
const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
  unexpected.push(args);
});

afterEach(() => {
  const seen = unexpected.splice(0);
  spy.mockClear();
  if (seen.length > 0)
    throw new Error(`unexpected console.error: ${seen.map((a) => a.join(' ')).join('\n')}`);
});
