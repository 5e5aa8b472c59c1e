import { startTestServer, type TestServer } from '@tasks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPAT_ROUTE_METHODS } from './compat-routes.ts';
import { COMPAT_TAG, compatOpenApiFragment } from './openapi.ts';
import { originalClient } from '@tasks/testing';
import { CompatTask } from './task-wire.ts';

const fragment = compatOpenApiFragment();

/** Every `$ref` anywhere in a value. */
function refs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refs);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => (key === '$ref' && typeof inner === 'string' ? [inner] : refs(inner)));
  }
  return [];
}

describe('the OpenAPI fragment of the compatibility routes', () => {
  it('documents every route the plugin registers, under its own tag, with its success and error statuses', () => {
    const paths = fragment.paths as Record<string, Record<string, any>>;
    const documented = Object.entries(paths).flatMap(([path, item]) =>
      Object.keys(item).filter((key) => key !== 'parameters').map((method) => `${method.toUpperCase()} ${path}`),
    );
    const registered = Object.entries(COMPAT_ROUTE_METHODS).flatMap(([url, methods]) =>
      methods.map((method) => `${method} ${url.replace(/:(\w+)/g, '{$1}')}`),
    );
    expect(documented.sort()).toEqual(registered.sort());
    for (const item of Object.values(paths)) {
      for (const [key, op] of Object.entries(item)) {
        if (key === 'parameters') continue;
        expect(op.tags).toEqual([COMPAT_TAG]);
        expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['401', '403']));
      }
    }
    expect(Object.keys(paths['/api/{user_id}/tasks']!.post.responses).sort()).toEqual(['201', '400', '401', '403', '413', '422', '429', '503']);
    expect(Object.keys(paths['/api/{user_id}/tasks/{id}']!.delete.responses)).toContain('204');
    expect(fragment.tags.map((tag) => tag.name)).toEqual([COMPAT_TAG]);
  });

  it('resolves every $ref inside its own components, and each path parameter is declared', () => {
    const schemas = fragment.components.schemas as Record<string, unknown>;
    for (const ref of refs(fragment)) expect(Object.keys(schemas)).toContain(ref.replace('#/components/schemas/', ''));
    for (const [path, item] of Object.entries(fragment.paths) as [string, { parameters: { name: string }[] }][]) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(item.parameters.map((p) => p.name)).toEqual(names);
    }
  });

  it('describes timestamps as date-time strings and the error bodies as {"detail": …}', () => {
    const task = fragment.components.schemas.CompatTask as any;
    expect(task.properties.created_at).toMatchObject({ type: 'string', format: 'date-time' });
    expect(task.required).toEqual(expect.arrayContaining(['id', 'user_id', 'status', 'completed', 'completed_at']));
    expect((fragment.components.schemas.CompatDetailError as any).properties.detail.properties.error.type).toBe('string');
    expect((fragment.components.schemas.CompatValidationError as any).properties.detail.type).toBe('array');
    expect(JSON.stringify(fragment)).not.toContain('$schema');
  });

  it('documents the later fields: in the task (required), and optional in both bodies', () => {
    const schemas = fragment.components.schemas as Record<string, any>;
    const task = schemas.CompatTask;
    expect(task.required).toEqual(expect.arrayContaining(['priority', 'due_date', 'tags']));
    expect(task.properties.priority.enum).toEqual(['low', 'medium', 'high']);
    expect(JSON.stringify(task.properties.due_date)).toContain('date-time');
    expect(task.properties.tags.type).toBe('array');
    for (const body of [schemas.CompatCreateTaskBody, schemas.CompatUpdateTaskBody]) {
      expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(['priority', 'due_date', 'tags']));
      expect(body.required ?? []).not.toContain('priority');
    }
    const sort = (fragment.paths['/api/{user_id}/tasks'].get.parameters as any[]).find((p) => p.name === 'sort');
    expect(sort.schema.enum).toEqual(['', 'priority', 'due_date', '-due_date']);
  });
});

describe('what the server answers matches the schema the fragment is made from', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('created, listed, changed and completed tasks all parse as CompatTask, with no extra field', async () => {
    const call = originalClient(t);
    const as = { as: { user: 'doc' } };
    const created = await call('POST', '/api/doc/tasks', { ...as, body: { title: 'schema' } });
    const changed = await call('PUT', `/api/doc/tasks/${created.json.id}`, { ...as, body: { description: 'd', priority: 'high', due_date: '2026-01-01', tags: ['a'] } });
    expect(changed.status).toBe(200);
    const completed = await call('PATCH', `/api/doc/tasks/${created.json.id}/complete`, as);
    const listed = await call('GET', '/api/doc/tasks', as);
    for (const task of [created.json, changed.json, completed.json, ...listed.json]) {
      expect(CompatTask.strict().safeParse(task).success).toBe(true);
    }
  });
});
