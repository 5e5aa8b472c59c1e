// Opaque keyset cursors: base64url JSON of the last row's sort key. Clients must not build them.
import { InvalidCursor } from './errors.ts';

export interface CreatedAtCursor {
  createdAt: Date;
  id: number;
}

export function encodeCursor(position: CreatedAtCursor): string {
  return Buffer.from(JSON.stringify([position.createdAt.getTime(), position.id])).toString('base64url');
}

export function decodeCursor(cursor: string): CreatedAtCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursor();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw new InvalidCursor();
  const [ms, id] = parsed as unknown[];
  if (!Number.isSafeInteger(ms) || !Number.isInteger(id) || (id as number) < 1 || (id as number) > 2_147_483_647) {
    throw new InvalidCursor();
  }
  const createdAt = new Date(ms as number);
  if (Number.isNaN(createdAt.getTime())) throw new InvalidCursor();
  return { createdAt, id: id as number };
}
