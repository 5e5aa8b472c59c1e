// What trpc-to-openapi is handed instead of the app router itself. Its handler flips `coerce` on
// every number/boolean field of the input schemas it sees, in place (3.3.0, no option to turn it
// off); on the shared schemas that would make tRPC accept "false" for a boolean too. So:
// - the handler's view gives each route a stand-in input (the path parameters as plain strings:
//   enough for routing and its start-up check, nothing to coerce), and its caller decodes the URL
//   text against the real schema (url-input.ts) before calling the real procedure, which validates;
// - the document's view keeps the real input schemas (the generator only reads them).
// Both views have one procedure per REST route (so PUT can reach `update` too), named `rest.<operationId>`.
import { appRouter, createCaller, type Context } from '@tasks/api';
import type { OpenApiMeta, OpenApiRouter } from 'trpc-to-openapi';
import { z } from 'zod';
import { restRoutes, type RestRoute } from './rest-routes.ts';
import { decodeUrlInput } from './url-input.ts';

interface ProcedureDef {
  type: 'query' | 'mutation' | 'subscription';
  meta?: OpenApiMeta;
  inputs: z.core.$ZodType[];
  output?: unknown;
}

const realProcedures = appRouter._def.procedures as unknown as Record<string, { _def: ProcedureDef }>;

export const viewProcedurePath = (route: RestRoute) => `rest.${route.operationId}`;

export function routeForViewPath(path: string | undefined): RestRoute | undefined {
  return restRoutes.find((route) => viewProcedurePath(route) === path);
}

function realDef(route: RestRoute): ProcedureDef {
  const procedure = realProcedures[route.procedure];
  if (!procedure) throw new Error(`REST route ${route.method} ${route.path} names a missing procedure ${route.procedure}`);
  return procedure._def;
}

/** The real input schema of a route's procedure (read-only: the document reads its meta and tries values). */
export function routeInputSchema(route: RestRoute): z.ZodType | undefined {
  return realDef(route).inputs[0] as z.ZodType | undefined;
}

function viewProcedure(route: RestRoute, inputs: z.core.$ZodType[]) {
  const def = realDef(route);
  const openapi: NonNullable<OpenApiMeta['openapi']> = {
    ...def.meta?.openapi,
    method: route.method,
    path: route.path,
    operationId: route.operationId,
    summary: route.summary,
    tags: route.tags,
    // Error responses are written by openapi-document.ts with the REST error schema.
    errorResponses: {},
  };
  return { _def: { ...def, meta: { ...def.meta, openapi }, inputs } };
}

function view(procedures: Record<string, unknown>, createCallerFn: (ctx: Context) => unknown): OpenApiRouter {
  return { ...appRouter, _def: { ...appRouter._def, procedures }, createCaller: createCallerFn } as unknown as OpenApiRouter;
}

/** The router the REST handler serves: stand-in inputs, and a caller that decodes URL text. */
export function createHandlerView(): OpenApiRouter {
  const procedures = Object.fromEntries(
    restRoutes.map((route) => [
      viewProcedurePath(route),
      viewProcedure(route, [z.object(Object.fromEntries(route.pathParams.map((name) => [name, z.string()])))]),
    ]),
  );
  return view(procedures, (ctx) => {
    const real = createCaller(ctx) as unknown as Record<string, Record<string, (input: unknown) => Promise<unknown>>>;
    const rest: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const route of restRoutes) {
      const [namespace, name] = route.procedure.split('.') as [string, string];
      const schema = realDef(route).inputs[0];
      const queryFromUrl = route.method === 'GET' || route.method === 'DELETE';
      rest[route.operationId] = (input) =>
        real[namespace]![name]!(decodeUrlInput(schema, input, { pathParams: route.pathParams, queryFromUrl }));
    }
    return { rest };
  });
}

/** The router the OpenAPI document is generated from: the real input and output schemas. */
export function createDocumentView(): OpenApiRouter {
  const procedures = Object.fromEntries(restRoutes.map((route) => [viewProcedurePath(route), viewProcedure(route, realDef(route).inputs)]));
  return view(procedures, () => {
    throw new Error('the document view is not callable');
  });
}
