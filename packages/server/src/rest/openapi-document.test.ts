import SwaggerParser from '@apidevtools/swagger-parser';
import { startTestServer, type TestServer } from '@tasks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from './openapi-document.ts';

let t: TestServer;
let document: any;
beforeAll(async () => {
  t = await startTestServer();
  const response = await fetch(`${t.url}/openapi.json`);
  expect(response.status).toBe(200);
  document = await response.json();
});
afterAll(async () => {
  await t?.close();
});

describe('/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document (swagger-parser, no errors)', async () => {
    expect(document.openapi).toBe('3.1.0');
    // validate() dereferences in place: give it a copy.
    await expect(SwaggerParser.validate(structuredClone(document))).resolves.toBeTruthy();
  });

  it('describes every /api/tasks route with bearer security (the original routes come from the compat fragment)', () => {
    const operations = Object.entries(document.paths).filter(([path]) => path.startsWith('/api/tasks')).flatMap(([path, item]) =>
      Object.entries(item as object).map(([method, op]) => [`${method.toUpperCase()} ${path}`, op] as const),
    );
    expect(operations.map(([name]) => name).sort()).toEqual(
      [
        'DELETE /api/tasks/{id}',
        'GET /api/tasks',
        'GET /api/tasks/changes',
        'GET /api/tasks/events',
        'GET /api/tasks/stats',
        'GET /api/tasks/{id}',
        'PATCH /api/tasks/{id}',
        'PATCH /api/tasks/{id}/complete',
        'POST /api/tasks',
        'POST /api/tasks/batch',
        'PUT /api/tasks/{id}',
      ].sort(),
    );
    expect(document.components.securitySchemes.Authorization).toEqual({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    for (const [, operation] of operations) expect(operation.security).toEqual([{ Authorization: [] }]);
  });

  it('says 201 + Location for create and 204 for delete, not the generated 200', () => {
    const create = document.paths['/api/tasks'].post.responses;
    expect(create['200']).toBeUndefined();
    expect(create['201'].headers.Location).toBeDefined();
    const remove = document.paths['/api/tasks/{id}'].delete.responses;
    expect(Object.keys(remove)).toContain('204');
    expect(remove['204'].content).toBeUndefined();
  });

  it('documents error responses with the ApiError schema and an example', () => {
    const get = document.paths['/api/tasks/{id}'].get.responses;
    for (const status of ['400', '401', '404', '429', '503']) {
      expect(get[status].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ApiError' });
      expect(get[status].content['application/json'].example.code).toEqual(expect.any(String));
    }
    expect(get['401'].headers['WWW-Authenticate']).toBeDefined();
    expect(document.paths['/api/tasks'].post.responses['415']).toBeDefined();
    expect(document.components.schemas.ApiError.required).toEqual(['code', 'message']);
  });

  it('gives timestamps format date-time, examples, and an optional body for complete', () => {
    const task = document.components.schemas.Task;
    expect(task.properties.createdAt).toMatchObject({ type: 'string', format: 'date-time' });
    expect(task.example.title).toEqual(expect.any(String));
    expect(document.paths['/api/tasks'].post.requestBody.content['application/json'].example).toMatchObject({ title: expect.any(String) });
    expect(document.paths['/api/tasks/{id}/complete'].patch.requestBody.required).toBe(false);
    const limit = document.paths['/api/tasks'].get.parameters.find((p: { name: string }) => p.name === 'limit');
    expect(limit.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100, default: 20 });
  });

  it('describes query parameters as a URL carries them: no null, and how several values are sent', () => {
    const parameters = document.paths['/api/tasks'].get.parameters as Array<{ name: string; schema: object; description?: string }>;
    const named = (name: string) => parameters.find((p) => p.name === name)!;
    // `cursor: null` is not something a query string can say; generated clients sent `cursor=null`.
    expect(named('cursor').schema).toEqual({ type: 'string', minLength: 1, maxLength: 4096 });
    expect(JSON.stringify(parameters)).not.toContain('"null"');
    expect(named('priority').description).toMatch(/priority=low,medium.*mean the same/);
    expect(named('tag').description).toMatch(/tag=a,b.*refused with a 400/);
    expect(named('q').description).toBeUndefined();
  });
});

describe('buildOpenApiDocument extension hook', () => {
  it('adds another surface\'s paths, tags and components, and the result still validates', async () => {
    const extended = buildOpenApiDocument({
      extraPaths: {
        '/api/{user_id}/tasks': {
          get: {
            tags: ['original'],
            operationId: 'legacyListTasks',
            parameters: [{ in: 'path', name: 'user_id', required: true, schema: { type: 'string' } }],
            responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/LegacyTask' } } } } },
          },
        },
      },
      extraTags: [{ name: 'original', description: 'The original system\'s routes' }],
      extraComponents: { schemas: { LegacyTask: { type: 'object', properties: { status: { type: 'string' } } } } },
    });
    expect(extended.tags.map((tag: { name: string }) => tag.name)).toEqual(['tasks', 'auth', 'original']);
    expect(extended.paths['/api/{user_id}/tasks'].get.operationId).toBe('legacyListTasks');
    expect(extended.paths['/api/tasks']).toBeDefined();
    expect(extended.components.schemas.Task).toBeDefined();
    await expect(SwaggerParser.validate(extended as never)).resolves.toBeTruthy();
    expect(() => buildOpenApiDocument({ extraPaths: { '/api/tasks': {} } })).toThrow(/already/);
  });
});
