import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { sortDirection } from '../../lib/list-query.ts'
import { errors, IdParams, Page } from '../../lib/schemas.ts'
import {
  BulkAssignBody, BulkAssignResponse, ConvertLeadBody, ConvertLeadResponse, CreateLeadBody, LeadListQuery, UpdateLeadBody,
} from './leads.schemas.ts'
import * as leads from './leads.service.ts'

const tags = ['leads']
const Lead = Type.Ref('Lead')

export const leadsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/leads', {
    config: { access: 'leads:read' },
    schema: { tags, summary: 'List leads', querystring: LeadListQuery, response: { 200: Page(Lead), ...errors(400, 401, 403) } },
  }, async (request) => {
    const { limit = 50, offset = 0, sort, order, ...filter } = request.query
    return leads.listLeads(app.db, { ...filter, sort, order: sortDirection(sort, order), limit, offset })
  })

  app.post('/leads', {
    config: { access: 'leads:write' },
    schema: { tags, summary: 'Record a lead', body: CreateLeadBody, response: { 201: Lead, ...errors(400, 401, 403) } },
  }, async (request, reply) => reply.status(201).send(await leads.createLead(app.db, request.ctx, request.body)))

  app.post('/leads/bulk-assign', {
    config: { access: 'leads:write' },
    schema: {
      tags, summary: 'Hand several leads to one owner', description: 'All or nothing: an unknown lead id fails the whole request.',
      body: BulkAssignBody, response: { 200: BulkAssignResponse, ...errors(400, 401, 403) },
    },
  }, async (request) => leads.assignLeads(app.db, request.ctx, request.body.leadIds, request.body.ownerId))

  app.get('/leads/:id', {
    config: { access: 'leads:read' },
    schema: { tags, summary: 'Get a lead', params: IdParams, response: { 200: Lead, ...errors(400, 401, 403, 404) } },
  }, async (request) => leads.getLead(app.db, request.params.id))

  app.patch('/leads/:id', {
    config: { access: 'leads:write' },
    schema: {
      tags, summary: 'Update a lead', description: 'Status converted is only set by POST /leads/:id/convert; disqualified needs a disqualifiedReason.',
      params: IdParams, body: UpdateLeadBody, response: { 200: Lead, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (request) => leads.updateLead(app.db, request.ctx, request.params.id, request.body))

  app.delete('/leads/:id', {
    config: { access: 'leads:write' },
    schema: {
      tags, summary: 'Delete a lead', description: 'Refused (409) once an opportunity came from it.',
      params: IdParams, response: { 204: Type.Null(), ...errors(400, 401, 403, 404, 409) },
    },
  }, async (request, reply) => {
    await leads.deleteLead(app.db, request.ctx, request.params.id)
    return reply.status(204).send(null)
  })

  // Conversion hands the lead to the sales pipeline (it creates accounts, contacts and
  // opportunities), so it needs the sales-side permission rather than leads:write.
  app.post('/leads/:id/convert', {
    config: { access: 'opportunities:write' },
    schema: {
      tags,
      summary: 'Convert a lead into an account, a contact and optionally an opportunity',
      description: [
        'Reuses the account (accountId) and contact (contactId) when given, else creates them from the lead.',
        'The opportunity starts in prospecting with the lead\'s campaign as its source. All or nothing.',
        'Needs opportunities:write (sales and admins).',
      ].join(' '),
      params: IdParams, body: ConvertLeadBody, response: { 200: ConvertLeadResponse, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (request) => leads.convertLead(app.db, request.ctx, request.params.id, request.body))
}
