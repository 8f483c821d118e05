import {
  formatMoney, headlineFigures, moneyPerUnit, pct, perTenThousand,
  type AttributionModel, type CampaignType,
} from '@yardstick/roi-core'
import type pg from 'pg'
import type { Db } from '../../db/database.ts'
import { centsFromDb } from '../../lib/money-input.ts'
import { inReadSnapshot } from '../../lib/snapshot.ts'
import { ensureFresh, modelColumn } from '../attribution/attribution.service.ts'
import { previousPeriod, type AnalyticsFilters, type Period } from './analytics.filters.ts'
import * as repo from './analytics.performance.repository.ts'


/**
 * Revenue under a model: primary_source is actual revenue, read straight from the orders; any
 * other model reads the attribution totals, brought up to date before the snapshot is taken.
 */
async function prepareRevenue(db: Db, pool: pg.Pool, model: AttributionModel) {
  if (model === 'primary_source') return repo.sumConfirmedOrders
  await ensureFresh(db, pool)
  const column = modelColumn(model)
  return (trx: Db, scope: repo.Scope, periods: readonly Period[], grouping: repo.Grouping) =>
    repo.sumAttributedRevenue(trx, scope, periods, grouping, column)
}

/** Rows by key; a key without a row had nothing to count. */
const byKey = <T extends { key: string | null }>(rows: readonly T[]) => new Map(rows.map((r) => [r.key, r]))

const centsAt = (row: repo.MoneyRow | undefined, i: number) => centsFromDb(row?.sums[i])
const orNull = (cents: bigint | null) => (cents === null ? null : formatMoney(cents))

function moneyKpi(value: bigint, previous: bigint) {
  const change = value - previous
  return { value: formatMoney(value), previous: formatMoney(previous), change: formatMoney(change), changePct: pct(change, previous) }
}

function countKpi(value: number, previous: number) {
  const change = value - previous
  return { value, previous, change, changePct: pct(BigInt(change), BigInt(previous)) }
}

function pctKpi(value: number | null, previous: number | null) {
  // In hundredths, so that 46.67 − (−25) is 71.67 and not a float's 71.670000…01.
  const change = value === null || previous === null ? null : (Math.round(value * 100) - Math.round(previous * 100)) / 100
  return { value, previous, change }
}

/** Cost, revenue, expected revenue, ROI, achievement, leads, opportunities and won deals, against the period before. */
export async function overview(db: Db, pool: pg.Pool, filters: AnalyticsFilters, model: AttributionModel) {
  const previous = previousPeriod(filters.period)
  const periods = [filters.period, previous]
  const sumRevenue = await prepareRevenue(db, pool, model)
  const [[cost], [revenue], [expected], [leads], [created], [closed]] = await inReadSnapshot(db, (trx) => Promise.all([
    repo.sumCosts(trx, filters, periods, 'total'),
    sumRevenue(trx, filters, periods, 'total'),
    repo.sumExpectedRevenue(trx, filters, periods, 'total'),
    repo.countLeads(trx, filters, periods, 'total'),
    repo.countOpportunitiesCreated(trx, filters, periods, 'total'),
    repo.countOpportunitiesClosed(trx, filters, periods, 'total'),
  ]))
  const headline = (i: number) => headlineFigures({
    costCents: centsAt(cost, i), expectedRevenueCents: centsAt(expected, i), actualRevenueCents: centsAt(revenue, i),
  })
  const [now, before] = [headline(0), headline(1)]
  return {
    period: filters.period,
    previousPeriod: previous,
    model,
    cost: moneyKpi(centsAt(cost, 0), centsAt(cost, 1)),
    revenue: moneyKpi(centsAt(revenue, 0), centsAt(revenue, 1)),
    expectedRevenue: moneyKpi(centsAt(expected, 0), centsAt(expected, 1)),
    roiPct: pctKpi(now.roiPct, before.roiPct),
    achievementPct: pctKpi(now.achievementPct, before.achievementPct),
    leads: countKpi(leads!.counts[0]!, leads!.counts[1]!),
    opportunities: countKpi(created!.counts[0]!, created!.counts[1]!),
    wonDeals: countKpi(closed!.won[0]!, closed!.won[1]!),
  }
}

