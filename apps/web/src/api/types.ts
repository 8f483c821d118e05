import type { components, paths } from './schema'

// Record types as the server sends them, named once for the pages (never written by hand).
type Json<P extends keyof paths, M extends 'get' | 'post' | 'patch', S extends number> =
  paths[P][M] extends { responses: { [K in S]: { content: { 'application/json': infer T } } } } ? T : never
type Query<P extends keyof paths> = paths[P] extends { get: { parameters: { query?: infer Q } } } ? NonNullable<Q> : never
type Body<P extends keyof paths, M extends 'post' | 'patch'> =
  paths[P][M] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never

export type User = components['schemas']['User']
export type ApiToken = components['schemas']['ApiToken']
export type Campaign = components['schemas']['Campaign']
export type CampaignRoi = Json<'/api/v1/campaigns/{id}/roi', 'get', 200>
export type Lead = components['schemas']['Lead']
export type Account = components['schemas']['Account']
export type Contact = components['schemas']['Contact']
export type Opportunity = Json<'/api/v1/opportunities/{id}', 'get', 200>
export type Order = Json<'/api/v1/orders/{id}', 'get', 200>
export type CostEntry = components['schemas']['CostEntry']

export type CampaignType = Campaign['type']
export type CampaignStatus = Campaign['status']
export type LeadStatus = Lead['status']
export type Stage = Opportunity['stage']
export type OrderStatus = Order['status']
export type CostCategory = CostEntry['category']

export type CampaignQuery = Query<'/api/v1/campaigns'>
export type LeadQuery = Query<'/api/v1/leads'>
export type AccountQuery = Query<'/api/v1/accounts'>
export type ContactQuery = Query<'/api/v1/contacts'>
export type OpportunityQuery = Query<'/api/v1/opportunities'>
export type OrderQuery = Query<'/api/v1/orders'>

export type CampaignBody = Body<'/api/v1/campaigns', 'post'>
export type LeadBody = Body<'/api/v1/leads', 'post'>
export type ConvertLeadBody = Body<'/api/v1/leads/{id}/convert', 'post'>

export const CAMPAIGN_TYPES: readonly CampaignType[] = ['paid_search', 'trade_show', 'conference', 'traditional_ad', 'promotion', 'webinar', 'email', 'content', 'social', 'other']
export const CAMPAIGN_STATUSES: readonly CampaignStatus[] = ['planned', 'active', 'completed', 'cancelled']
export const LEAD_STATUSES: readonly LeadStatus[] = ['new', 'contacted', 'qualified', 'disqualified', 'converted']
export const STAGES: readonly Stage[] = ['prospecting', 'qualification', 'proposal', 'negotiation', 'won', 'lost']
export const OPEN_STAGES: readonly Stage[] = ['prospecting', 'qualification', 'proposal', 'negotiation']
export const ORDER_STATUSES: readonly OrderStatus[] = ['confirmed', 'cancelled']
export const COST_CATEGORIES: readonly CostCategory[] = ['media', 'venue', 'material', 'staff', 'agency', 'other']
