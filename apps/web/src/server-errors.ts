// What the server said when it refused a call, in the shape the forms show: a message, and each
// field issue keyed by the input field it names (the server's errorFormatter sends `data.issues`).

export interface Refusal {
  message: string;
  /** Field path (`title`, `tags.0`) → message. */
  fields: Record<string, string>;
  code: string | undefined;
}

interface TrpcErrorLike {
  message: string;
  data?: { code?: string; issues?: Array<{ path: string; message: string }> } | null;
}

function isTrpcErrorLike(error: unknown): error is TrpcErrorLike {
  return error instanceof Error && 'data' in error;
}

export function describeRefusal(error: unknown): Refusal {
  if (!isTrpcErrorLike(error)) {
    // fetch's own failure: the server could not be reached at all.
    return { message: 'The server could not be reached; check your connection and try again', fields: {}, code: undefined };
  }
  const fields: Record<string, string> = {};
  for (const issue of error.data?.issues ?? []) {
    // The first issue per field is the one to fix first.
    fields[issue.path] ??= issue.message;
  }
  const issues = Object.values(fields);
  return { message: issues.length ? issues.join('; ') : error.message, fields, code: error.data?.code ?? undefined };
}

/** A field's message, also for issues on one of its items (`tags.3` → `tags`). */
export function fieldMessage(refusal: Refusal | null | undefined, field: string): string | undefined {
  if (!refusal) return undefined;
  const key = Object.keys(refusal.fields).find((path) => path === field || path.startsWith(`${field}.`));
  return key ? refusal.fields[key] : undefined;
}
