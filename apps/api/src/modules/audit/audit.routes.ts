import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { errors, Page, PageQuery, Timestamp } from '../../lib/schemas.ts'
import { listAudit } from './audit.service.ts'

const AuditEntry = Type.Object({
  id: Type.Integer(),
  occurredAt: Timestamp,
  actorUserId: Type.Union([Type.String(), Type.Null()]),
  actorTokenId: Type.Union([Type.String(), Type.Null()]),
  actorLabel: Type.String(),
  entity: Type.String(),
  entityId: Type.String(),
  action: Type.String(),
  changes: Type.Record(Type.String(), Type.Object({ before: Type.Unknown(), after: Type.Unknown() })),
  requestId: Type.Union([Type.String(), Type.Null()]),
})

const AuditQuery = Type.Object({
  entity: Type.Optional(Type.String({ maxLength: 100 })),
  entityId: Type.Optional(Type.String({ maxLength: 100 })),
  actorUserId: Type.Optional(Type.String({ format: 'uuid' })),
  action: Type.Optional(Type.String({ maxLength: 100 })),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  ...PageQuery,
}, { additionalProperties: false })

export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/audit', {
    config: { access: 'audit:read' },
    schema: {
      tags: ['audit'], summary: 'The audit log: who changed what, when, with before/after values',
      querystring: AuditQuery, response: { 200: Page(AuditEntry), ...errors(400, 401, 403) },
    },
  }, async (request) => {
    const { limit = 50, offset = 0, ...filter } = request.query
    return listAudit(app.db, { ...filter, limit, offset })
  })
}
