import type { LeadStatus } from '@yardstick/roi-core'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'
import { invalidField, invalidState, notFound } from '../../errors.ts'
import type { RequestContext } from '../../lib/context.ts'
import { moneyField } from '../../lib/money-input.ts'
import { invalidReference, stillReferenced } from '../../lib/references.ts'
import { definedOnly, optionalText, requiredText } from '../../lib/text.ts'
import { assertAccountExists, createAccountInTransaction, type AccountPatch } from '../accounts/accounts.service.ts'
import { recordAudit } from '../audit/audit.service.ts'
import { publishChange } from '../events/events.service.ts'
import { assertCampaignExists } from '../campaigns/campaigns.service.ts'
import { assertContactExists, createContactInTransaction, type ContactPatch } from '../contacts/contacts.service.ts'
import { createOpportunityInTransaction } from '../opportunities/opportunities.service.ts'
import { carryLeadTouchpointsOver } from '../touchpoints/touchpoints.service.ts'
import * as repo from './leads.repository.ts'

export interface Lead {
  id: string
  name: string
  company: string | null
  email: string | null
  phone: string | null
  title: string | null
  industry: string | null
  region: string | null
  campaignId: string | null
  status: LeadStatus
  disqualifiedReason: string | null
  ownerId: string | null
  convertedAt: string | null
  firstResponseAt: string | null
  convertedAccountId: string | null
  convertedContactId: string | null
  convertedOpportunityId: string | null
  utmSource: string | null
  utmMedium: string | null
  utmCampaign: string | null
  utmTerm: string | null
  utmContent: string | null
  referrer: string | null
  trackingCode: string | null
  createdAt: string
  updatedAt: string
}

export const toLead = (row: repo.LeadRow): Lead => ({
  id: row.id,
  name: row.name,
  company: row.company,
  email: row.email,
  phone: row.phone,
  title: row.title,
  industry: row.industry,
  region: row.region,
  campaignId: row.campaign_id,
  status: row.status,
  disqualifiedReason: row.disqualified_reason,
  ownerId: row.owner_id,
  convertedAt: row.converted_at?.toISOString() ?? null,
  firstResponseAt: row.first_response_at?.toISOString() ?? null,
  convertedAccountId: row.converted_account_id,
  convertedContactId: row.converted_contact_id,
  convertedOpportunityId: row.converted_opportunity_id,
  utmSource: row.utm_source,
  utmMedium: row.utm_medium,
  utmCampaign: row.utm_campaign,
  utmTerm: row.utm_term,
  utmContent: row.utm_content,
  referrer: row.referrer,
  trackingCode: row.tracking_code,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
})

export interface LeadPatch {
  name?: string
  company?: string | null
  email?: string | null
  phone?: string | null
  title?: string | null
  industry?: string | null
  region?: string | null
  campaignId?: string | null
  status?: LeadStatus
  disqualifiedReason?: string | null
  ownerId?: string | null
}

export interface NewLead extends LeadPatch {
  name: string
}

export async function listLeads(db: Kysely<Database>, filter: repo.LeadFilter) {
  const { rows, total } = await repo.listLeads(db, filter)
  return { items: rows.map(toLead), total, limit: filter.limit, offset: filter.offset }
}

export async function getLead(db: Kysely<Database>, id: string): Promise<Lead> {
  const row = await repo.findLeadById(db, id)
  if (!row) throw notFound('Lead', id)
  return toLead(row)
}

const CONVERTED_BY_CONVERT = 'is set by POST /leads/:id/convert, not by editing the lead'

/** The reason a lead ends up with: required while disqualified, dropped otherwise. */
function disqualifiedReason(status: LeadStatus, sent: string | null | undefined, stored: string | null): string | null {
  const reason = sent === undefined ? stored : optionalText(sent) ?? null
  if (status === 'disqualified') {
    if (!reason) throw invalidField('disqualifiedReason', 'is required when status is disqualified')
    return reason
  }
  if (sent) throw invalidField('disqualifiedReason', 'is only kept for disqualified leads')
  return null
}

