import { DEFAULT_STAGE_PROBABILITY, formatMoney, parseMoney, type OpportunityStage } from '@yardstick/roi-core'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'
import { invalidField, invalidState, notFound } from '../../errors.ts'
import type { RequestContext } from '../../lib/context.ts'
import { requiredText } from '../../lib/text.ts'
import { recordAudit } from '../audit/audit.service.ts'
import { publishChange } from '../events/events.service.ts'
import { createOrderInTransaction, moveOpportunityOrders, type Order } from '../orders/orders.service.ts'
import { syncPrimaryContactRole } from '../contact-roles/contact-roles.service.ts'
import * as repo from './opportunities.repository.ts'

const CLOSED_STAGES: ReadonlySet<OpportunityStage> = new Set(['won', 'lost'])

export interface Opportunity {
  id: string
  name: string
  accountId: string | null
  contactId: string | null
  leadId: string | null
  campaignId: string | null
  amount: string
  stage: OpportunityStage
  probability: number
  expectedCloseDate: string | null
  closedAt: string | null
  lostReason: string | null
  ownerId: string | null
  createdAt: string
  updatedAt: string
}

export const toOpportunity = (row: repo.OpportunityRow): Opportunity => ({
  id: row.id,
  name: row.name,
  accountId: row.account_id,
  contactId: row.contact_id,
  leadId: row.lead_id,
  campaignId: row.campaign_id,
  amount: row.amount,
  stage: row.stage,
  probability: row.probability,
  expectedCloseDate: row.expected_close_date,
  closedAt: row.closed_at?.toISOString() ?? null,
  lostReason: row.lost_reason,
  ownerId: row.owner_id,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
})

export interface NewOpportunityInTransaction {
  name: string
  amountCents: bigint
  accountId: string | null
  contactId: string | null
  leadId: string | null
  campaignId: string | null
  expectedCloseDate: string | null
  /** null: the acting user owns it. */
  ownerId: string | null
}

/**
 * Creates an open opportunity (prospecting, its default probability) inside the caller's
 * transaction, audited there too; lead conversion calls this so that the lead, account, contact
 * and opportunity land together or not at all.
 */
export async function createOpportunityInTransaction(
  trx: Kysely<Database>,
  ctx: RequestContext,
  input: NewOpportunityInTransaction,
): Promise<{ id: string }> {
  const stage: OpportunityStage = 'prospecting'
  const row = await repo.insertOpportunity(trx, {
    name: requiredText('name', input.name),
    amount: formatMoney(input.amountCents),
    account_id: input.accountId,
    contact_id: input.contactId,
    lead_id: input.leadId,
    campaign_id: input.campaignId,
    stage,
    probability: DEFAULT_STAGE_PROBABILITY[stage],
    expected_close_date: input.expectedCloseDate,
    owner_id: input.ownerId ?? ctx.actor.userId,
  })
  await syncPrimaryContactRole(trx, row.id, row.contact_id)
  await recordAudit(trx, ctx, { entity: 'opportunity', entityId: row.id, action: 'create', after: toOpportunity(row) })
  await publishChange(trx, { entity: 'opportunity', id: row.id, action: 'create', campaignIds: [row.campaign_id] })
  return { id: row.id }
}

export async function getOpportunity(db: Kysely<Database>, id: string): Promise<Opportunity> {
  const row = await repo.findOpportunityById(db, id)
  if (!row) throw notFound('Opportunity', id)
  return toOpportunity(row)
}

export async function listOpportunities(db: Kysely<Database>, filter: repo.OpportunityFilter) {
  const { rows, total } = await repo.listOpportunities(db, filter)
  return { items: rows.map(toOpportunity), total, limit: filter.limit, offset: filter.offset }
}

/**
 * The campaign and account an order of this opportunity is credited to, or null when there is no
 * such opportunity. Share-locks the opportunity so its campaign cannot move under the order.
 */
export async function opportunitySourceForOrder(
  trx: Kysely<Database>,
  id: string,
): Promise<{ campaignId: string | null; accountId: string | null } | null> {
  const row = await repo.shareLockOpportunity(trx, id)
  return row ? { campaignId: row.campaign_id, accountId: row.account_id } : null
}

