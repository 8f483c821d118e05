export { MoneyError, formatMoney, parseMoney, sumMoney } from './money.ts'
export type { MoneyErrorCode } from './money.ts'
export { divRound, moneyPerUnit, pct, perTenThousand, ratio } from './ratio.ts'
export {
  CAMPAIGN_STATUSES,
  CAMPAIGN_TYPES,
  DEFAULT_STAGE_PROBABILITY,
  LEAD_STATUSES,
  OPPORTUNITY_STAGES,
  ORDER_STATUSES,
} from './vocabulary.ts'
export type { CampaignStatus, CampaignType, LeadStatus, OpportunityStage, OrderStatus } from './vocabulary.ts'
export { campaignMetrics, headlineFigures, weightedAmount } from './campaign-metrics.ts'
export type { CampaignAggregates, CampaignMetrics, HeadlineFigures } from './campaign-metrics.ts'
export { applyDeltas, orderRollupDeltas, recomputeRollup, rollupDrift } from './rollup.ts'
export type { CampaignDelta, OrderRollupState, RollupDrift, RollupTotals } from './rollup.ts'
export { ATTRIBUTION_MODELS, attribute, attributeAllModels, isAttributionModel, shareByTouch } from './attribution.ts'
export type {
  AttributionModel,
  AttributionPath,
  AttributionSettings,
  AttributionTouch,
  CampaignCredit,
  TouchShare,
} from './attribution.ts'
