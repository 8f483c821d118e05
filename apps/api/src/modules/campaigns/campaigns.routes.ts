import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { today } from '../../lib/dates.ts'
import { sortDirection } from '../../lib/list-query.ts'
import { errors, IdParams, Page } from '../../lib/schemas.ts'
import { CampaignListQuery, CampaignRoiSchema, CreateCampaignBody, UpdateCampaignBody } from './campaigns.schemas.ts'
import * as campaigns from './campaigns.service.ts'

const tags = ['campaigns']
const Campaign = Type.Ref('Campaign')

export const campaignsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/campaigns', {
    config: { access: 'campaigns:read' },
    schema: {
      tags, summary: 'List campaigns with their actual revenue, achievement and ROI',
      description: 'Sortable by any headline figure (sort=roi, achievement, actualRevenue, …); campaigns whose figure is undefined come last.',
      querystring: CampaignListQuery, response: { 200: Page(Campaign), ...errors(400, 401, 403) },
    },
  }, async (request) => {
    const { limit = 50, offset = 0, sort, order, ...filter } = request.query
    return campaigns.listCampaigns(app.db, { ...filter, sort, order: sortDirection(sort, order), limit, offset })
  })

  app.post('/campaigns', {
    config: { access: 'campaigns:write' },
    schema: { tags, summary: 'Create a campaign', body: CreateCampaignBody, response: { 201: Campaign, ...errors(400, 401, 403, 409) } },
  }, async (request, reply) => reply.status(201).send(await campaigns.createCampaign(app.db, request.ctx, request.body, today(app.config.timeZone))))

  app.get('/campaigns/:id', {
    config: { access: 'campaigns:read' },
    schema: { tags, summary: 'Get a campaign with its headline figures', params: IdParams, response: { 200: Campaign, ...errors(400, 401, 403, 404) } },
  }, async (request) => campaigns.getCampaign(app.db, request.params.id))

  app.get('/campaigns/:id/roi', {
    config: { access: 'campaigns:read' },
    schema: {
      tags, summary: 'The campaign\'s ROI view: revenue, achievement, ROI, leads, opportunities, orders and unit costs',
      params: IdParams, response: { 200: CampaignRoiSchema, ...errors(400, 401, 403, 404) },
    },
  }, async (request) => campaigns.getCampaignRoi(app.db, request.params.id))

  app.patch('/campaigns/:id', {
    config: { access: 'campaigns:write' },
    schema: { tags, summary: 'Update a campaign', params: IdParams, body: UpdateCampaignBody, response: { 200: Campaign, ...errors(400, 401, 403, 404, 409) } },
  }, async (request) => campaigns.updateCampaign(app.db, request.ctx, request.params.id, request.body))

  app.delete('/campaigns/:id', {
    config: { access: 'campaigns:write' },
    schema: {
      tags, summary: 'Delete a campaign', description: 'Refused (409) while sub-campaigns, leads, opportunities, orders, campaign members or touchpoints point at it.',
      params: IdParams, response: { 204: Type.Null(), ...errors(400, 401, 403, 404, 409) },
    },
  }, async (request, reply) => {
    await campaigns.deleteCampaign(app.db, request.ctx, request.params.id)
    return reply.status(204).send(null)
  })
}
