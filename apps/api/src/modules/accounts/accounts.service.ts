import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'
import { notFound } from '../../errors.ts'
import type { RequestContext } from '../../lib/context.ts'
import { invalidReference, stillReferenced } from '../../lib/references.ts'
import { definedOnly, optionalText, requiredText } from '../../lib/text.ts'
import { recordAudit } from '../audit/audit.service.ts'
import { publishChange } from '../events/events.service.ts'
import * as repo from './accounts.repository.ts'

type AccountRow = NonNullable<Awaited<ReturnType<typeof repo.findAccountById>>>

export interface Account {
  id: string
  name: string
  industry: string | null
  size: string | null
  region: string | null
  website: string | null
  phone: string | null
  address: string | null
  ownerId: string | null
  createdAt: string
  updatedAt: string
}

export interface AccountDetail extends Account {
  contactCount: number
  opportunityCount: number
  orderCount: number
}

export const toAccount = (row: AccountRow): Account => ({
  id: row.id,
  name: row.name,
  industry: row.industry,
  size: row.size,
  region: row.region,
  website: row.website,
  phone: row.phone,
  address: row.address,
  ownerId: row.owner_id,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
})

export interface AccountPatch {
  name?: string
  industry?: string | null
  size?: string | null
  region?: string | null
  website?: string | null
  phone?: string | null
  address?: string | null
  ownerId?: string | null
}

export interface NewAccount extends AccountPatch {
  name: string
}

export async function listAccounts(db: Kysely<Database>, filter: repo.AccountFilter) {
  const { rows, total } = await repo.listAccounts(db, filter)
  return { items: rows.map(toAccount), total, limit: filter.limit, offset: filter.offset }
}

export async function getAccount(db: Kysely<Database>, id: string): Promise<AccountDetail> {
  const row = await repo.findAccountById(db, id)
  if (!row) throw notFound('Account', id)
  const refs = await repo.countAccountReferences(db, id)
  return { ...toAccount(row), contactCount: refs.contacts, opportunityCount: refs.opportunities, orderCount: refs.orders }
}

/** Fails with a 400 naming `field` when no account has this id (for records that point at one). */
export async function assertAccountExists(db: Kysely<Database>, id: string, field = 'accountId'): Promise<Account> {
  const row = await repo.findAccountById(db, id)
  if (!row) throw invalidReference(field, `no account has id ${id}`)
  return toAccount(row)
}

export async function createAccount(db: Kysely<Database>, ctx: RequestContext, input: NewAccount): Promise<Account> {
  return db.transaction().execute((trx) => createAccountInTransaction(trx, ctx, input))
}

/** Creates an account inside the caller's transaction (lead conversion uses this), with its audit entry. */
export async function createAccountInTransaction(trx: Kysely<Database>, ctx: RequestContext, input: NewAccount): Promise<Account> {
  const row = await repo.insertAccount(trx, {
    name: requiredText('name', input.name),
    industry: optionalText(input.industry) ?? null,
    size: optionalText(input.size) ?? null,
    region: optionalText(input.region) ?? null,
    website: optionalText(input.website) ?? null,
    phone: optionalText(input.phone) ?? null,
    address: optionalText(input.address) ?? null,
    owner_id: input.ownerId === undefined ? ctx.actor.userId : input.ownerId,
  })
  const created = toAccount(row)
  await recordAudit(trx, ctx, { entity: 'account', entityId: row.id, action: 'create', after: created })
  await publishChange(trx, { entity: 'account', id: row.id, action: 'create', campaignIds: [] })
  return created
}

export async function updateAccount(db: Kysely<Database>, ctx: RequestContext, id: string, patch: AccountPatch): Promise<Account> {
  return db.transaction().execute(async (trx) => {
    const before = await repo.lockAccount(trx, id)
    if (!before) throw notFound('Account', id)
    const row = await repo.updateAccount(trx, id, definedOnly({
      name: patch.name === undefined ? undefined : requiredText('name', patch.name),
      industry: optionalText(patch.industry),
      size: optionalText(patch.size),
      region: optionalText(patch.region),
      website: optionalText(patch.website),
      phone: optionalText(patch.phone),
      address: optionalText(patch.address),
      owner_id: patch.ownerId,
    }))
    const updated = toAccount(row)
    await recordAudit(trx, ctx, { entity: 'account', entityId: id, action: 'update', before: toAccount(before), after: updated })
    await publishChange(trx, { entity: 'account', id, action: 'update', campaignIds: [] })
    return updated
  })
}

/** Deletes an account that nothing points at any more; otherwise a 409 saying what still does. */
export async function deleteAccount(db: Kysely<Database>, ctx: RequestContext, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // Locked first: a contact or order created meanwhile waits, then fails its foreign key.
    const before = await repo.lockAccount(trx, id)
    if (!before) throw notFound('Account', id)
    const refs = await repo.countAccountReferences(trx, id)
    const conflict = stillReferenced('account', {
      contacts: refs.contacts, 'converted leads': refs.leads, opportunities: refs.opportunities, orders: refs.orders,
    })
    if (conflict) throw conflict
    await repo.deleteAccount(trx, id)
    await recordAudit(trx, ctx, { entity: 'account', entityId: id, action: 'delete', before: toAccount(before) })
    await publishChange(trx, { entity: 'account', id, action: 'delete', campaignIds: [] })
  })
}
