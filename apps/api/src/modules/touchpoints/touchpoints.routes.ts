import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { errors, IdParams, Page } from '../../lib/schemas.ts'
import { CreateTouchpointBody, TouchpointBatchBody, TouchpointBatchResult, TouchpointListQuery } from './touchpoints.schemas.ts'
import * as touchpoints from './touchpoints.service.ts'

const tags = ['touchpoints']
const BATCH_BODY_LIMIT_BYTES = 16 * 1024 * 1024
const Touchpoint = Type.Ref('Touchpoint')

export const touchpointsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/touchpoints', {
    config: { access: 'campaigns:read' },
    schema: {
      tags, summary: 'List touchpoints, newest first',
      description: 'personId with personType=contact includes the touches of the lead the contact was converted from.',
      querystring: TouchpointListQuery, response: { 200: Page(Touchpoint), ...errors(400, 401, 403) },
    },
  }, async (request) => {
    const { limit = 50, offset = 0, ...filter } = request.query
    return touchpoints.listTouchpoints(app.db, { ...filter, limit, offset })
  })

  app.post('/touchpoints', {
    config: { access: 'touchpoints:write' },
    schema: {
      tags, summary: 'Record one touchpoint',
      description: 'Idempotent by externalId: sending a stored externalId again answers 200 with the stored touch. '
        + 'A touch of a converted lead is stored as its contact\'s (leadId keeps the lead).',
      body: CreateTouchpointBody, response: { 200: Touchpoint, 201: Touchpoint, ...errors(400, 401, 403) },
    },
  }, async (request, reply) => {
    const { touchpoint, created } = await touchpoints.createTouchpoint(app.db, request.ctx, request.body)
    return reply.status(created ? 201 : 200).send(touchpoint)
  })

  app.post('/touchpoints/batch', {
    config: { access: 'touchpoints:write' },
    // 10,000 touches with metadata outgrow the default body limit.
    bodyLimit: BATCH_BODY_LIMIT_BYTES,
    schema: {
      tags, summary: 'Record up to 10,000 touchpoints, all or nothing',
      description: 'Idempotent by externalId: touches already stored are counted as existing and left as they were. '
        + 'Any bad touch fails the whole batch with 400, naming touchpoints[i].field.',
      body: TouchpointBatchBody, response: { 200: TouchpointBatchResult, ...errors(400, 401, 403, 413) },
    },
  }, async (request) => touchpoints.createTouchpointBatch(app.db, request.ctx, request.body.touchpoints))

  app.get('/touchpoints/:id', {
    config: { access: 'campaigns:read' },
    schema: { tags, summary: 'Get a touchpoint', params: IdParams, response: { 200: Touchpoint, ...errors(400, 401, 403, 404) } },
  }, async (request) => touchpoints.getTouchpoint(app.db, request.params.id))

  app.delete('/touchpoints/:id', {
    config: { access: 'touchpoints:write' },
    schema: { tags, summary: 'Delete a touchpoint', params: IdParams, response: { 204: Type.Null(), ...errors(400, 401, 403, 404) } },
  }, async (request, reply) => {
    await touchpoints.deleteTouchpoint(app.db, request.ctx, request.params.id)
    return reply.status(204).send(null)
  })
}
