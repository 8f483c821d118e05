import { useI18n } from 'vue-i18n'
import type { CsvColumn } from '../../composables/useExport.ts'
import type { ChannelRow, Channels, FunnelGroup, FunnelStage, GroupBy, LeadTrend, RoiCampaign, RoiTotal, RoiViews, TeamMember } from './types.ts'
import { FUNNEL_STAGES } from './types.ts'

/** A channel row or the total row, as the CSV writes them. */
export type ChannelCsvRow = Channels['total'] & { name: string; campaigns: number }
/** A campaign of the ROI views, or their total row (no code, no type). */
export type RoiCampaignCsvRow = RoiTotal & { name: string; code: string | null; type: RoiCampaign['type'] | null }
/** One bucket of the lead trend. */
export interface TrendCsvRow {
  bucket: string
  counts: number[]
  total: number
}

const stageOf = (group: FunnelGroup, stage: FunnelStage) => group.stages.find((s) => s.stage === stage)

/**
 * The columns of each exported table, headed in the UI language. Money stays the API's plain
 * decimal string ("80000.00"), percentages are plain numbers under a "(%)" header, and an
 * undefined ratio is an empty cell: figures a spreadsheet can add up.
 */
export function useDashboardCsv() {
  const { t } = useI18n()
  const pctHeader = (label: string) => t('dashboard.csvPct', { label })
  const perTenThousandHeader = (label: string) => t('dashboard.csvPerTenThousand', { label })

  /** A funnel group's name: overall, the campaign type, or the campaign. */
  function groupLabel(group: FunnelGroup, groupBy: GroupBy): string {
    if (groupBy === 'type' && group.key) return t(`campaignType.${group.key as ChannelRow['type']}`)
    if (groupBy === 'campaign') return group.label ?? group.key ?? ''
    return t('dashboard.funnel.overall')
  }

  function channels(revenueLabel: string): CsvColumn<ChannelCsvRow>[] {
    return [
      { header: t('dashboard.channels.channel'), value: (r) => r.name },
      { header: t('dashboard.channels.campaigns'), value: (r) => r.campaigns },
      { header: t('figures.actualCost'), value: (r) => r.cost },
      { header: t('dashboard.channels.leads'), value: (r) => r.leads },
      { header: pctHeader(t('figures.validRate')), value: (r) => r.validLeadRate },
      { header: t('dashboard.channels.opportunities'), value: (r) => r.opportunities },
      { header: t('dashboard.channels.wins'), value: (r) => r.wins },
      { header: revenueLabel, value: (r) => r.revenue },
      { header: pctHeader(t('figures.leadToOpportunityRate')), value: (r) => r.leadToOpportunityRate },
      { header: pctHeader(t('figures.winRate')), value: (r) => r.winRate },
      { header: t('figures.costPerLead'), value: (r) => r.costPerLead },
      { header: t('figures.costPerWon'), value: (r) => r.costPerWon },
      { header: pctHeader(t('figures.roiPct')), value: (r) => r.roiPct },
    ]
  }

  /** The channel rows then the total row, ready for buildCsv. */
  function channelRows(data: Channels): { rows: ChannelCsvRow[]; footer: ChannelCsvRow[] } {
    return {
      rows: data.channels.map((c) => ({ ...c, name: t(`campaignType.${c.type}`) })),
      footer: [{ ...data.total, name: t('dashboard.channels.total'), campaigns: data.channels.reduce((sum, c) => sum + c.campaigns, 0) }],
    }
  }

  function trend(data: LeadTrend): { columns: CsvColumn<TrendCsvRow>[]; rows: TrendCsvRow[] } {
    return {
      columns: [
        { header: t('dashboard.trend.bucket'), value: (r) => r.bucket },
        ...data.series.map((s, i): CsvColumn<TrendCsvRow> => ({ header: t(`campaignType.${s.type}`), value: (r) => r.counts[i] })),
        { header: t('dashboard.trend.total'), value: (r) => r.total },
      ],
      rows: data.buckets.map((bucket, b) => ({ bucket, counts: data.series.map((s) => s.counts[b] ?? 0), total: data.totals[b] ?? 0 })),
    }
  }

  function funnel(groupBy: GroupBy): CsvColumn<FunnelGroup>[] {
    const stageName = (stage: FunnelStage) => t(`dashboard.funnel.stages.${stage}`)
    return [
      { header: t('dashboard.funnel.group'), value: (g) => groupLabel(g, groupBy) },
      ...FUNNEL_STAGES.flatMap((stage, i): CsvColumn<FunnelGroup>[] => [
        { header: stageName(stage), value: (g) => stageOf(g, stage)?.count },
        ...(i === 0 ? [] : [{ header: pctHeader(`${stageName(FUNNEL_STAGES[i - 1]!)} → ${stageName(stage)}`), value: (g: FunnelGroup) => stageOf(g, stage)?.rateFromPrevious }]),
      ]),
      { header: pctHeader(t('dashboard.funnel.leadToWon')), value: (g) => stageOf(g, 'won')?.rateFromFirst },
    ]
  }

  /** The figures of the ROI views, flattened: revenue ROI, then the short, medium and long-term views. */
  function roiFigures(revenueLabel: string, horizonMonths: number): CsvColumn<RoiTotal>[] {
    return [
      { header: t('figures.actualCost'), value: (r) => r.cost },
      { header: revenueLabel, value: (r) => r.revenue },
      { header: pctHeader(t('figures.roiPct')), value: (r) => r.revenueRoiPct },
      { header: t('dashboard.roiViews.leads'), value: (r) => r.short.leads },
      { header: t('figures.costPerLead'), value: (r) => r.short.costPerLead },
      { header: perTenThousandHeader(t('figures.leadRoi')), value: (r) => r.short.leadRoi },
      { header: t('dashboard.roiViews.opportunities'), value: (r) => r.medium.opportunities },
      { header: pctHeader(t('figures.leadToOpportunityRate')), value: (r) => r.medium.leadToOpportunityRate },
      { header: t('dashboard.roiViews.wins'), value: (r) => r.medium.wins },
      { header: pctHeader(t('figures.winRate')), value: (r) => r.medium.winRate },
      { header: t('dashboard.roiViews.csvAvgDays'), value: (r) => r.medium.avgDaysLeadToWon },
      { header: t('dashboard.roiViews.customersWon'), value: (r) => r.medium.customersWon },
      { header: perTenThousandHeader(t('figures.conversionRoi')), value: (r) => r.medium.conversionRoi },
      { header: t('dashboard.roiViews.lifetimeRevenue', { n: horizonMonths }), value: (r) => r.long.lifetimeRevenue },
      { header: pctHeader(t('figures.ltvRoi')), value: (r) => r.long.lifetimeRoiPct },
    ]
  }

  /** Each campaign, then the total over them all. */
  function campaigns(revenueLabel: string, horizonMonths: number): CsvColumn<RoiCampaignCsvRow>[] {
    return [
      { header: t('dashboard.scatter.csvName'), value: (r) => r.name },
      { header: t('dashboard.scatter.csvCode'), value: (r) => r.code },
      { header: t('dashboard.campaignType'), value: (r) => (r.type ? t(`campaignType.${r.type}`) : null) },
      ...roiFigures(revenueLabel, horizonMonths),
    ]
  }

  /** The campaigns' rows and the total row, ready for buildCsv. */
  function campaignRows(data: RoiViews) {
    return { rows: data.campaigns, footer: [{ ...data.total, name: t('dashboard.roiViews.total'), code: null, type: null }] }
  }

  function team(): CsvColumn<TeamMember>[] {
    return [
      { header: t('dashboard.team.name'), value: (m) => m.name },
      { header: t('dashboard.team.leads'), value: (m) => m.leads },
      { header: t('dashboard.team.opportunities'), value: (m) => m.opportunities },
      { header: t('dashboard.team.wins'), value: (m) => m.wins },
      { header: pctHeader(t('figures.winRate')), value: (m) => m.winRate },
      { header: t('figures.actualRevenue'), value: (m) => m.revenue },
      { header: t('dashboard.team.csvMedianDays'), value: (m) => m.medianDaysLeadToWon },
      { header: t('dashboard.team.csvMedianResponse'), value: (m) => m.medianFirstResponseHours },
    ]
  }

  return { groupLabel, channels, channelRows, trend, funnel, campaigns, campaignRows, team }
}
