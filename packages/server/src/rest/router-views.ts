// What trpc-to-openapi's document generator is handed instead of the app router itself: one
// procedure per REST route (so PUT can reach `update` too), named `rest.<operationId>`, with the real
// input and output schemas (the generator only reads them). Requests are served by rest-api.ts, not
// by trpc-to-openapi's handler, which flips `coerce` on the shared schemas in place (3.3.0) and costs
// a Request, a URL and a caller per call.
import { appRouter } from '@tasks/api';
import type { OpenApiMeta, OpenApiRouter } from 'trpc-to-openapi';
import { z } from 'zod';
import { restRoutes, type RestRoute } from './rest-routes.ts';

interface ProcedureDef {
  type: 'query' | 'mutation' | 'subscription';
  meta?: OpenApiMeta;
  inputs: z.core.$ZodType[];
  output?: unknown;
}

const realProcedures = appRouter._def.procedures as unknown as Record<string, { _def: ProcedureDef }>;

export const viewProcedurePath = (route: RestRoute) => `rest.${route.operationId}`;

function realDef(route: RestRoute): ProcedureDef {
  const procedure = realProcedures[route.procedure];
  if (!procedure) throw new Error(`REST route ${route.method} ${route.path} names a missing procedure ${route.procedure}`);
  return procedure._def;
}

/** The real input schema of a route's procedure (read-only: the document reads its meta and tries values). */
export function routeInputSchema(route: RestRoute): z.ZodType | undefined {
  return realDef(route).inputs[0] as z.ZodType | undefined;
}

/** The output schema of a route's procedure (what its result is validated against). */
export function routeOutputSchema(route: RestRoute): z.core.$ZodType | undefined {
  return realDef(route).output as z.core.$ZodType | undefined;
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

/** The router the OpenAPI document is generated from: the real input and output schemas. */
export function createDocumentView(): OpenApiRouter {
  const procedures = Object.fromEntries(restRoutes.map((route) => [viewProcedurePath(route), viewProcedure(route, realDef(route).inputs)]));
  return { ...appRouter, _def: { ...appRouter._def, procedures } } as unknown as OpenApiRouter;
}
