import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { errors, IdParams, Page } from '../../lib/schemas.ts'
import {
  AddMemberBody, BulkAddBody, BulkAddResponse, BulkStatusBody, BulkStatusResponse, CampaignMemberDetailSchema, FlowParams, MAX_BULK,
  MemberListQuery, MemberParams, MemberStatusFlowList, MemberSummarySchema, UpdateFlowBody, UpdateMemberBody,
} from './campaign-members.schemas.ts'
import * as members from './campaign-members.service.ts'

const tags = ['campaign-members']
const CampaignMember = Type.Ref('CampaignMember')
const MemberStatusFlow = Type.Ref('MemberStatusFlow')

export const campaignMembersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/member-status-flows', {
    config: { access: 'campaigns:read' },
    schema: {
      tags, summary: 'The member status flow of every campaign type, statuses in funnel order',
      response: { 200: MemberStatusFlowList, ...errors(401, 403) },
    },
  }, async () => members.listFlows(app.db))

  app.put('/member-status-flows/:campaignType', {
    config: { access: 'settings:manage' },
    schema: {
      tags, summary: 'Replace the member status flow of a campaign type',
      description: 'The statuses in funnel order; new members start at the first. '
        + 'Removing a status that members of campaigns of this type still have is refused (409).',
      params: FlowParams, body: UpdateFlowBody, response: { 200: MemberStatusFlow, ...errors(400, 401, 403, 409) },
    },
  }, async (request) => members.replaceFlow(app.db, request.ctx, request.params.campaignType, request.body.statuses))

  app.get('/campaigns/:id/members', {
    config: { access: 'campaigns:read' },
    schema: {
      tags, summary: 'List the members of a campaign, newest first',
      params: IdParams, querystring: MemberListQuery, response: { 200: Page(CampaignMember), ...errors(400, 401, 403, 404) },
    },
  }, async (request) => {
    const { limit = 50, offset = 0, ...filter } = request.query
    return members.listMembers(app.db, request.params.id, { ...filter, limit, offset })
  })

  app.get('/campaigns/:id/members/summary', {
    config: { access: 'campaigns:read' },
    schema: {
      tags, summary: 'The campaign\'s member funnel: how many members have each status, in flow order',
      params: IdParams, response: { 200: MemberSummarySchema, ...errors(400, 401, 403, 404) },
    },
  }, async (request) => members.summarize(app.db, request.params.id))

  app.post('/campaigns/:id/members', {
    config: { access: 'campaigns:write' },
    schema: {
      tags, summary: 'Add a lead or a contact to a campaign',
      description: 'A responded status records the member\'s touchpoint at once.',
      params: IdParams, body: AddMemberBody, response: { 201: CampaignMember, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (request, reply) => reply.status(201).send(await members.addMember(app.db, request.ctx, request.params.id, request.body)))

  app.post('/campaigns/:id/members/bulk', {
    config: { access: 'campaigns:write' },
    schema: {
      tags, summary: `Add up to ${MAX_BULK} leads or contacts to a campaign, all or nothing`,
      description: 'Send exactly one of personIds and filter. People already members are counted and left as they were; '
        + `an unknown id fails the whole request, naming personIds[i]; a filter matching more than ${MAX_BULK} people is refused.`,
      params: IdParams, body: BulkAddBody, response: { 200: BulkAddResponse, ...errors(400, 401, 403, 404, 413) },
    },
  }, async (request) => members.addMembers(app.db, request.ctx, request.params.id, request.body))

  app.post('/campaigns/:id/members/bulk-status', {
    config: { access: 'campaigns:write' },
    schema: {
      tags, summary: 'Move several members to one status, all or nothing',
      description: 'Members already at the status are left as they were. An id that is not a member of the campaign fails the whole request, naming memberIds[i].',
      params: IdParams, body: BulkStatusBody, response: { 200: BulkStatusResponse, ...errors(400, 401, 403, 404, 413) },
    },
  }, async (request) => members.updateMemberStatuses(app.db, request.ctx, request.params.id, request.body.memberIds, request.body.status))

  app.get('/campaigns/:id/members/:memberId', {
    config: { access: 'campaigns:read' },
    schema: {
      tags, summary: 'Get a member with every status it has had',
      params: MemberParams, response: { 200: CampaignMemberDetailSchema, ...errors(400, 401, 403, 404) },
    },
  }, async (request) => members.getMember(app.db, request.params.id, request.params.memberId))

  app.patch('/campaigns/:id/members/:memberId', {
    config: { access: 'campaigns:write' },
    schema: {
      tags, summary: 'Change a member\'s status',
      description: 'The first time a member reaches a responded status its touchpoint is recorded, at the time of the change; later responses add none.',
      params: MemberParams, body: UpdateMemberBody, response: { 200: CampaignMember, ...errors(400, 401, 403, 404) },
    },
  }, async (request) => members.updateMemberStatus(app.db, request.ctx, request.params.id, request.params.memberId, request.body.status))

  app.delete('/campaigns/:id/members/:memberId', {
    config: { access: 'campaigns:write' },
    schema: {
      tags, summary: 'Remove a member from a campaign', description: 'Its history and its touchpoint go with it.',
      params: MemberParams, response: { 204: Type.Null(), ...errors(400, 401, 403, 404) },
    },
  }, async (request, reply) => {
    await members.removeMember(app.db, request.ctx, request.params.id, request.params.memberId)
    return reply.status(204).send(null)
  })
}
