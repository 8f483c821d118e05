import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { errors, IdParams } from '../../lib/schemas.ts'
import { ContactRoleParams, PutContactRoleBody } from './contact-roles.schemas.ts'
import * as contactRoles from './contact-roles.service.ts'

const tags = ['opportunities']
const ContactRole = Type.Ref('ContactRole')

export const contactRolesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/opportunities/:id/contact-roles', {
    config: { access: 'opportunities:read' },
    schema: {
      tags, summary: 'The contacts of an opportunity and their roles, primary first',
      params: IdParams, response: { 200: Type.Object({ items: Type.Array(ContactRole) }), ...errors(400, 401, 403, 404) },
    },
  }, async (request) => ({ items: await contactRoles.listContactRoles(app.db, request.params.id) }))

  app.post('/opportunities/:id/contact-roles', {
    config: { access: 'opportunities:write' },
    schema: {
      tags, summary: 'Add a contact to an opportunity, or change its role',
      description: 'Answers 201 when the contact is added and 200 when its role changes. Its touches count for the opportunity\'s attribution.',
      params: IdParams, body: PutContactRoleBody, response: { 200: ContactRole, 201: ContactRole, ...errors(400, 401, 403, 404) },
    },
  }, async (request, reply) => {
    const { contactRole, created } = await contactRoles.putContactRole(app.db, request.ctx, request.params.id, request.body)
    return reply.status(created ? 201 : 200).send(contactRole)
  })

  app.delete('/opportunities/:id/contact-roles/:contactId', {
    config: { access: 'opportunities:write' },
    schema: {
      tags, summary: 'Remove a contact from an opportunity',
      params: ContactRoleParams, response: { 204: Type.Null(), ...errors(400, 401, 403, 404) },
    },
  }, async (request, reply) => {
    await contactRoles.deleteContactRole(app.db, request.ctx, request.params.id, request.params.contactId)
    return reply.status(204).send(null)
  })
}
