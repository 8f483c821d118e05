import { ATTRIBUTION_MODELS, type AttributionModel } from '@yardstick/roi-core'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { errors, IdParams } from '../../lib/schemas.ts'
import {
  CampaignAttributionQuery, ComparisonSchema, CompareQuery, RefreshResultSchema, SettingsSchema, UpdateSettingsBody,
} from './attribution.schemas.ts'
import * as attribution from './attribution.service.ts'

const tags = ['attribution']

export const attributionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/campaigns/:id/attribution', {
    config: { access: 'campaigns:read' },
    schema: {
      tags, summary: 'A campaign\'s revenue, won deals, pipeline and ROI under one attribution model',
      description: 'model defaults to primary_source, whose attributedRevenue is the campaign\'s actualRevenue. '
        + 'from/to (inclusive) select revenue by the date of the unit\'s last confirmed order; pipeline is always current.',
      params: IdParams, querystring: CampaignAttributionQuery,
      response: { 200: Type.Ref('AttributionFigures'), ...errors(400, 401, 403, 404) },
    },
  }, async (request) => {
    const { model = 'primary_source', ...range } = request.query
    return attribution.campaignAttribution(app.db, app.pool, request.params.id, model, range)
  })

  app.get('/attribution/compare', {
    config: { access: 'campaigns:read' },
    schema: {
      tags, summary: 'Every campaign under several attribution models side by side, with per-model totals',
      description: 'The totals cover all campaigns (type only narrows the rows), so every model\'s totalRevenue is the same confirmed revenue.',
      querystring: CompareQuery, response: { 200: ComparisonSchema, ...errors(400, 401, 403) },
    },
  }, async (request) => {
    const { models, ...rest } = request.query
    const chosen = models ? (models.split(',') as AttributionModel[]) : [...ATTRIBUTION_MODELS]
    return attribution.compareModels(app.db, app.pool, { ...rest, models: chosen })
  })

  app.get('/attribution/settings', {
    config: { access: 'campaigns:read' },
    schema: { tags, summary: 'The lookback window and time-decay half-life', response: { 200: SettingsSchema, ...errors(401, 403) } },
  }, async () => attribution.getSettings(app.db))

  app.put('/attribution/settings', {
    config: { access: 'settings:manage' },
    schema: {
      tags, summary: 'Change the lookback window or half-life (admins); every model is recomputed before the answer',
      body: UpdateSettingsBody, response: { 200: SettingsSchema, ...errors(400, 401, 403) },
    },
  }, async (request) => attribution.updateSettings(app.db, app.pool, request.ctx, request.body))

  app.post('/attribution/rebuild', {
    config: { access: 'settings:manage' },
    schema: {
      tags, summary: 'Recompute every model for every opportunity and order (admins)',
      description: 'Never needed for correctness; for after a restore from an old backup, or to time a full recompute.',
      response: { 200: RefreshResultSchema, ...errors(401, 403) },
    },
  }, async () => attribution.refreshAttribution(app.pool, { everything: true }))
}
