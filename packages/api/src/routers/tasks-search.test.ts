import { createTestDatabase, type TestDatabase } from '@tasks/testing/database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInnerContext } from '../context.ts';
import { createCaller } from '../router.ts';

let database: TestDatabase;
const as = (userId: string) => createCaller(createInnerContext({ db: database.db, userId }));
const ids = (page: { items: Array<{ id: number }> }) => page.items.map((t) => t.id);

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.destroy();
});

describe('search: ranked full-text matches', () => {
  it('a title match ranks above a description-only match; unrelated tasks are left out', async () => {
    const user = as('searcher');
    const inDescription = await user.tasks.create({ title: 'Call the accountant', description: 'ask about the supplier invoice' });
    const inTitle = await user.tasks.create({ title: 'Pay supplier invoice', description: 'before Friday' });
    await user.tasks.create({ title: 'Water the plants', description: 'the big ones too' });
    expect(ids(await user.tasks.list({ q: 'invoice' }))).toEqual([inTitle.id, inDescription.id]);
  });

  it('matches word forms (stemming), needs every word, and honours -exclusion and "phrases"', async () => {
    const user = as('stemmer');
    const running = await user.tasks.create({ title: 'Running shoes for the marathon' });
    const runs = await user.tasks.create({ title: 'Plan weekly runs', description: 'marathon training schedule' });
    await user.tasks.create({ title: 'Buy shoes' });
    expect(new Set(ids(await user.tasks.list({ q: 'run' })))).toEqual(new Set([running.id, runs.id]));
    expect(ids(await user.tasks.list({ q: 'run shoes' }))).toEqual([running.id]);
    expect(ids(await user.tasks.list({ q: 'marathon -shoes' }))).toEqual([runs.id]);
    expect(ids(await user.tasks.list({ q: '"training schedule"' }))).toEqual([runs.id]);
    expect(ids(await user.tasks.list({ q: '"schedule training"' }))).toEqual([]);
  });

  it('ranked results page by cursor: equal ranks broken by id, every match once', async () => {
    const user = as('ranked-pager');
    const strong: number[] = [];
    const weak: number[] = [];
    for (let i = 0; i < 7; i++) strong.push((await user.tasks.create({ title: 'Renew passport', description: 'passport photos' })).id);
    for (let i = 0; i < 6; i++) weak.push((await user.tasks.create({ title: 'Trip admin', description: 'check passport' })).id);
    await user.tasks.create({ title: 'Unrelated' });
    const seen: number[] = [];
    let cursor: string | null | undefined;
    do {
      const page = await user.tasks.list({ q: 'passport', limit: 4, cursor });
      seen.push(...ids(page));
      cursor = page.nextCursor;
    } while (cursor);
    const desc = (list: number[]) => [...list].sort((a, b) => b - a);
    expect(seen).toEqual([...desc(strong), ...desc(weak)]);
  });

  it('an explicit sort orders matches by that sort instead of relevance', async () => {
    const user = as('sorted-search');
    const b = await user.tasks.create({ title: 'bravo report', dueAt: new Date('2030-01-02T00:00:00Z') });
    const a = await user.tasks.create({ title: 'alpha', description: 'report', dueAt: new Date('2030-01-01T00:00:00Z') });
    const c = await user.tasks.create({ title: 'charlie report' });
    expect(ids(await user.tasks.list({ q: 'report', sort: 'title' }))).toEqual([a.id, b.id, c.id]);
    expect(ids(await user.tasks.list({ q: 'report', sort: 'dueAt', order: 'desc' }))).toEqual([b.id, a.id, c.id]);
    expect(ids(await user.tasks.list({ q: 'report', sort: 'createdAt' }))).toEqual([c.id, a.id, b.id]);
  });

  it('only stop words match nothing rather than failing', async () => {
    await as('stop').tasks.create({ title: 'the and of' });
    expect(await as('stop').tasks.list({ q: 'the' })).toEqual({ items: [], nextCursor: null });
  });

  it("never finds another user's tasks", async () => {
    await as('private-writer').tasks.create({ title: 'Confidential merger memo' });
    expect(await as('curious').tasks.list({ q: 'merger' })).toEqual({ items: [], nextCursor: null });
  });
});
