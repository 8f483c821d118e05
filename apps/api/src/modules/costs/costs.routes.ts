import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { errors, IdParams } from '../../lib/schemas.ts'
import { CostListQuery, CostListSchema, CostParams, CreateCostBody, UpdateCostBody } from './costs.schemas.ts'
import * as costs from './costs.service.ts'

const tags = ['costs']
const CostEntry = Type.Ref('CostEntry')
const LEDGER = 'A campaign\'s actualCost is the sum of its cost entries; every write changes it in the same transaction.'

export const costsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/campaigns/:id/costs', {
    config: { access: 'costs:read' },
    schema: {
      tags, summary: 'A campaign\'s cost ledger, newest first, with the sum and the split by category',
      params: IdParams, querystring: CostListQuery, response: { 200: CostListSchema, ...errors(400, 401, 403, 404) },
    },
  }, async (request) => {
    const { limit = 50, offset = 0, ...filter } = request.query
    return costs.listCosts(app.db, { ...filter, campaignId: request.params.id, limit, offset })
  })

  app.post('/campaigns/:id/costs', {
    config: { access: 'costs:write' },
    schema: {
      tags, summary: 'Add a cost entry', description: LEDGER,
      params: IdParams, body: CreateCostBody, response: { 201: CostEntry, ...errors(400, 401, 403, 404) },
    },
  }, async (request, reply) => reply.status(201).send(await costs.createCost(app.db, request.ctx, request.params.id, request.body)))

  app.get('/campaigns/:id/costs/:costId', {
    config: { access: 'costs:read' },
    schema: { tags, summary: 'Get a cost entry', params: CostParams, response: { 200: CostEntry, ...errors(400, 401, 403, 404) } },
  }, async (request) => costs.getCost(app.db, request.params.id, request.params.costId))

  app.patch('/campaigns/:id/costs/:costId', {
    config: { access: 'costs:write' },
    schema: {
      tags, summary: 'Change a cost entry', description: LEDGER,
      params: CostParams, body: UpdateCostBody, response: { 200: CostEntry, ...errors(400, 401, 403, 404) },
    },
  }, async (request) => costs.updateCost(app.db, request.ctx, request.params.id, request.params.costId, request.body))

  app.delete('/campaigns/:id/costs/:costId', {
    config: { access: 'costs:write' },
    schema: {
      tags, summary: 'Remove a cost entry', description: LEDGER,
      params: CostParams, response: { 204: Type.Null(), ...errors(400, 401, 403, 404) },
    },
  }, async (request, reply) => {
    await costs.deleteCost(app.db, request.ctx, request.params.id, request.params.costId)
    return reply.status(204).send(null)
  })
}
