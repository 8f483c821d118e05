import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { sortDirection } from '../../lib/list-query.ts'
import { errors, IdParams, Page } from '../../lib/schemas.ts'
import { ContactListQuery, CreateContactBody, UpdateContactBody } from './contacts.schemas.ts'
import * as contacts from './contacts.service.ts'

const tags = ['contacts']
const Contact = Type.Ref('Contact')

export const contactsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/contacts', {
    config: { access: 'contacts:read' },
    schema: { tags, summary: 'List contacts', querystring: ContactListQuery, response: { 200: Page(Contact), ...errors(400, 401, 403) } },
  }, async (request) => {
    const { limit = 50, offset = 0, sort, order, ...filter } = request.query
    return contacts.listContacts(app.db, { ...filter, sort, order: sortDirection(sort, order), limit, offset })
  })

  app.post('/contacts', {
    config: { access: 'contacts:write' },
    schema: { tags, summary: 'Create a contact', body: CreateContactBody, response: { 201: Contact, ...errors(400, 401, 403) } },
  }, async (request, reply) => reply.status(201).send(await contacts.createContact(app.db, request.ctx, request.body)))

  app.get('/contacts/:id', {
    config: { access: 'contacts:read' },
    schema: {
      tags, summary: 'Get a contact with how many opportunities name it',
      params: IdParams, response: { 200: Contact, ...errors(400, 401, 403, 404) },
    },
  }, async (request) => contacts.getContact(app.db, request.params.id))

  app.patch('/contacts/:id', {
    config: { access: 'contacts:write' },
    schema: { tags, summary: 'Update a contact', params: IdParams, body: UpdateContactBody, response: { 200: Contact, ...errors(400, 401, 403, 404) } },
  }, async (request) => contacts.updateContact(app.db, request.ctx, request.params.id, request.body))

  app.delete('/contacts/:id', {
    config: { access: 'contacts:write' },
    schema: {
      tags, summary: 'Delete a contact', description: 'Refused (409) while converted leads or opportunities point at it.',
      params: IdParams, response: { 204: Type.Null(), ...errors(400, 401, 403, 404, 409) },
    },
  }, async (request, reply) => {
    await contacts.deleteContact(app.db, request.ctx, request.params.id)
    return reply.status(204).send(null)
  })
}
