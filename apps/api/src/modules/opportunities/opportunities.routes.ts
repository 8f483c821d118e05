import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { sortDirection } from '../../lib/list-query.ts'
import { moneyField } from '../../lib/money-input.ts'
import { errors, IdParams, Page } from '../../lib/schemas.ts'
import { OrderSchema } from '../orders/orders.schemas.ts'
import {
  CreateOpportunityBody, LoseOpportunityBody, OpportunityListQuery, OpportunitySchema, UpdateOpportunityBody, WinOpportunityBody,
} from './opportunities.schemas.ts'
import * as opportunities from './opportunities.service.ts'

const tags = ['opportunities']

export const opportunitiesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/opportunities', {
    config: { access: 'opportunities:read' },
    schema: { tags, summary: 'List opportunities', querystring: OpportunityListQuery, response: { 200: Page(OpportunitySchema), ...errors(400, 401, 403) } },
  }, async (request) => {
    const { limit = 50, offset = 0, sort, order, ...filter } = request.query
    return opportunities.listOpportunities(app.db, { ...filter, sort, order: sortDirection(sort, order), limit, offset })
  })

  app.post('/opportunities', {
    config: { access: 'opportunities:write' },
    schema: {
      tags, summary: 'Create an opportunity', description: 'Without a probability, the stage\'s default applies.',
      body: CreateOpportunityBody, response: { 201: OpportunitySchema, ...errors(400, 401, 403) },
    },
  }, async (request, reply) => {
    const { amount, ...rest } = request.body
    const created = await opportunities.createOpportunity(app.db, request.ctx, {
      ...rest,
      ...(amount !== undefined ? { amountCents: moneyField('amount', amount) } : {}),
    })
    return reply.status(201).send(created)
  })

  app.get('/opportunities/:id', {
    config: { access: 'opportunities:read' },
    schema: { tags, summary: 'Get an opportunity', params: IdParams, response: { 200: OpportunitySchema, ...errors(400, 401, 403, 404) } },
  }, async (request) => opportunities.getOpportunity(app.db, request.params.id))

  app.patch('/opportunities/:id', {
    config: { access: 'opportunities:write' },
    schema: {
      tags, summary: 'Edit an opportunity',
      description: 'A new stage without a probability takes the stage\'s default. Won and lost go through /win and /lose. A new campaign takes the revenue of the opportunity\'s orders with it.',
      params: IdParams, body: UpdateOpportunityBody, response: { 200: OpportunitySchema, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (request) => {
    const { amount, ...rest } = request.body
    return opportunities.updateOpportunity(app.db, request.ctx, request.params.id, {
      ...rest,
      ...(amount !== undefined ? { amountCents: moneyField('amount', amount) } : {}),
    })
  })

  app.delete('/opportunities/:id', {
    config: { access: 'opportunities:write' },
    schema: {
      tags, summary: 'Delete an opportunity', description: 'Its orders stay, credited to the same campaign.',
      params: IdParams, response: { 204: Type.Null(), ...errors(400, 401, 403, 404) },
    },
  }, async (request, reply) => {
    await opportunities.deleteOpportunity(app.db, request.ctx, request.params.id)
    return reply.status(204).send(null)
  })

  app.post('/opportunities/:id/win', {
    config: { access: 'opportunities:write' },
    schema: {
      tags, summary: 'Win an opportunity and enter its order',
      description: 'Sets the stage to won (probability 100) and creates a confirmed order credited to the opportunity\'s campaign, for orderAmount (default: the opportunity\'s amount). Returns the order.',
      params: IdParams, body: WinOpportunityBody, response: { 201: OrderSchema, ...errors(400, 401, 403, 404, 409) },
    },
    // The body is optional: a bare POST wins with the opportunity's amount, today.
    preValidation: async (request) => {
      request.body ??= {}
    },
  }, async (request, reply) => {
    const { orderAmount, orderDate } = request.body
    const order = await opportunities.winOpportunity(app.db, request.ctx, request.params.id, {
      ...(orderAmount !== undefined ? { orderAmountCents: moneyField('orderAmount', orderAmount) } : {}),
      ...(orderDate !== undefined ? { orderDate } : {}),
    })
    return reply.status(201).send(order)
  })

  app.post('/opportunities/:id/lose', {
    config: { access: 'opportunities:write' },
    schema: {
      tags, summary: 'Lose an opportunity', description: 'Sets the stage to lost (probability 0) with the reason.',
      params: IdParams, body: LoseOpportunityBody, response: { 200: OpportunitySchema, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (request) => opportunities.loseOpportunity(app.db, request.ctx, request.params.id, request.body.reason))
}