export async function createLead(db: Kysely<Database>, ctx: RequestContext, input: NewLead): Promise<Lead> {
  const name = requiredText('name', input.name)
  const status = input.status ?? 'new'
  if (status === 'converted') throw invalidField('status', CONVERTED_BY_CONVERT)
  const reason = disqualifiedReason(status, input.disqualifiedReason, null)
  return db.transaction().execute(async (trx) => {
    if (input.campaignId) await assertCampaignExists(trx, input.campaignId)
    const row = await repo.insertLead(trx, {
      name,
      company: optionalText(input.company) ?? null,
      email: optionalText(input.email) ?? null,
      phone: optionalText(input.phone) ?? null,
      title: optionalText(input.title) ?? null,
      industry: optionalText(input.industry) ?? null,
      region: optionalText(input.region) ?? null,
      campaign_id: input.campaignId ?? null,
      status,
      disqualified_reason: reason,
      owner_id: input.ownerId === undefined ? ctx.actor.userId : input.ownerId,
    })
    const created = toLead(row)
    await recordAudit(trx, ctx, { entity: 'lead', entityId: row.id, action: 'create', after: created })
    await publishChange(trx, { entity: 'lead', id: row.id, action: 'create', campaignIds: [row.campaign_id] })
    return created
  })
}

export async function updateLead(db: Kysely<Database>, ctx: RequestContext, id: string, patch: LeadPatch): Promise<Lead> {
  const name = patch.name === undefined ? undefined : requiredText('name', patch.name)
  return db.transaction().execute(async (trx) => {
    const before = await repo.lockLead(trx, id)
    if (!before) throw notFound('Lead', id)
    if (patch.status !== undefined && patch.status !== before.status) {
      if (patch.status === 'converted') throw invalidField('status', CONVERTED_BY_CONVERT)
      if (before.status === 'converted') throw invalidState('This lead is converted; its status can no longer change', 'status')
    }
    const status = patch.status ?? before.status
    const reason = status === 'converted' ? before.disqualified_reason : disqualifiedReason(status, patch.disqualifiedReason, before.disqualified_reason)
    if (patch.campaignId && patch.campaignId !== before.campaign_id) await assertCampaignExists(trx, patch.campaignId)
    const row = await repo.updateLead(trx, id, definedOnly({
      name,
      company: optionalText(patch.company),
      email: optionalText(patch.email),
      phone: optionalText(patch.phone),
      title: optionalText(patch.title),
      industry: optionalText(patch.industry),
      region: optionalText(patch.region),
      campaign_id: patch.campaignId,
      status,
      disqualified_reason: reason,
      owner_id: patch.ownerId,
    }))
    const updated = toLead(row)
    await recordAudit(trx, ctx, { entity: 'lead', entityId: id, action: 'update', before: toLead(before), after: updated })
    await publishChange(trx, { entity: 'lead', id, action: 'update', campaignIds: [before.campaign_id, row.campaign_id] })
    return updated
  })
}

/** Deletes a lead no opportunity came from; otherwise a 409. */
export async function deleteLead(db: Kysely<Database>, ctx: RequestContext, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await repo.lockLead(trx, id)
    if (!before) throw notFound('Lead', id)
    const conflict = stillReferenced('lead', { opportunities: await repo.countLeadOpportunities(trx, id) })
    if (conflict) throw conflict
    await repo.deleteLead(trx, id)
    await recordAudit(trx, ctx, { entity: 'lead', entityId: id, action: 'delete', before: toLead(before) })
    await publishChange(trx, { entity: 'lead', id, action: 'delete', campaignIds: [before.campaign_id] })
  })
}

