import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { restRoutes } from './rest-routes.ts';

const root = join(import.meta.dirname, '..', '..');

describe('the REST route table', () => {
  it('names the procedure each route calls (read from the call itself)', () => {
    expect(restRoutes.map((r) => `${r.method} ${r.path} ${r.successStatus} → ${r.procedure}`)).toEqual([
      'GET /tasks 200 → tasks.list',
      'GET /tasks/stats 200 → tasks.stats',
      'GET /tasks/changes 200 → tasks.changes',
      'GET /tasks/{id} 200 → tasks.get',
      'POST /tasks 201 → tasks.create',
      'POST /tasks/batch 200 → tasks.batch',
      'PATCH /tasks/{id} 200 → tasks.update',
      'PUT /tasks/{id} 200 → tasks.update',
      'PATCH /tasks/{id}/complete 200 → tasks.complete',
      'DELETE /tasks/{id} 204 → tasks.delete',
      'POST /auth/signup 201 → auth.signUp',
      'POST /auth/signin 200 → auth.signIn',
    ]);
    expect(new Set(restRoutes.map((r) => r.operationId)).size).toBe(restRoutes.length);
  });

  it('does not compile an entry whose schemas are not its procedure’s, or that calls another procedure', () => {
    const tsc = join(root, '..', '..', 'node_modules', '.bin', 'tsc');
    const result = spawnSync(tsc, ['--noEmit', '--pretty', 'false', '-p', join(root, 'type-fixtures', 'routes', 'tsconfig.json')], { encoding: 'utf8' });
    const fixture = readFileSync(join(root, 'type-fixtures', 'routes', 'wrong-routes.ts'), 'utf8').split('\n');
    const wrongLines = fixture.flatMap((line, i) => (line.includes('// WRONG') ? [i + 1] : []));
    const errorLines = [...result.stdout.matchAll(/wrong-routes\.ts\((\d+),\d+\): error TS\d+/g)].map((m) => Number(m[1]));
    expect(wrongLines).toHaveLength(6);
    expect([...new Set(errorLines)].sort((a, b) => a - b)).toEqual(wrongLines);
  });
});
