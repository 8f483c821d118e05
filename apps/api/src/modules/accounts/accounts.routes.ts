import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { sortDirection } from '../../lib/list-query.ts'
import { errors, IdParams, Page } from '../../lib/schemas.ts'
import { AccountListQuery, CreateAccountBody, UpdateAccountBody } from './accounts.schemas.ts'
import * as accounts from './accounts.service.ts'

const tags = ['accounts']
const Account = Type.Ref('Account')

export const accountsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/accounts', {
    config: { access: 'accounts:read' },
    schema: { tags, summary: 'List accounts', querystring: AccountListQuery, response: { 200: Page(Account), ...errors(400, 401, 403) } },
  }, async (request) => {
    const { limit = 50, offset = 0, sort, order, ...filter } = request.query
    return accounts.listAccounts(app.db, { ...filter, sort, order: sortDirection(sort, order), limit, offset })
  })

  app.post('/accounts', {
    config: { access: 'accounts:write' },
    schema: { tags, summary: 'Create an account', body: CreateAccountBody, response: { 201: Account, ...errors(400, 401, 403) } },
  }, async (request, reply) => reply.status(201).send(await accounts.createAccount(app.db, request.ctx, request.body)))

  app.get('/accounts/:id', {
    config: { access: 'accounts:read' },
    schema: {
      tags, summary: 'Get an account with how many contacts, opportunities and orders it has',
      params: IdParams, response: { 200: Account, ...errors(400, 401, 403, 404) },
    },
  }, async (request) => accounts.getAccount(app.db, request.params.id))

  app.patch('/accounts/:id', {
    config: { access: 'accounts:write' },
    schema: { tags, summary: 'Update an account', params: IdParams, body: UpdateAccountBody, response: { 200: Account, ...errors(400, 401, 403, 404) } },
  }, async (request) => accounts.updateAccount(app.db, request.ctx, request.params.id, request.body))

  app.delete('/accounts/:id', {
    config: { access: 'accounts:write' },
    schema: {
      tags, summary: 'Delete an account', description: 'Refused (409) while contacts, converted leads, opportunities or orders point at it.',
      params: IdParams, response: { 204: Type.Null(), ...errors(400, 401, 403, 404, 409) },
    },
  }, async (request, reply) => {
    await accounts.deleteAccount(app.db, request.ctx, request.params.id)
    return reply.status(204).send(null)
  })
}
