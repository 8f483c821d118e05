import type { CampaignType } from '../../api/types.ts'

/** One colour per campaign type, the same in every dashboard chart. */
export const TYPE_COLORS: Readonly<Record<CampaignType, string>> = {
  paid_search: '#409eff',
  trade_show: '#e6a23c',
  conference: '#7c3aed',
  traditional_ad: '#a16207',
  promotion: '#f56c6c',
  webinar: '#14b8a6',
  email: '#0ea5e9',
  content: '#67c23a',
  social: '#db2777',
  other: '#909399',
}

/** The total line, drawn darker than any type. */
export const TOTAL_COLOR = '#303133'
export const COST_COLOR = '#a8abb2'
export const REVENUE_COLOR = '#409eff'
export const ROI_COLOR = '#67c23a'
