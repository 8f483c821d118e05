import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errors } from '../../lib/schemas.ts'
import { RollupVerificationSchema } from './rollups.schemas.ts'
import * as rollups from './rollups.service.ts'

const tags = ['admin']

export const rollupsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/admin/rollups/verify', {
    config: { access: 'settings:manage' },
    schema: {
      tags, summary: 'Compare stored campaign revenue with a recompute from the orders',
      description: 'Lists only the campaigns that drift; ok is true when none does.',
      response: { 200: RollupVerificationSchema, ...errors(401, 403) },
    },
  }, async () => rollups.verifyRollups(app.db))

  app.post('/admin/rollups/rebuild', {
    config: { access: 'settings:manage' },
    schema: {
      tags, summary: 'Recompute every campaign\'s revenue from its confirmed orders and store it',
      description: 'Order writes wait while it runs. Returns the verification made afterwards.',
      response: { 200: RollupVerificationSchema, ...errors(401, 403) },
    },
  }, async (request) => rollups.rebuildRollups(app.db, request.ctx))
}
