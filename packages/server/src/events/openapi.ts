// GET /api/tasks/events in the OpenAPI document: a text/event-stream, written by hand (the route
// table's routes are JSON in, JSON out) and merged beside the generated paths.
const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } },
});

export const eventStreamPaths = {
  '/api/tasks/events': {
    get: {
      operationId: 'streamTaskEvents',
      summary: 'Your task changes as they commit (Server-Sent Events)',
      description:
        'Each event is `event: change`, `id:` a sync token, `data:` a task (as GET answers it) or `{ id, deleted: true, deletedAt }`. ' +
        'Reconnect with `Last-Event-ID` (or `?lastEventId=`) to resume without a gap; comment lines are heartbeats. ' +
        'A browser EventSource, which cannot send headers, may pass the token as `?access_token=`.',
      tags: ['tasks'],
      security: [{ Authorization: [] }],
      parameters: [
        { name: 'lastEventId', in: 'query', required: false, schema: { type: 'string' }, description: 'Resume after this event id (or a changes page token)' },
        { name: 'access_token', in: 'query', required: false, schema: { type: 'string' }, description: 'The bearer token, for clients that cannot send headers' },
      ],
      responses: {
        200: { description: 'The stream', content: { 'text/event-stream': { schema: { type: 'string' } } } },
        400: error('The resumption token is not one this server made'),
        401: error('Missing or invalid bearer token'),
        410: error('The resumption token is older than the retention of changes: resync through GET /api/tasks/changes without a token'),
        429: error('Too many open event streams for this user or on this server (with `Retry-After`)'),
        503: error('The server is shutting down or the database is unreachable; reconnect'),
      },
    },
  },
};
