// Table types as PostgreSQL stores them (snake_case); queries alias them to the API's camelCase.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface UsersTable {
  id: string;
  created_at: Generated<Date>;
}

export interface TasksTable {
  id: Generated<number>;
  user_id: string;
  title: string;
  description: string | null;
  completed: Generated<boolean>;
  completed_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface Database {
  users: UsersTable;
  tasks: TasksTable;
}

export type TaskRow = Selectable<TasksTable>;
export type NewTaskRow = Insertable<TasksTable>;
export type TaskRowUpdate = Updateable<TasksTable>;
