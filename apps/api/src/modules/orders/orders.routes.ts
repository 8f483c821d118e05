import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { sortDirection } from '../../lib/list-query.ts'
import { moneyField } from '../../lib/money-input.ts'
import { errors, IdParams, Page } from '../../lib/schemas.ts'
import { CreateOrderBody, OrderListQuery, OrderSchema, UpdateOrderBody } from './orders.schemas.ts'
import * as orders from './orders.service.ts'

const tags = ['orders']

export const ordersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/orders', {
    config: { access: 'orders:read' },
    schema: { tags, summary: 'List orders', querystring: OrderListQuery, response: { 200: Page(OrderSchema), ...errors(400, 401, 403) } },
  }, async (request) => {
    const { limit = 50, offset = 0, sort, order, ...filter } = request.query
    return orders.listOrders(app.db, { ...filter, sort, order: sortDirection(sort, order), limit, offset })
  })

  app.post('/orders', {
    config: { access: 'orders:write' },
    schema: {
      tags, summary: 'Enter an order',
      description: 'A confirmed order adds its amount to its campaign\'s actual revenue at once. With an opportunity, the order is credited to the opportunity\'s campaign.',
      body: CreateOrderBody, response: { 201: OrderSchema, ...errors(400, 401, 403, 409) },
    },
  }, async (request, reply) => {
    const { amount, ...rest } = request.body
    const order = await orders.createOrder(app.db, request.ctx, { ...rest, amountCents: moneyField('amount', amount) })
    return reply.status(201).send(order)
  })

  app.get('/orders/:id', {
    config: { access: 'orders:read' },
    schema: { tags, summary: 'Get an order', params: IdParams, response: { 200: OrderSchema, ...errors(400, 401, 403, 404) } },
  }, async (request) => orders.getOrder(app.db, request.params.id))

  app.patch('/orders/:id', {
    config: { access: 'orders:write' },
    schema: {
      tags, summary: 'Edit an order', description: 'A new amount or campaign moves the revenue exactly.',
      params: IdParams, body: UpdateOrderBody, response: { 200: OrderSchema, ...errors(400, 401, 403, 404) },
    },
  }, async (request) => {
    const { amount, ...rest } = request.body
    return orders.updateOrder(app.db, request.ctx, request.params.id, {
      ...rest,
      ...(amount !== undefined ? { amountCents: moneyField('amount', amount) } : {}),
    })
  })

  app.post('/orders/:id/cancel', {
    config: { access: 'orders:write' },
    schema: {
      tags, summary: 'Cancel an order', description: 'Its amount leaves its campaign\'s actual revenue.',
      params: IdParams, response: { 200: OrderSchema, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (request) => orders.cancelOrder(app.db, request.ctx, request.params.id))

  app.delete('/orders/:id', {
    config: { access: 'orders:write' },
    schema: { tags, summary: 'Delete an order', params: IdParams, response: { 204: Type.Null(), ...errors(400, 401, 403, 404) } },
  }, async (request, reply) => {
    await orders.deleteOrder(app.db, request.ctx, request.params.id)
    return reply.status(204).send(null)
  })
}
