import {
  campaignMetrics, formatMoney, headlineFigures, LEAD_STATUSES,
  type CampaignStatus, type CampaignType, type LeadStatus,
} from '@yardstick/roi-core'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'
import { DomainError, invalidField, notFound } from '../../errors.ts'
import type { RequestContext } from '../../lib/context.ts'
import { centsFromDb, moneyField, moneyFromDb } from '../../lib/money-input.ts'
import { invalidReference, stillReferenced } from '../../lib/references.ts'
import { definedOnly, optionalText, requiredText } from '../../lib/text.ts'
import { inReadSnapshot } from '../../lib/snapshot.ts'
import { recordAudit } from '../audit/audit.service.ts'
import { recordCostInTransaction } from '../costs/costs.service.ts'
import { publishChange } from '../events/events.service.ts'
import * as repo from './campaigns.repository.ts'

/** A campaign as stored: what an edit changes and the audit log records. */
export interface CampaignRecord {
  id: string
  name: string
  code: string
  type: CampaignType
  status: CampaignStatus
  startDate: string | null
  endDate: string | null
  budget: string
  actualCost: string
  expectedRevenue: string
  description: string | null
  parentId: string | null
  ownerId: string | null
  createdAt: string
  updatedAt: string
}

/** A campaign with its headline figures, as lists and reads return it. */
export interface Campaign extends CampaignRecord {
  actualRevenue: string
  achievementPct: number | null
  roiPct: number | null
}

const toCampaignRecord = (row: repo.CampaignRow): CampaignRecord => ({
  id: row.id,
  name: row.name,
  code: row.code,
  type: row.type,
  status: row.status,
  startDate: row.start_date,
  endDate: row.end_date,
  budget: moneyFromDb(row.budget),
  actualCost: moneyFromDb(row.actual_cost),
  expectedRevenue: moneyFromDb(row.expected_revenue),
  description: row.description,
  parentId: row.parent_id,
  ownerId: row.owner_id,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
})

export const toCampaign = (row: repo.CampaignWithFiguresRow): Campaign => {
  const actualRevenueCents = centsFromDb(row.actual_revenue)
  return {
    ...toCampaignRecord(row),
    actualRevenue: formatMoney(actualRevenueCents),
    ...headlineFigures({
      costCents: centsFromDb(row.actual_cost),
      expectedRevenueCents: centsFromDb(row.expected_revenue),
      actualRevenueCents,
    }),
  }
}

export interface CampaignPatch {
  name?: string
  code?: string
  type?: CampaignType
  status?: CampaignStatus
  startDate?: string | null
  endDate?: string | null
  budget?: string | number
  actualCost?: string | number
  expectedRevenue?: string | number
  description?: string | null
  parentId?: string | null
  ownerId?: string | null
}

export interface NewCampaign extends CampaignPatch {
  name: string
  code: string
  type: CampaignType
}

export async function listCampaigns(db: Kysely<Database>, filter: repo.CampaignFilter) {
  const { rows, total } = await repo.listCampaigns(db, filter)
  return { items: rows.map(toCampaign), total, limit: filter.limit, offset: filter.offset }
}

export async function getCampaign(db: Kysely<Database>, id: string): Promise<Campaign> {
  const row = await repo.findCampaignWithFigures(db, id)
  if (!row) throw notFound('Campaign', id)
  return toCampaign(row)
}

/** Fails with a 400 naming `field` when no campaign has this id (for records that point at one). */
export async function assertCampaignExists(db: Kysely<Database>, id: string, field = 'campaignId'): Promise<void> {
  if (!(await repo.findCampaignById(db, id))) throw invalidReference(field, `no campaign has id ${id}`)
}

const money = (field: string, value: string | number | undefined) =>
  value === undefined ? undefined : formatMoney(moneyField(field, value))

function checkDates(startDate: string | null, endDate: string | null): void {
  if (startDate && endDate && endDate < startDate) throw invalidField('endDate', `must not be before startDate (${startDate})`)
}

async function checkCodeFree(db: Kysely<Database>, code: string, exceptId?: string): Promise<void> {
  const taken = await repo.findCampaignByCode(db, code)
  if (taken && taken.id !== exceptId) {
    const message = `is already used by campaign "${taken.name}" (${taken.code}); codes are unique ignoring case`
    throw new DomainError(409, 'conflict', `code: ${message}`, [{ field: 'code', message }])
  }
}

/**
 * Creates a campaign; spend entered with it becomes its first cost entry, dated on its start
 * date or else on `today` (the company's day: the route passes it).
 */
