// Peer B, the "raw limit": Fastify 5 + pg.Pool(max 10) + jose HS256, hand-written SQL,
// no validation library, no logger. Adapted to our schema (packages/db migrations) and to our
// semantics, so both servers do the same database work: newest first with the id tie-breaker,
// complete sets (never toggles), updated_at strictly increases, create makes the user's row.
//   PORT=8002 DATABASE_URL=postgres://bench:bench@127.0.0.1:5432/bench AUTH_SECRET=... node server.mjs
// HELLO_ONLY=1 serves only GET /hello (the HTTP-only ceiling).
// Beside /api/tasks it serves the URLs of the bench's other workloads with the same database work:
// /trpc/tasks.list, /trpc/tasks.get and /trpc/tasks.list,tasks.get (httpBatchLink's GET form, the
// calls of a batch run concurrently as tRPC runs them) and the original routes' bare-array list
// GET /api/:user_id/tasks (one page of 100).
import Fastify from 'fastify'
import pg from 'pg'
import { jwtVerify } from 'jose'

const PORT = Number(process.env.PORT ?? 8002)
const HOST = process.env.HOST ?? '127.0.0.1'
const secret = new TextEncoder().encode(process.env.AUTH_SECRET ?? 'bench-secret-0123456789abcdef0123456789abcdef')

const app = Fastify({ logger: false })
app.get('/hello', async () => ({ hello: 'world' }))

