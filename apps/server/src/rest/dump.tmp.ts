import { buildOpenApiDocument } from './openapi-document.ts';
console.log(JSON.stringify(buildOpenApiDocument(), null, 1));