/** One channel's figures (or all channels'), from its aggregates over the one period. */
function channelFigures(
  cost: repo.MoneyRow | undefined, revenue: repo.MoneyRow | undefined, leads: repo.LeadCountsRow | undefined,
  created: repo.CountsRow | undefined, closed: repo.ClosedCountsRow | undefined,
) {
  const costCents = centsAt(cost, 0)
  const revenueCents = centsAt(revenue, 0)
  const leadCount = leads?.leads[0] ?? 0
  const won = closed?.won[0] ?? 0
  const lost = closed?.lost[0] ?? 0
  return {
    cost: formatMoney(costCents),
    leads: leadCount,
    validLeadRate: pct(BigInt(leads?.valid[0] ?? 0), BigInt(leadCount)),
    opportunities: created?.counts[0] ?? 0,
    wins: won,
    revenue: formatMoney(revenueCents),
    leadToOpportunityRate: pct(BigInt(leads?.converted[0] ?? 0), BigInt(leadCount)),
    winRate: pct(BigInt(won), BigInt(won + lost)),
    costPerLead: orNull(moneyPerUnit(costCents, leadCount)),
    costPerWon: orNull(moneyPerUnit(costCents, won)),
    roiPct: headlineFigures({ costCents, expectedRevenueCents: 0n, actualRevenueCents: revenueCents }).roiPct,
  }
}

/** Per campaign type in scope, and in total, over the period. */
export async function channels(db: Db, pool: pg.Pool, filters: AnalyticsFilters, model: AttributionModel) {
  const periods = [filters.period]
  const sumRevenue = await prepareRevenue(db, pool, model)
  const [types, cost, revenue, leads, created, closed] = await inReadSnapshot(db, (trx) => Promise.all([
    repo.countCampaignsByType(trx, filters),
    repo.sumCosts(trx, filters, periods, 'type').then(byKey),
    sumRevenue(trx, filters, periods, 'type').then(byKey),
    repo.countLeadOutcomes(trx, filters, periods, 'type').then(byKey),
    repo.countOpportunitiesCreated(trx, filters, periods, 'type').then(byKey),
    repo.countOpportunitiesClosed(trx, filters, periods, 'type').then(byKey),
  ]))
  // Under 'type' grouping the row keyed null is the total over every type.
  const figuresOf = (key: CampaignType | null) => channelFigures(cost.get(key), revenue.get(key), leads.get(key), created.get(key), closed.get(key))
  const rows = types.map((t) => ({ type: t.type, campaigns: t.campaigns, ...figuresOf(t.type) }))
  const revenueOf = new Map(types.map((t) => [t.type, centsAt(revenue.get(t.type), 0)]))
  rows.sort((a, b) => {
    const [ra, rb] = [revenueOf.get(a.type)!, revenueOf.get(b.type)!]
    if (ra !== rb) return ra > rb ? -1 : 1
    return a.type < b.type ? -1 : a.type > b.type ? 1 : 0
  })
  return { period: filters.period, model, channels: rows, total: figuresOf(null) }
}

interface RoiAggregates {
  costCents: bigint
  revenueCents: bigint
  leads: number
  convertedLeads: number
  opportunities: number
  won: number
  lost: number
  avgDaysLeadToWon: number | null
  customersWon: number
  lifetimeCents: bigint
}

/**
 * The multi-period ROI of the product's brief: short term is lead acquisition (how many leads,
 * at what cost), medium term opportunity conversion (how many, how fast, how often won), long
 * term the won customers' lifetime value; with the revenue ROI over them all.
 */