if (process.env.HELLO_ONLY !== '1') {
  const pool = new pg.Pool({
    connectionString: process.env.DATABASE_URL ?? 'postgres://bench:bench@127.0.0.1:5432/bench',
    max: Number(process.env.DATABASE_POOL_MAX ?? 10)
  })
  app.addHook('onClose', () => pool.end())

  // Every field our server answers, dueDate (as its YYYY-MM-DD text) and version included.
  const COLS = 'id, user_id, title, description, completed, completed_at, created_at, updated_at, priority, due_at, due_date::text AS due_date, tags, version'
  // As ours: updated_at strictly increases, and every change adds 1 to the version.
  const BUMP = "updated_at = greatest(clock_timestamp(), updated_at + interval '1 millisecond'), version = version + 1"
  const toTask = (r) => ({
    id: r.id,
    userId: r.user_id,
    title: r.title,
    description: r.description,
    completed: r.completed,
    completedAt: r.completed_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    priority: r.priority,
    dueAt: r.due_at,
    dueDate: r.due_date,
    tags: r.tags,
    version: r.version
  })
  const notFound = (reply) => reply.code(404).send({ code: 'NOT_FOUND', message: 'Task not found' })
  const badRequest = (reply, message) => reply.code(400).send({ code: 'BAD_REQUEST', message })
  const parseId = (s) => {
    const n = Number(s)
    return Number.isInteger(n) && n > 0 && n <= 2147483647 ? n : null
  }
  const validTitle = (t) => typeof t === 'string' && t.trim().length > 0 && t.trim().length <= 255
  const validDesc = (d) => d === undefined || d === null || (typeof d === 'string' && d.length <= 5000)

  app.decorateRequest('userId', null)
  app.addHook('onRequest', async (req, reply) => {
    if (!req.url.startsWith('/api/') && !req.url.startsWith('/trpc/')) return
    const h = req.headers.authorization
    if (!h || !h.startsWith('Bearer ')) {
      return reply.code(401).header('www-authenticate', 'Bearer').send({ code: 'UNAUTHORIZED', message: 'Not authenticated' })
    }
    try {
      const { payload } = await jwtVerify(h.slice(7), secret, { algorithms: ['HS256'] })
      if (typeof payload.sub !== 'string' || payload.sub === '') throw new Error('no sub')
      req.userId = payload.sub
    } catch {
      return reply.code(401).header('www-authenticate', 'Bearer').send({ code: 'UNAUTHORIZED', message: 'Invalid token' })
    }
  })

  const listTasks = async (userId, limit) => (await pool.query(
    `SELECT ${COLS} FROM tasks WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`, [userId, limit])).rows.map(toTask)
  const getTask = async (userId, id) => {
    const { rows } = await pool.query(`SELECT ${COLS} FROM tasks WHERE id = $1 AND user_id = $2`, [id, userId])
    return rows.length ? toTask(rows[0]) : null
  }

  app.get('/api/tasks', async (req, reply) => {
    const limit = req.query.limit === undefined ? 20 : Number(req.query.limit)
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return badRequest(reply, 'limit must be 1..100')
    return listTasks(req.userId, limit)
  })

  app.get('/api/:user_id/tasks', async (req, reply) => {
    if (req.params.user_id !== req.userId) return reply.code(403).send({ detail: { error: 'Forbidden' } })
    return listTasks(req.userId, 100)
  })

  const procedures = {
    'tasks.list': async (userId, input) => {
      const limit = input?.limit ?? 20
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) return { status: 400, error: 'limit must be 1..100' }
      return { data: { items: await listTasks(userId, limit), nextCursor: null } }
    },
    'tasks.get': async (userId, input) => {
      const id = parseId(input?.id)
      const task = id === null ? null : await getTask(userId, id)
      return task ? { data: task } : { status: 404, error: 'Task not found' }
    }
  }
  app.get('/trpc/:path', async (req, reply) => {
    let inputs
    try { inputs = JSON.parse(req.query.input ?? '{}') } catch { return badRequest(reply, 'input is not JSON') }
    const names = req.params.path.split(',')
    if (names.some((n) => !procedures[n])) return reply.code(404).send({ code: 'NOT_FOUND', message: 'No such procedure' })
    const results = await Promise.all(names.map((n, i) => procedures[n](req.userId, inputs[i]?.json)))
    const status = results.reduce((s, r) => (r.status && s === 200 ? r.status : s), 200)
    return reply.code(status).send(results.map((r) => (r.error ? { error: { json: { message: r.error, code: -32004 } } } : { result: { data: { json: r.data } } })))
  })

  app.post('/api/tasks', async (req, reply) => {
    const b = req.body
    if (!b || !validTitle(b.title) || !validDesc(b.description)) return badRequest(reply, 'invalid task')
    const { rows } = await pool.query(
      `WITH u AS (INSERT INTO users (id) VALUES ($1) ON CONFLICT DO NOTHING)
       INSERT INTO tasks (user_id, title, description) VALUES ($1, $2, $3) RETURNING ${COLS}`,
      [req.userId, b.title.trim(), b.description ?? null])
    return reply.code(201).header('location', `/api/tasks/${rows[0].id}`).send(toTask(rows[0]))
  })

  app.get('/api/tasks/:id', async (req, reply) => {
    const id = parseId(req.params.id)
    if (id === null) return notFound(reply)
    return (await getTask(req.userId, id)) ?? notFound(reply)
  })

  app.put('/api/tasks/:id', async (req, reply) => {
    const id = parseId(req.params.id)
    if (id === null) return notFound(reply)
    const b = req.body
    if (!b || (b.title !== undefined && !validTitle(b.title)) || !validDesc(b.description) ||
        (b.completed !== undefined && typeof b.completed !== 'boolean')) return badRequest(reply, 'invalid task')
    const { rows } = await pool.query(
      `UPDATE tasks SET title = coalesce($3, title),
              description = CASE WHEN $4::boolean THEN $5 ELSE description END,
              completed = coalesce($6::boolean, completed),
              completed_at = CASE WHEN $6::boolean IS NULL THEN completed_at WHEN $6::boolean THEN coalesce(completed_at, clock_timestamp()) END,
              ${BUMP}
        WHERE id = $1 AND user_id = $2 RETURNING ${COLS}`,
      [id, req.userId, b.title?.trim() ?? null, b.description !== undefined, b.description ?? null, b.completed ?? null])
    return rows.length ? toTask(rows[0]) : notFound(reply)
  })

  app.patch('/api/tasks/:id/complete', async (req, reply) => {
    const id = parseId(req.params.id)
    if (id === null) return notFound(reply)
    const { rows } = await pool.query(
      `UPDATE tasks SET completed = true, completed_at = coalesce(completed_at, clock_timestamp()), ${BUMP}
        WHERE id = $1 AND user_id = $2 RETURNING ${COLS}`, [id, req.userId])
    return rows.length ? toTask(rows[0]) : notFound(reply)
  })

  app.delete('/api/tasks/:id', async (req, reply) => {
    const id = parseId(req.params.id)
    if (id === null) return notFound(reply)
    const { rowCount } = await pool.query('DELETE FROM tasks WHERE id = $1 AND user_id = $2', [id, req.userId])
    return rowCount ? reply.code(204).send() : notFound(reply)
  })
}

const close = async () => { await app.close(); process.exit(0) }
process.on('SIGTERM', close)
process.on('SIGINT', close)

await app.listen({ port: PORT, host: HOST })
console.log(`listening on http://${HOST}:${PORT} (node ${process.version}${process.env.HELLO_ONLY === '1' ? ', hello only' : ''})`)