/** Hands leads to one owner (or to nobody) in one transaction; unknown ids fail the whole request. */
export async function assignLeads(db: Kysely<Database>, ctx: RequestContext, leadIds: readonly string[], ownerId: string | null): Promise<{ updated: number }> {
  return db.transaction().execute(async (trx) => {
    const before = await repo.lockLeads(trx, leadIds)
    if (before.length !== leadIds.length) {
      const found = new Set(before.map((l) => l.id))
      const missing = leadIds.filter((id) => !found.has(id))
      throw invalidReference('leadIds', `no lead has id ${missing.join(', ')}`)
    }
    const changing = before.filter((l) => l.owner_id !== ownerId)
    if (changing.length === 0) return { updated: 0 }
    const after = new Map((await repo.updateLeadOwners(trx, changing.map((l) => l.id), ownerId)).map((row) => [row.id, row]))
    for (const lead of changing) {
      await recordAudit(trx, ctx, { entity: 'lead', entityId: lead.id, action: 'assign', before: toLead(lead), after: toLead(after.get(lead.id)!) })
    }
    // One event for the batch (a NOTIFY payload must stay under 8000 bytes): no id when several changed.
    await publishChange(trx, {
      entity: 'lead',
      id: changing.length === 1 ? changing[0]!.id : null,
      action: 'assign',
      campaignIds: changing.map((l) => l.campaign_id),
    })
    return { updated: changing.length }
  })
}

export interface ConvertLeadInput {
  accountId?: string
  account?: AccountPatch
  contactId?: string
  contact?: ContactPatch
  opportunity?: { name: string; amount: string | number; expectedCloseDate?: string | null }
}

export interface ConvertLeadResult {
  accountId: string
  contactId: string
  opportunityId: string | null
}

/**
 * Turns a lead into an account (reused or created), a contact (reused or created from the lead)
 * and optionally an opportunity sourced from the lead's campaign: all of it or nothing.
 */
export async function convertLead(db: Kysely<Database>, ctx: RequestContext, id: string, input: ConvertLeadInput): Promise<ConvertLeadResult> {
  if (input.accountId && input.account) throw invalidField('account', 'send either accountId (reuse) or account (create), not both')
  if (input.contactId && input.contact) throw invalidField('contact', 'send either contactId (reuse) or contact (create), not both')
  const amountCents = input.opportunity ? moneyField('opportunity.amount', input.opportunity.amount) : null
  const opportunityName = input.opportunity ? requiredText('opportunity.name', input.opportunity.name) : null

  return db.transaction().execute(async (trx) => {
    // Locked so that two conversions of one lead cannot both pass the status check.
    const lead = await repo.lockLead(trx, id)
    if (!lead) throw notFound('Lead', id)
    if (lead.status === 'converted') throw invalidState('This lead is already converted', 'status')
    if (lead.status === 'disqualified') throw invalidState('A disqualified lead cannot be converted; requalify it first', 'status')

    const accountId = input.accountId
      ? (await assertAccountExists(trx, input.accountId)).id
      : (await createAccountInTransaction(trx, ctx, {
          ...input.account,
          name: input.account?.name ?? lead.company ?? lead.name,
          industry: input.account?.industry === undefined ? lead.industry : input.account.industry,
          region: input.account?.region === undefined ? lead.region : input.account.region,
        })).id

    let contactId: string
    if (input.contactId) {
      const contact = await assertContactExists(trx, input.contactId)
      if (contact.accountId && contact.accountId !== accountId) {
        throw invalidField('contactId', `belongs to another account (${contact.accountId})`)
      }
      contactId = contact.id
    } else {
      contactId = (await createContactInTransaction(trx, ctx, {
        name: lead.name,
        email: lead.email,
        phone: lead.phone,
        title: lead.title,
        ...input.contact,
        accountId,
      })).id
    }

    const opportunityId = input.opportunity
      ? (await createOpportunityInTransaction(trx, ctx, {
          name: opportunityName!,
          amountCents: amountCents!,
          accountId,
          contactId,
          leadId: lead.id,
          campaignId: lead.campaign_id,
          expectedCloseDate: input.opportunity.expectedCloseDate ?? null,
          ownerId: ctx.actor.userId,
        })).id
      : null

    await carryLeadTouchpointsOver(trx, lead.id, contactId)
    const row = await repo.updateLead(trx, id, {
      status: 'converted',
      converted_at: new Date(),
      converted_account_id: accountId,
      converted_contact_id: contactId,
      converted_opportunity_id: opportunityId,
    })
    await recordAudit(trx, ctx, { entity: 'lead', entityId: id, action: 'convert', before: toLead(lead), after: toLead(row) })
    await publishChange(trx, { entity: 'lead', id, action: 'convert', campaignIds: [row.campaign_id] })
    return { accountId, contactId, opportunityId }
  })
}

