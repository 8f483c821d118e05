import { DEFAULT_STAGE_PROBABILITY, formatMoney, type OpportunityStage } from '@yardstick/roi-core'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'
import type { RequestContext } from '../../lib/context.ts'
import { recordAudit } from '../audit/audit.service.ts'
import * as repo from './opportunities.repository.ts'

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
    name: input.name.trim(),
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
  await recordAudit(trx, ctx, { entity: 'opportunity', entityId: row.id, action: 'create', after: toOpportunity(row) })
  return { id: row.id }
}