/** Locks the opportunity whose contacts change; a 404 when there is none. */
export async function lockOpportunityForContacts(trx: Kysely<Database>, id: string): Promise<{ contactId: string | null; campaignId: string | null }> {
  const row = await repo.lockOpportunity(trx, id)
  if (!row) throw notFound('Opportunity', id)
  return { contactId: row.contact_id, campaignId: row.campaign_id }
}

/** The contact-roles service moved the primary contact: the opportunity's contactId follows it. */
export async function setOpportunityContact(trx: Kysely<Database>, id: string, contactId: string | null): Promise<void> {
  await repo.updateOpportunity(trx, id, { contact_id: contactId })
}

function refuseClosingStage(stage: OpportunityStage | undefined): void {
  if (stage !== undefined && CLOSED_STAGES.has(stage)) {
    throw invalidField('stage', `cannot be set to ${stage} directly; use POST /api/v1/opportunities/:id/${stage === 'won' ? 'win' : 'lose'}`)
  }
}

export interface NewOpportunity {
  name: string
  amountCents?: bigint
  accountId?: string | null
  contactId?: string | null
  leadId?: string | null
  campaignId?: string | null
  stage?: OpportunityStage
  probability?: number
  expectedCloseDate?: string | null
  ownerId?: string | null
}

export async function createOpportunity(db: Kysely<Database>, ctx: RequestContext, input: NewOpportunity): Promise<Opportunity> {
  refuseClosingStage(input.stage)
  const stage = input.stage ?? 'prospecting'
  return db.transaction().execute(async (trx) => {
    const row = await repo.insertOpportunity(trx, {
      name: requiredText('name', input.name),
      amount: formatMoney(input.amountCents ?? 0n),
      account_id: input.accountId ?? null,
      contact_id: input.contactId ?? null,
      lead_id: input.leadId ?? null,
      campaign_id: input.campaignId ?? null,
      stage,
      probability: input.probability ?? DEFAULT_STAGE_PROBABILITY[stage],
      expected_close_date: input.expectedCloseDate ?? null,
      owner_id: input.ownerId === undefined ? ctx.actor.userId : input.ownerId,
    })
    await syncPrimaryContactRole(trx, row.id, row.contact_id)
    const created = toOpportunity(row)
    await recordAudit(trx, ctx, { entity: 'opportunity', entityId: row.id, action: 'create', after: created })
    await publishChange(trx, { entity: 'opportunity', id: row.id, action: 'create', campaignIds: [row.campaign_id] })
    return created
  })
}

export type OpportunityPatch = Partial<Omit<NewOpportunity, 'name'>> & { name?: string }

/**
 * Edits an opportunity. A new open stage without a probability takes the stage's default; a lost
 * opportunity moved back to an open stage is reopened. A new campaign takes the revenue of the
 * opportunity's orders with it, in the same transaction.
 */
export async function updateOpportunity(db: Kysely<Database>, ctx: RequestContext, id: string, patch: OpportunityPatch): Promise<Opportunity> {
  refuseClosingStage(patch.stage)
  return db.transaction().execute(async (trx) => {
    const before = await repo.lockOpportunity(trx, id)
    if (!before) throw notFound('Opportunity', id)
    const stageChanges = patch.stage !== undefined && patch.stage !== before.stage
    if (stageChanges && before.stage === 'won') {
      throw invalidState('A won opportunity stays won; cancel its order instead of reopening it', 'stage')
    }
    const reopens = stageChanges && before.stage === 'lost'
    const after = await repo.updateOpportunity(trx, id, {
      ...(patch.name !== undefined ? { name: requiredText('name', patch.name) } : {}),
      ...(patch.amountCents !== undefined ? { amount: formatMoney(patch.amountCents) } : {}),
      ...(patch.accountId !== undefined ? { account_id: patch.accountId } : {}),
      ...(patch.contactId !== undefined ? { contact_id: patch.contactId } : {}),
      ...(patch.leadId !== undefined ? { lead_id: patch.leadId } : {}),
      ...(patch.campaignId !== undefined ? { campaign_id: patch.campaignId } : {}),
      ...(patch.stage !== undefined ? { stage: patch.stage } : {}),
      ...(patch.probability !== undefined
        ? { probability: patch.probability }
        : stageChanges ? { probability: DEFAULT_STAGE_PROBABILITY[patch.stage!] } : {}),
      ...(patch.expectedCloseDate !== undefined ? { expected_close_date: patch.expectedCloseDate } : {}),
      ...(patch.ownerId !== undefined ? { owner_id: patch.ownerId } : {}),
      ...(reopens ? { closed_at: null, lost_reason: null } : {}),
    })
    if (after.campaign_id !== before.campaign_id) await moveOpportunityOrders(trx, ctx, id, after.campaign_id)
    if (after.contact_id !== before.contact_id) await syncPrimaryContactRole(trx, id, after.contact_id)
    const updated = toOpportunity(after)
    await recordAudit(trx, ctx, { entity: 'opportunity', entityId: id, action: reopens ? 'reopen' : 'update', before: toOpportunity(before), after: updated })
    // A re-link moves the revenue of its orders: both campaigns change.
    await publishChange(trx, { entity: 'opportunity', id, action: reopens ? 'reopen' : 'update', campaignIds: [before.campaign_id, after.campaign_id] })
    return updated
  })
}

