import { authRouter } from './routers/auth.ts';
import { tasksRouter } from './routers/tasks.ts';
import { createCallerFactory, router } from './trpc.ts';

export const appRouter = router({
  tasks: tasksRouter,
  auth: authRouter,
});

/** The router's type: all a client needs (`import type`), no server code at runtime. */
export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
