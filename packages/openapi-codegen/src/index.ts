// openapi-typescript needs the TypeScript 5 compiler API, which TypeScript 7 (the project's
// typechecker) no longer ships as JavaScript. It lives in this package, alone with its TypeScript 5,
// because a TypeScript 5 anywhere near the server would make pnpm install a second copy of every
// package that peers on TypeScript (@trpc/server among them: two TRPCError classes).
import openapiTS, { astToString } from 'openapi-typescript';

/** TypeScript types (`paths`, `components`, `operations`) for an OpenAPI 3.x document. */
export async function openApiTypes(document: object, header = ''): Promise<string> {
  return `${header}${astToString(await openapiTS(document as never))}`;
}