export async function deleteOpportunity(db: Kysely<Database>, ctx: RequestContext, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await repo.lockOpportunity(trx, id)
    if (!before) throw notFound('Opportunity', id)
    await repo.deleteOpportunity(trx, id)
    await recordAudit(trx, ctx, { entity: 'opportunity', entityId: id, action: 'delete', before: toOpportunity(before) })
    await publishChange(trx, { entity: 'opportunity', id, action: 'delete', campaignIds: [before.campaign_id] })
  })
}

function refuseClosed(row: repo.OpportunityRow, action: 'win' | 'lose'): void {
  if (row.stage === 'won') throw invalidState(`Opportunity "${row.name}" is already won`, 'stage')
  if (row.stage === 'lost') {
    throw invalidState(action === 'win'
      ? `Opportunity "${row.name}" is lost; reopen it (PATCH stage) before winning it`
      : `Opportunity "${row.name}" is already lost`, 'stage')
  }
}

/**
 * Wins an opportunity and enters its order (credited to its campaign) in one transaction:
 * the campaign's revenue changes with the win.
 */
export async function winOpportunity(
  db: Kysely<Database>,
  ctx: RequestContext,
  id: string,
  input: { orderAmountCents?: bigint; orderDate?: string },
): Promise<Order> {
  return db.transaction().execute(async (trx) => {
    const before = await repo.lockOpportunity(trx, id)
    if (!before) throw notFound('Opportunity', id)
    refuseClosed(before, 'win')
    const after = await repo.updateOpportunity(trx, id, { stage: 'won', probability: DEFAULT_STAGE_PROBABILITY.won, closed_at: new Date() })
    await recordAudit(trx, ctx, { entity: 'opportunity', entityId: id, action: 'win', before: toOpportunity(before), after: toOpportunity(after) })
    // The order created below announces itself too, to the readers of orders.
    await publishChange(trx, { entity: 'opportunity', id, action: 'win', campaignIds: [after.campaign_id] })
    return createOrderInTransaction(trx, ctx, {
      opportunityId: id,
      amountCents: input.orderAmountCents ?? parseMoney(before.amount),
      ...(input.orderDate !== undefined ? { orderDate: input.orderDate } : {}),
    })
  })
}

export async function loseOpportunity(db: Kysely<Database>, ctx: RequestContext, id: string, reason: string): Promise<Opportunity> {
  return db.transaction().execute(async (trx) => {
    const before = await repo.lockOpportunity(trx, id)
    if (!before) throw notFound('Opportunity', id)
    refuseClosed(before, 'lose')
    const after = await repo.updateOpportunity(trx, id, {
      stage: 'lost', probability: DEFAULT_STAGE_PROBABILITY.lost, closed_at: new Date(), lost_reason: requiredText('reason', reason),
    })
    const lost = toOpportunity(after)
    await recordAudit(trx, ctx, { entity: 'opportunity', entityId: id, action: 'lose', before: toOpportunity(before), after: lost })
    await publishChange(trx, { entity: 'opportunity', id, action: 'lose', campaignIds: [after.campaign_id] })
    return lost
  })
}
