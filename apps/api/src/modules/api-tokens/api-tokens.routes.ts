import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { invalidField } from '../../errors.ts'
import { errors, IdParams } from '../../lib/schemas.ts'
import { ApiTokenListQuery, ApiTokenSchema, CreateApiTokenBody } from './api-tokens.schemas.ts'
import * as tokens from './api-tokens.service.ts'

const tags = ['api-tokens']
const ApiToken = Type.Ref('ApiToken')

export const apiTokensRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api-tokens', {
    config: { access: 'api-tokens:manage' },
    schema: { tags, summary: 'List API tokens', querystring: ApiTokenListQuery, response: { 200: Type.Object({ items: Type.Array(ApiToken) }), ...errors(401, 403) } },
  }, async (request) => ({ items: await tokens.listApiTokens(app.db, request.query.includeRevoked ?? false) }))

  app.post('/api-tokens', {
    config: { access: 'api-tokens:manage' },
    schema: {
      tags, summary: 'Create an API token for an integrator',
      description: 'The token carries a role and is sent as Authorization: Bearer <token>. The secret is in this response only.',
      body: CreateApiTokenBody,
      response: { 201: Type.Intersect([ApiTokenSchema, Type.Object({ token: Type.String() })]), ...errors(400, 401, 403) },
    },
  }, async (request, reply) => {
    if (request.body.expiresAt && new Date(request.body.expiresAt) <= new Date()) throw invalidField('expiresAt', 'must be in the future')
    return reply.status(201).send(await tokens.createApiToken(app.db, request.ctx, request.body))
  })

  app.delete('/api-tokens/:id', {
    config: { access: 'api-tokens:manage' },
    schema: { tags, summary: 'Revoke an API token', params: IdParams, response: { 200: ApiToken, ...errors(400, 401, 403, 404, 409) } },
  }, async (request) => tokens.revokeApiToken(app.db, request.ctx, request.params.id))
}
