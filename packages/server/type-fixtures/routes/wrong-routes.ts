// Compiled by rest-routes.test.ts, which expects exactly the lines marked WRONG to fail to type-check:
// a route table entry whose schemas are not its procedure's, or whose procedure is not the one meant.
import { CompleteTaskInput, CreateTaskInput, DeleteTaskResult, Task, TaskIdInput, TaskPage, UpdateTaskInput } from '@tasks/api';
import { restRoute } from '../../src/rest/rest-routes.ts';

const base = { method: 'PATCH', path: '/tasks/{id}', operationId: 'x', summary: 'x', successStatus: 200 } as const;

export const right = restRoute({ ...base, input: UpdateTaskInput, output: Task, procedure: (caller) => caller.tasks.update });

export const wrong = [
  restRoute({ ...base, input: CompleteTaskInput, output: Task, procedure: (caller) => caller.tasks.update }), // WRONG: a narrower input schema
  restRoute({ ...base, input: UpdateTaskInput, output: Task, procedure: (caller) => caller.tasks.complete }), // WRONG: another procedure
  restRoute({ ...base, input: TaskIdInput, output: TaskPage, procedure: (caller) => caller.tasks.get }), // WRONG: another output schema
  restRoute({ ...base, input: TaskIdInput, output: DeleteTaskResult, procedure: (caller) => caller.tasks.get }), // WRONG: another output schema
  restRoute({ ...base, input: CreateTaskInput, output: Task, procedure: (caller) => caller.tasks.create, location: (task) => task.nope }), // WRONG: no such field
  restRoute({ ...base, input: TaskIdInput, output: Task, procedure: (caller) => caller.tasks.fetch }), // WRONG: no such procedure
];
