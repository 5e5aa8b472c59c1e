import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { answers, checkOutput } from './output-contract.ts';
import { Task, TaskPage } from './schemas.ts';

const task: Task = {
  id: 1,
  userId: 'u1',
  title: 'Buy milk',
  description: null,
  completed: false,
  completedAt: null,
  createdAt: new Date('2026-01-15T09:30:00.000Z'),
  updatedAt: new Date('2026-01-15T09:30:00.000Z'),
  priority: 'medium',
  dueAt: null,
  dueDate: '2026-01-16',
  tags: ['errands'],
  version: 1,
};

describe('output contract', () => {
  it('passes an answer that is exactly the schema through as the same object', async () => {
    const page = { items: [task], nextCursor: null };
    expect(() => checkOutput(TaskPage, page)).not.toThrow();
    // The suites run with TASKS_CHECK_OUTPUT=1 (vitest.config.ts), so this call checks too.
    expect(process.env.TASKS_CHECK_OUTPUT).toBe('1');
    expect(await answers(TaskPage, () => page)(undefined)).toBe(page);
  });

  it('fails on a field of the wrong type', async () => {
    expect(() => checkOutput(Task, { ...task, createdAt: '2026-01-15T09:30:00.000Z' })).toThrow(/createdAt/);
    await expect(answers(Task, async () => ({ ...task, version: '1' }) as unknown as Task)(undefined)).rejects.toThrow(/version/);
  });

  it('fails on a field the schema does not have, naming where it is, instead of stripping it', () => {
    expect(() => checkOutput(TaskPage, { items: [task, { ...task, rank: 3 }], nextCursor: null })).toThrow('Output field items[1].rank is not in the output schema');
    expect(() => checkOutput(z.object({ user: z.object({ id: z.string() }) }), { user: { id: 'a', passwordHash: 'x' } })).toThrow('user.passwordHash');
  });
});