export async function createCampaign(db: Kysely<Database>, ctx: RequestContext, input: NewCampaign, today: string): Promise<Campaign> {
  const name = requiredText('name', input.name)
  const code = input.code.trim()
  const values = {
    budget: money('budget', input.budget),
    expected_revenue: money('expectedRevenue', input.expectedRevenue),
  }
  const openingCost = money('actualCost', input.actualCost)
  checkDates(input.startDate ?? null, input.endDate ?? null)
  return db.transaction().execute(async (trx) => {
    await checkCodeFree(trx, code)
    if (input.parentId) await assertCampaignExists(trx, input.parentId, 'parentId')
    const row = await repo.insertCampaign(trx, {
      name,
      code,
      type: input.type,
      status: input.status,
      start_date: input.startDate ?? null,
      end_date: input.endDate ?? null,
      ...definedOnly(values),
      description: optionalText(input.description) ?? null,
      parent_id: input.parentId ?? null,
      owner_id: input.ownerId === undefined ? ctx.actor.userId : input.ownerId,
    })
    await recordAudit(trx, ctx, { entity: 'campaign', entityId: row.id, action: 'create', after: toCampaignRecord(row) })
    await publishChange(trx, { entity: 'campaign', id: row.id, action: 'create', campaignIds: [row.id] })
    if (openingCost !== undefined && openingCost !== '0.00') {
      // The ledger is the one source of actualCost: spend entered with the campaign becomes its first entry.
      await recordCostInTransaction(trx, ctx, row.id, {
        date: row.start_date ?? today, category: 'other', amount: openingCost, note: OPENING_COST_NOTE,
      })
    }
    return toCampaign((await repo.findCampaignWithFigures(trx, row.id))!)
  })
}

export async function updateCampaign(db: Kysely<Database>, ctx: RequestContext, id: string, patch: CampaignPatch): Promise<Campaign> {
  const name = patch.name === undefined ? undefined : requiredText('name', patch.name)
  const code = patch.code?.trim()
  const values = {
    budget: money('budget', patch.budget),
    expected_revenue: money('expectedRevenue', patch.expectedRevenue),
  }
  const actualCost = money('actualCost', patch.actualCost)
  return db.transaction().execute(async (trx) => {
    if (patch.parentId) await repo.lockHierarchy(trx)
    const before = await repo.lockCampaign(trx, id)
    if (!before) throw notFound('Campaign', id)
    // Sending the current value back (a form that posts every field) is fine; changing it is not.
    if (actualCost !== undefined && actualCost !== moneyFromDb(before.actual_cost)) {
      throw invalidField('actualCost', `is the sum of the cost ledger (${moneyFromDb(before.actual_cost)}); add, change or remove entries at /api/v1/campaigns/${id}/costs`)
    }
    checkDates(patch.startDate === undefined ? before.start_date : patch.startDate, patch.endDate === undefined ? before.end_date : patch.endDate)
    if (code !== undefined && code.toLowerCase() !== before.code.toLowerCase()) await checkCodeFree(trx, code, id)
    if (patch.parentId && patch.parentId !== before.parent_id) {
      if (patch.parentId === id) throw invalidField('parentId', 'a campaign cannot be its own parent')
      await assertCampaignExists(trx, patch.parentId, 'parentId')
      if (await repo.isSelfOrAncestor(trx, id, patch.parentId)) {
        throw invalidField('parentId', 'is a sub-campaign of this campaign; that would make a cycle')
      }
    }
    const row = await repo.updateCampaign(trx, id, definedOnly({
      name,
      code,
      type: patch.type,
      status: patch.status,
      start_date: patch.startDate,
      end_date: patch.endDate,
      ...values,
      description: optionalText(patch.description),
      parent_id: patch.parentId,
      owner_id: patch.ownerId,
    }))
    await recordAudit(trx, ctx, { entity: 'campaign', entityId: id, action: 'update', before: toCampaignRecord(before), after: toCampaignRecord(row) })
    await publishChange(trx, { entity: 'campaign', id, action: 'update', campaignIds: [id] })
    return toCampaign((await repo.findCampaignWithFigures(trx, id))!)
  })
}

/** Deletes a campaign that nothing points at any more; otherwise a 409 saying what still does. */
export async function deleteCampaign(db: Kysely<Database>, ctx: RequestContext, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // Locked first: a lead or order created meanwhile waits, then fails its foreign key.
    const before = await repo.lockCampaign(trx, id)
    if (!before) throw notFound('Campaign', id)
    const refs = await repo.countCampaignReferences(trx, id)
    const conflict = stillReferenced('campaign', {
      'sub-campaigns': refs.children, leads: refs.leads, opportunities: refs.opportunities, orders: refs.orders,
      'campaign members': refs.members, touchpoints: refs.touchpoints, 'cost entries': refs.costs,
    })
    if (conflict) throw conflict
    await repo.deleteCampaign(trx, id)
    await recordAudit(trx, ctx, { entity: 'campaign', entityId: id, action: 'delete', before: toCampaignRecord(before) })
    await publishChange(trx, { entity: 'campaign', id, action: 'delete', campaignIds: [id] })
  })
}

