// Code generated from an OpenAPI document, for the REST contract tests: types (openapi-typescript)
// and a fetch client (@hey-api/openapi-ts). Both build their output with the TypeScript 5 compiler
// API, which TypeScript 7 (the project's typechecker) no longer ships as JavaScript. They live in this
// package, alone with its TypeScript 5, because a TypeScript 5 anywhere near the server would make
// pnpm install a second copy of every package that peers on TypeScript (@trpc/server among them: two
// TRPCError classes).
import { createClient } from '@hey-api/openapi-ts';
import openapiTS, { astToString } from 'openapi-typescript';

/** TypeScript types (`paths`, `components`, `operations`) for an OpenAPI 3.x document. */
export async function openApiTypes(document: object, header = ''): Promise<string> {
  return `${header}${astToString(await openapiTS(document as never))}`;
}

/**
 * A fetch client for an OpenAPI 3.x document, as @hey-api/openapi-ts writes it into `outputDir`: one
 * function per operation (`sdk.gen.ts`), their types (`types.gen.ts`) and the client they call
 * (`client/`), with `.ts` import suffixes so Node and Vite load them as they are.
 */
export async function heyApiClient(document: object, outputDir: string): Promise<void> {
  await createClient({
    input: document,
    output: { path: outputDir, importFileExtension: '.ts' },
    plugins: ['@hey-api/client-fetch', '@hey-api/typescript', '@hey-api/sdk'],
    logs: { level: 'silent' },
  });
}
