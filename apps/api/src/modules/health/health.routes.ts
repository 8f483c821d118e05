import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { sql } from 'kysely'
import Type from 'typebox'

const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  db: Type.Union([Type.Literal('up'), Type.Literal('down')]),
  version: Type.String(),
})

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', {
    config: { access: 'public', rateLimit: false },
    schema: { tags: ['health'], summary: 'Liveness and database reachability', security: [], response: { 200: Health, 503: Health } },
  }, async (_request, reply) => {
    try {
      await sql`SELECT 1`.execute(app.db)
      return { status: 'ok' as const, db: 'up' as const, version: app.appVersion }
    } catch {
      return reply.status(503).send({ status: 'unavailable' as const, db: 'down' as const, version: app.appVersion })
    }
  })
}
