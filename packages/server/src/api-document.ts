// The OpenAPI document the server serves: the /api/tasks routes generated from the router, with the
// original system's routes merged in under their own tag.
import { compatOpenApiFragment } from './compat/openapi.ts';
import { eventStreamPaths } from './events/openapi.ts';
import { buildOpenApiDocument } from './rest/openapi-document.ts';

export function serverOpenApiDocument() {
  const compat = compatOpenApiFragment();
  return buildOpenApiDocument({ extraPaths: { ...compat.paths, ...eventStreamPaths }, extraTags: compat.tags, extraComponents: compat.components });
}