function roiFigures(a: RoiAggregates) {
  return {
    cost: formatMoney(a.costCents),
    revenue: formatMoney(a.revenueCents),
    revenueRoiPct: pct(a.revenueCents - a.costCents, a.costCents),
    short: {
      leads: a.leads,
      costPerLead: orNull(moneyPerUnit(a.costCents, a.leads)),
      leadRoi: perTenThousand(a.leads, a.costCents),
    },
    medium: {
      opportunities: a.opportunities,
      leadToOpportunityRate: pct(BigInt(a.convertedLeads), BigInt(a.leads)),
      wins: a.won,
      winRate: pct(BigInt(a.won), BigInt(a.won + a.lost)),
      avgDaysLeadToWon: a.avgDaysLeadToWon,
      customersWon: a.customersWon,
      conversionRoi: perTenThousand(a.customersWon, a.costCents),
    },
    long: {
      lifetimeRevenue: formatMoney(a.lifetimeCents),
      lifetimeRoiPct: pct(a.lifetimeCents - a.costCents, a.costCents),
    },
  }
}

/**
 * Revenue, lead (short term), conversion (medium term) and lifetime-value (long term) ROI over
 * the period, in total and per campaign. Revenue follows the model; the customers won and their
 * lifetime revenue follow the opportunities' own campaign, whatever the model.
 */
export async function roiViews(db: Db, pool: pg.Pool, filters: AnalyticsFilters, model: AttributionModel, horizonMonths: number) {
  const periods = [filters.period]
  const sumRevenue = await prepareRevenue(db, pool, model)
  const both = 'campaignAndTotal'
  const [campaigns, [costs, revenues, leads, created, closed, days], customers, customersInTotal] = await inReadSnapshot(db, (trx) => Promise.all([
    repo.campaignsInScope(trx, filters),
    Promise.all([
      repo.sumCosts(trx, filters, periods, both).then(byKey),
      sumRevenue(trx, filters, periods, both).then(byKey),
      repo.countLeadOutcomes(trx, filters, periods, both).then(byKey),
      repo.countOpportunitiesCreated(trx, filters, periods, both).then(byKey),
      repo.countOpportunitiesClosed(trx, filters, periods, both).then(byKey),
      repo.averageDaysLeadToWon(trx, filters, filters.period, both).then(byKey),
    ]),
    // The total is queried on its own, not added up: a customer won by two campaigns is one customer.
    repo.wonCustomers(trx, filters, periods, 'campaign', horizonMonths).then(byKey),
    repo.wonCustomers(trx, filters, periods, 'total', horizonMonths).then(byKey),
  ]))
  /** A campaign's figures, or with key null the total's. */
  const figuresOf = (key: string | null) => {
    const revenueCents = centsAt(revenues.get(key), 0)
    const averageDays = days.get(key)?.days
    const won = (key === null ? customersInTotal : customers).get(key)
    return {
      revenueCents,
      figures: roiFigures({
        costCents: centsAt(costs.get(key), 0),
        revenueCents,
        leads: leads.get(key)?.leads[0] ?? 0,
        convertedLeads: leads.get(key)?.converted[0] ?? 0,
        opportunities: created.get(key)?.counts[0] ?? 0,
        won: closed.get(key)?.won[0] ?? 0,
        lost: closed.get(key)?.lost[0] ?? 0,
        avgDaysLeadToWon: averageDays == null ? null : Number(averageDays),
        customersWon: won?.customers[0] ?? 0,
        lifetimeCents: centsFromDb(won?.lifetime[0]),
      }),
    }
  }

  const campaignRows = campaigns.map((c) => {
    const { revenueCents, figures } = figuresOf(c.id)
    return { row: { campaignId: c.id, name: c.name, code: c.code, type: c.type, ...figures }, revenueCents }
  })
  campaignRows.sort((a, b) => {
    if (a.revenueCents !== b.revenueCents) return a.revenueCents > b.revenueCents ? -1 : 1
    const [x, y] = [a.row, b.row]
    if (x.name !== y.name) return x.name < y.name ? -1 : 1
    return x.code < y.code ? -1 : x.code > y.code ? 1 : 0
  })

  return { period: filters.period, model, horizonMonths, total: figuresOf(null).figures, campaigns: campaignRows.map((r) => r.row) }
}
