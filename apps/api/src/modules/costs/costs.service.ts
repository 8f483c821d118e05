import { formatMoney } from '@yardstick/roi-core'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'
import { invalidField, notFound } from '../../errors.ts'
import type { RequestContext } from '../../lib/context.ts'
import { centsFromDb, moneyField, moneyFromDb } from '../../lib/money-input.ts'
import { optionalText } from '../../lib/text.ts'
import { inReadSnapshot } from '../../lib/snapshot.ts'
import { recordAudit } from '../audit/audit.service.ts'
import { publishChange } from '../events/events.service.ts'
import * as repo from './costs.repository.ts'
import type { CostCategory } from './costs.table.ts'

export interface CostEntry {
  id: string
  campaignId: string
  date: string
  category: CostCategory
  amount: string
  note: string | null
  createdBy: string | null
  createdAt: string
  updatedAt: string
}

const toCostEntry = (row: repo.CostRow): CostEntry => ({
  id: row.id,
  campaignId: row.campaign_id,
  date: row.spent_on,
  category: row.category,
  amount: moneyFromDb(row.amount),
  note: row.note,
  createdBy: row.created_by,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
})

export interface NewCost {
  date: string
  category: CostCategory
  amount: string | number
  note?: string | null
}

export type CostPatch = Partial<NewCost>

/** An entry's amount in the ledger's own form: more than zero, two decimals. */
function amountOf(value: string | number): string {
  const cents = moneyField('amount', value)
  if (cents === 0n) throw invalidField('amount', 'must be greater than zero; remove an entry instead of zeroing it')
  return formatMoney(cents)
}

async function lockCampaignOrFail(trx: Kysely<Database>, campaignId: string): Promise<void> {
  if (!(await repo.lockCampaign(trx, campaignId))) throw notFound('Campaign', campaignId)
}

export async function listCosts(db: Kysely<Database>, filter: repo.CostFilter) {
  if (filter.from && filter.to && filter.from > filter.to) throw invalidField('to', 'must not be before from')
  return inReadSnapshot(db, async (trx) => {
    const campaign = await trx.selectFrom('campaigns').select('id').where('id', '=', filter.campaignId).executeTakeFirst()
    if (!campaign) throw notFound('Campaign', filter.campaignId)
    const { rows, byCategory } = await repo.listCosts(trx, filter)
    const total = byCategory.reduce((n, c) => n + c.entries, 0)
    const amount = byCategory.reduce((sum, c) => sum + centsFromDb(c.amount), 0n)
    return {
      items: rows.map(toCostEntry),
      total,
      limit: filter.limit,
      offset: filter.offset,
      amount: formatMoney(amount),
      byCategory: byCategory.map((c) => ({ category: c.category, amount: moneyFromDb(c.amount), entries: c.entries })),
    }
  })
}

export async function getCost(db: Kysely<Database>, campaignId: string, id: string): Promise<CostEntry> {
  const row = await repo.findCost(db, campaignId, id)
  if (!row) throw notFound('Cost entry', id)
  return toCostEntry(row)
}

/**
 * Adds an entry inside the caller's transaction; the campaign's actualCost grows with it (a
 * trigger keeps it the ledger's sum). Campaign creation calls this for the spend entered with it.
 */
export async function recordCostInTransaction(trx: Kysely<Database>, ctx: RequestContext, campaignId: string, input: NewCost): Promise<CostEntry> {
  const row = await repo.insertCost(trx, {
    campaign_id: campaignId,
    spent_on: input.date,
    category: input.category,
    amount: amountOf(input.amount),
    note: optionalText(input.note) ?? null,
    created_by: ctx.actor.userId,
  })
  const entry = toCostEntry(row)
  await recordAudit(trx, ctx, { entity: 'cost', entityId: row.id, action: 'create', after: entry })
  await publishChange(trx, { entity: 'cost', id: row.id, action: 'create', campaignIds: [campaignId] })
  return entry
}

export async function createCost(db: Kysely<Database>, ctx: RequestContext, campaignId: string, input: NewCost): Promise<CostEntry> {
  const amount = amountOf(input.amount)
  return db.transaction().execute(async (trx) => {
    await lockCampaignOrFail(trx, campaignId)
    return recordCostInTransaction(trx, ctx, campaignId, { ...input, amount })
  })
}

export async function updateCost(db: Kysely<Database>, ctx: RequestContext, campaignId: string, id: string, patch: CostPatch): Promise<CostEntry> {
  const amount = patch.amount === undefined ? undefined : amountOf(patch.amount)
  return db.transaction().execute(async (trx) => {
    await lockCampaignOrFail(trx, campaignId)
    const before = await repo.lockCost(trx, campaignId, id)
    if (!before) throw notFound('Cost entry', id)
    const row = await repo.updateCost(trx, id, {
      ...(patch.date === undefined ? {} : { spent_on: patch.date }),
      ...(patch.category === undefined ? {} : { category: patch.category }),
      ...(amount === undefined ? {} : { amount }),
      ...(patch.note === undefined ? {} : { note: optionalText(patch.note) ?? null }),
    })
    const entry = toCostEntry(row)
    await recordAudit(trx, ctx, { entity: 'cost', entityId: id, action: 'update', before: toCostEntry(before), after: entry })
    await publishChange(trx, { entity: 'cost', id, action: 'update', campaignIds: [campaignId] })
    return entry
  })
}

export async function deleteCost(db: Kysely<Database>, ctx: RequestContext, campaignId: string, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await lockCampaignOrFail(trx, campaignId)
    const before = await repo.lockCost(trx, campaignId, id)
    if (!before) throw notFound('Cost entry', id)
    await repo.deleteCost(trx, id)
    await recordAudit(trx, ctx, { entity: 'cost', entityId: id, action: 'delete', before: toCostEntry(before) })
    await publishChange(trx, { entity: 'cost', id, action: 'delete', campaignIds: [campaignId] })
  })
}
