import type { components, paths } from '../../api/schema'

// The analytics answers as the server sends them (never written by hand).
type Schemas = components['schemas']
export type Overview = Schemas['AnalyticsOverview']
export type LeadTrend = Schemas['AnalyticsLeadTrend']
export type Channels = Schemas['AnalyticsChannels']
export type Funnel = Schemas['AnalyticsFunnel']
export type Team = Schemas['AnalyticsTeam']
export type RoiViews = Schemas['AnalyticsRoiViews']

export type ChannelRow = Channels['channels'][number]
export type ChannelTotal = Channels['total']
export type FunnelGroup = Funnel['groups'][number]
export type FunnelStage = FunnelGroup['stages'][number]['stage']
export type TeamMember = Team['members'][number]
export type RoiTotal = RoiViews['total']
export type RoiCampaign = RoiViews['campaigns'][number]
export type Period = Overview['period']

type QueryOf<P extends keyof paths> = paths[P] extends { get: { parameters: { query?: infer Q } } } ? NonNullable<Q> : never
export type Interval = NonNullable<QueryOf<'/api/v1/analytics/lead-trend'>['interval']>
export type GroupBy = NonNullable<QueryOf<'/api/v1/analytics/funnel'>['groupBy']>
/** The filters every analytics endpoint takes. */
export type Scope = QueryOf<'/api/v1/analytics/team'>

export const INTERVALS: readonly Interval[] = ['day', 'week', 'month']
export const GROUP_BYS: readonly GroupBy[] = ['none', 'type', 'campaign']
export const FUNNEL_STAGES: readonly FunnelStage[] = ['leads', 'qualified', 'opportunities', 'won']
