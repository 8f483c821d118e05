import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { errors } from '../../lib/schemas.ts'
import { resolvePeriod, type AnalyticsFilters } from './analytics.filters.ts'
import * as pipeline from './analytics.pipeline.service.ts'
import * as performance from './analytics.performance.service.ts'
import { ChannelsQuery, FunnelQuery, LeadTrendQuery, OverviewQuery, RoiViewsQuery, TeamQuery } from './analytics.schemas.ts'

const tags = ['analytics']
const SCOPE = 'Filters: from/to (inclusive days in CRM_TIME_ZONE; the last 30 days by default), and the campaigns by type, '
  + 'campaignId (with its sub-campaigns) and ownerId (the campaign\'s owner). Leads, opportunities and orders without a campaign '
  + 'are not marketing results and are left out.'

export const analyticsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const filtersOf = (query: { from?: string; to?: string; type?: AnalyticsFilters['type']; campaignId?: string; ownerId?: string }): AnalyticsFilters => ({
    period: resolvePeriod(query, app.config.timeZone),
    type: query.type,
    campaignId: query.campaignId,
    ownerId: query.ownerId,
    timeZone: app.config.timeZone,
  })

  app.get('/analytics/overview', {
    config: { access: 'analytics:read' },
    schema: {
      tags, summary: 'Cost, revenue, ROI, achievement, leads, opportunities and won deals, against the equal period before',
      description: SCOPE, querystring: OverviewQuery, response: { 200: Type.Ref('AnalyticsOverview'), ...errors(400, 401, 403) },
    },
  }, async (request) => performance.overview(app.db, app.pool, filtersOf(request.query), request.query.model ?? 'primary_source'))

  app.get('/analytics/lead-trend', {
    config: { access: 'analytics:read' },
    schema: {
      tags, summary: 'New leads per day, week or month, by campaign type',
      description: SCOPE, querystring: LeadTrendQuery, response: { 200: Type.Ref('AnalyticsLeadTrend'), ...errors(400, 401, 403) },
    },
  }, async (request) => pipeline.leadTrend(app.db, filtersOf(request.query), request.query.interval ?? 'day'))

  app.get('/analytics/channels', {
    config: { access: 'analytics:read' },
    schema: {
      tags, summary: 'Per campaign type: cost, leads, conversion, wins, revenue, cost per lead and per won deal, ROI',
      description: SCOPE, querystring: ChannelsQuery, response: { 200: Type.Ref('AnalyticsChannels'), ...errors(400, 401, 403) },
    },
  }, async (request) => performance.channels(app.db, app.pool, filtersOf(request.query), request.query.model ?? 'primary_source'))

  app.get('/analytics/funnel', {
    config: { access: 'analytics:read' },
    schema: {
      tags, summary: 'Leads → qualified → opportunities → won, with conversion rates, overall, per type or per campaign',
      description: SCOPE, querystring: FunnelQuery, response: { 200: Type.Ref('AnalyticsFunnel'), ...errors(400, 401, 403) },
    },
  }, async (request) => pipeline.funnel(app.db, filtersOf(request.query), request.query.groupBy ?? 'none'))

  app.get('/analytics/team', {
    config: { access: 'analytics:read' },
    schema: {
      tags, summary: 'Per salesperson: leads, opportunities, wins, win rate, revenue, days to win and first-response time',
      description: 'Filters: from/to as elsewhere; type and campaignId narrow to records of those campaigns (without them, '
        + 'records without a campaign count too); ownerId keeps one salesperson.',
      querystring: TeamQuery, response: { 200: Type.Ref('AnalyticsTeam'), ...errors(400, 401, 403) },
    },
  }, async (request) => pipeline.team(app.db, filtersOf(request.query)))

  app.get('/analytics/roi-views', {
    config: { access: 'analytics:read' },
    schema: {
      tags, summary: 'Multi-period ROI: revenue ROI with short-term (lead), medium-term (conversion) and long-term (customer lifetime value) views, in total and per campaign',
      description: SCOPE, querystring: RoiViewsQuery, response: { 200: Type.Ref('AnalyticsRoiViews'), ...errors(400, 401, 403) },
    },
  }, async (request) => performance.roiViews(app.db, app.pool, filtersOf(request.query), request.query.model ?? 'primary_source', request.query.horizonMonths ?? 12))
}
