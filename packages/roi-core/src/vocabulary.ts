// The closed value sets of the glossary, shared by the database checks, the API schemas and the UI.

export const CAMPAIGN_TYPES = [
  'paid_search', 'trade_show', 'conference', 'traditional_ad', 'promotion',
  'webinar', 'email', 'content', 'social', 'other',
] as const
export type CampaignType = (typeof CAMPAIGN_TYPES)[number]

export const CAMPAIGN_STATUSES = ['planned', 'active', 'completed', 'cancelled'] as const
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number]

export const LEAD_STATUSES = ['new', 'contacted', 'qualified', 'disqualified', 'converted'] as const
export type LeadStatus = (typeof LEAD_STATUSES)[number]

export const OPPORTUNITY_STAGES = ['prospecting', 'qualification', 'proposal', 'negotiation', 'won', 'lost'] as const
export type OpportunityStage = (typeof OPPORTUNITY_STAGES)[number]

export const ORDER_STATUSES = ['confirmed', 'cancelled'] as const
export type OrderStatus = (typeof ORDER_STATUSES)[number]

/** Win probability (%) an opportunity gets on entering a stage, unless someone sets it by hand. */
export const DEFAULT_STAGE_PROBABILITY: Readonly<Record<OpportunityStage, number>> = Object.freeze({
  prospecting: 10,
  qualification: 25,
  proposal: 50,
  negotiation: 75,
  won: 100,
  lost: 0,
})