const OPENING_COST_NOTE = '创建活动时录入的营销支出 / Spend entered with the campaign'

const OPEN_STAGES = new Set(['prospecting', 'qualification', 'proposal', 'negotiation'])

/** The campaign's ROI view: every figure of the glossary, from SQL aggregates read in one snapshot. */
export async function getCampaignRoi(db: Kysely<Database>, id: string) {
  const aggregates = await inReadSnapshot(db, async (trx) => {
    const campaign = await repo.findCampaignById(trx, id)
    if (!campaign) throw notFound('Campaign', id)
    const leads = await repo.countLeadsByStatus(trx, id)
    const stages = await repo.sumOpportunitiesByStage(trx, id)
    const rollup = await repo.sumRollupSlots(trx, id)
    const avgDaysLeadToWon = await repo.averageDaysLeadToWon(trx, id)
    const hierarchy = await repo.hierarchyTotals(trx, id)
    return { campaign, leads, stages, rollup, avgDaysLeadToWon, hierarchy }
  })
  const { campaign, leads, stages, rollup, hierarchy } = aggregates

  const byStatus = Object.fromEntries(LEAD_STATUSES.map((s) => [s, 0])) as Record<LeadStatus, number>
  for (const row of leads) byStatus[row.status] = row.total
  const opportunities = { total: 0, open: 0, won: 0, lost: 0, pipelineCents: 0n, weightedPipelineCents: 0n, wonCents: 0n }
  for (const row of stages) {
    opportunities.total += row.total
    if (row.stage === 'won') {
      opportunities.won += row.total
      opportunities.wonCents += centsFromDb(row.amount)
    } else if (row.stage === 'lost') {
      opportunities.lost += row.total
    } else if (OPEN_STAGES.has(row.stage)) {
      opportunities.open += row.total
      opportunities.pipelineCents += centsFromDb(row.amount)
      opportunities.weightedPipelineCents += centsFromDb(row.weighted_amount)
    }
  }
  const revenueCents = centsFromDb(rollup.revenue)
  const m = campaignMetrics({
    costCents: centsFromDb(campaign.actual_cost),
    budgetCents: centsFromDb(campaign.budget),
    expectedRevenueCents: centsFromDb(campaign.expected_revenue),
    actualRevenueCents: revenueCents,
    leads: { total: leads.reduce((n, r) => n + r.total, 0), byStatus },
    leadsConverted: leads.reduce((n, r) => n + r.with_opportunity, 0),
    opportunities,
    orders: { count: rollup.order_count, revenueCents },
    avgDaysLeadToWon: aggregates.avgDaysLeadToWon,
  })
  const orNull = (cents: bigint | null) => (cents === null ? null : formatMoney(cents))
  return {
    cost: formatMoney(m.cost),
    budget: formatMoney(m.budget),
    expectedRevenue: formatMoney(m.expectedRevenue),
    actualRevenue: formatMoney(m.actualRevenue),
    achievementPct: m.achievementPct,
    roiPct: m.roiPct,
    leads: m.leads,
    opportunities: {
      total: m.opportunities.total,
      open: m.opportunities.open,
      won: m.opportunities.won,
      lost: m.opportunities.lost,
      pipelineAmount: formatMoney(m.opportunities.pipelineAmount),
      weightedPipelineAmount: formatMoney(m.opportunities.weightedPipelineAmount),
      wonAmount: formatMoney(m.opportunities.wonAmount),
      winRate: m.opportunities.winRate,
    },
    orders: { count: m.orders.count, revenue: formatMoney(m.orders.revenue) },
    leadToOpportunityRate: m.leadToOpportunityRate,
    costPerLead: orNull(m.costPerLead),
    costPerOpportunity: orNull(m.costPerOpportunity),
    costPerWon: orNull(m.costPerWon),
    avgDaysLeadToWon: m.avgDaysLeadToWon,
    hierarchy: hierarchyFigures(hierarchy),
  }
}

/** The Salesforce-style hierarchy totals: this campaign and all its descendants, each counted once. */
function hierarchyFigures(row: repo.HierarchyTotalsRow) {
  const costCents = centsFromDb(row.cost)
  const expectedRevenueCents = centsFromDb(row.expected_revenue)
  const actualRevenueCents = centsFromDb(row.actual_revenue)
  return {
    campaigns: row.campaigns,
    cost: formatMoney(costCents),
    expectedRevenue: formatMoney(expectedRevenueCents),
    actualRevenue: formatMoney(actualRevenueCents),
    leads: row.leads,
    opportunities: row.opportunities,
    wonOpportunities: row.won_opportunities,
    wonAmount: moneyFromDb(row.won_amount),
    ...headlineFigures({ costCents, expectedRevenueCents, actualRevenueCents }),
  }
}
