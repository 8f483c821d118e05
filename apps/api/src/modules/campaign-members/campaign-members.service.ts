import { CAMPAIGN_TYPES, type CampaignType } from '@yardstick/roi-core'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'
import { DomainError, invalidField, notFound, type FieldProblem } from '../../errors.ts'
import type { RequestContext } from '../../lib/context.ts'
import { invalidReference, invalidReferences } from '../../lib/references.ts'
import { recordAudit } from '../audit/audit.service.ts'
import { publishChange } from '../events/events.service.ts'
import { recordTouchpointsInTransaction, type NewTouchpoint } from '../touchpoints/touchpoints.service.ts'
import type { PersonType } from '../touchpoints/touchpoints.table.ts'
import * as repo from './campaign-members.repository.ts'
import { MAX_BULK } from './campaign-members.schemas.ts'

export interface FlowStatus {
  status: string
  position: number
  responded: boolean
}

export interface MemberStatusFlow {
  campaignType: CampaignType
  statuses: FlowStatus[]
}

export interface CampaignMember {
  id: string
  campaignId: string
  personType: PersonType
  personId: string
  name: string
  email: string | null
  company: string | null
  status: string
  statusChangedAt: string
  respondedAt: string | null
  createdAt: string
  updatedAt: string
}

export interface StatusChangeEntry {
  status: string
  changedAt: string
  changedBy: string | null
}

const toFlowStatus = (row: repo.FlowRow): FlowStatus => ({ status: row.status, position: row.position, responded: row.responded })

export const toMember = (row: repo.MemberRow): CampaignMember => ({
  id: row.id,
  campaignId: row.campaign_id,
  personType: row.person_type,
  personId: (row.person_type === 'lead' ? row.lead_id : row.contact_id)!,
  name: row.name,
  email: row.email,
  company: row.company,
  status: row.status,
  statusChangedAt: row.status_changed_at.toISOString(),
  respondedAt: row.responded_at?.toISOString() ?? null,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
})

// ---- Status flows -------------------------------------------------------------------------

/** Every campaign type's flow, statuses in funnel order. */
export async function listFlows(db: Kysely<Database>): Promise<{ items: MemberStatusFlow[] }> {
  const rows = await repo.listFlows(db)
  return {
    items: CAMPAIGN_TYPES.map((campaignType) => ({
      campaignType,
      statuses: rows.filter((r) => r.campaign_type === campaignType).map(toFlowStatus),
    })),
  }
}

/**
 * Replaces a campaign type's flow. A status that members of campaigns of this type still have
 * cannot be removed (409): move those members first.
 */
export async function replaceFlow(
  db: Kysely<Database>,
  ctx: RequestContext,
  campaignType: CampaignType,
  statuses: ReadonlyArray<{ status: string; responded: boolean }>,
): Promise<MemberStatusFlow> {
  const seen = new Set<string>()
  statuses.forEach((s, i) => {
    if (seen.has(s.status)) throw invalidField(`statuses[${i}].status`, `${s.status} is listed twice`)
    seen.add(s.status)
  })
  return db.transaction().execute(async (trx) => {
    const before = await repo.lockFlow(trx, campaignType, 'update')
    const removed = before.map((r) => r.status).filter((status) => !seen.has(status))
    const inUse = await repo.countStatusesInUse(trx, campaignType, removed)
    if (inUse.length > 0) {
      const held = inUse.map((r) => `${r.status} (${r.n} ${r.n === 1 ? 'member' : 'members'})`).join(', ')
      const message = `members of ${campaignType} campaigns still have ${held}; move them to another status first`
      throw new DomainError(409, 'conflict', `statuses: ${message}`, [{ field: 'statuses', message }])
    }
    await repo.replaceFlow(trx, campaignType, statuses)
    const after: MemberStatusFlow = { campaignType, statuses: statuses.map((s, position) => ({ status: s.status, position, responded: s.responded })) }
    // audit_log.entity_id is text: a flow is identified by its campaign type.
    await recordAudit(trx, ctx, {
      entity: 'member_status_flow', entityId: campaignType, action: 'update',
      before: { statuses: before.map(toFlowStatus) }, after: { statuses: after.statuses },
    })
    return after
  })
}

// ---- Reading members ----------------------------------------------------------------------

async function campaignTypeOf(db: Kysely<Database>, campaignId: string): Promise<CampaignType> {
  const type = await repo.findCampaignType(db, campaignId)
  if (!type) throw notFound('Campaign', campaignId)
  return type
}

export async function listMembers(db: Kysely<Database>, campaignId: string, filter: repo.MemberFilter) {
  await campaignTypeOf(db, campaignId)
  const { rows, total } = await repo.listMembers(db, campaignId, filter)
  return { items: rows.map(toMember), total, limit: filter.limit, offset: filter.offset }
}

async function readMember(db: Kysely<Database>, campaignId: string, id: string): Promise<CampaignMember> {
  const row = await repo.findMember(db, campaignId, id)
  if (!row) throw notFound('Campaign member', id)
  return toMember(row)
}

export async function getMember(db: Kysely<Database>, campaignId: string, id: string): Promise<CampaignMember & { history: StatusChangeEntry[] }> {
  await campaignTypeOf(db, campaignId)
  const member = await readMember(db, campaignId, id)
  const history = await repo.listHistory(db, id)
  return {
    ...member,
    history: history.map((h) => ({ status: h.status, changedAt: h.changed_at.toISOString(), changedBy: h.changed_by })),
  }
}

/** The status funnel: the flow in order with its counts, then statuses members hold that the flow no longer has. */
export async function summarize(db: Kysely<Database>, campaignId: string) {
  const campaignType = await campaignTypeOf(db, campaignId)
  const [flow, counts] = await Promise.all([
    repo.findFlow(db, campaignType),
    repo.countByStatus(db, campaignId),
  ])
  const byStatus = new Map(counts.map((c) => [c.status, c.n]))
  const inFlow = new Set(flow.map((f) => f.status))
  const statuses = [
    ...flow.map((f) => ({ ...toFlowStatus(f), count: byStatus.get(f.status) ?? 0 })),
    ...counts.filter((c) => !inFlow.has(c.status)).map((c) => ({ status: c.status, position: null, responded: false, count: c.n })),
  ]
  return {
    campaignType,
    statuses,
    total: counts.reduce((sum, c) => sum + c.n, 0),
    responded: counts.reduce((sum, c) => sum + c.responded, 0),
  }
}

// ---- Writing members ----------------------------------------------------------------------

/** The flow status a write moves members to (the first of the flow by default), checked against the locked flow. */
async function flowStatus(trx: Kysely<Database>, campaignType: CampaignType, status: string | undefined): Promise<FlowStatus> {
  const flow = await repo.lockFlow(trx, campaignType, 'share')
  const found = status === undefined ? flow[0] : flow.find((f) => f.status === status)
  if (!found) {
    throw invalidField('status', status === undefined
      ? `the ${campaignType} flow has no statuses`
      : `is not a status of the ${campaignType} flow (${flow.map((f) => f.status).join(', ')})`)
  }
  return toFlowStatus(found)
}

/** The touchpoint of each member reaching a responded status for the first time, at the time of the change. */
async function recordResponses(trx: Kysely<Database>, campaignId: string, members: readonly repo.AddedMember[], status: string, at: Date) {
  if (members.length === 0) return
  const touches = members.map((m): NewTouchpoint => ({
    personType: m.person_type,
    personId: (m.person_type === 'lead' ? m.lead_id : m.contact_id)!,
    campaignId,
    type: 'campaign_member',
    occurredAt: at.toISOString(),
    memberId: m.id,
    metadata: { status },
  }))
  await recordTouchpointsInTransaction(trx, touches, (_, field) => field)
}

const publishCampaignUpdate = (trx: Kysely<Database>, campaignId: string) =>
  publishChange(trx, { entity: 'campaign', id: campaignId, action: 'update', campaignIds: [campaignId] })

export interface NewMember {
  personType: PersonType
  personId: string
  status?: string
}

export async function addMember(db: Kysely<Database>, ctx: RequestContext, campaignId: string, input: NewMember): Promise<CampaignMember> {
  return db.transaction().execute(async (trx) => {
    const campaignType = await campaignTypeOf(trx, campaignId)
    const status = await flowStatus(trx, campaignType, input.status)
    const known = await repo.findExistingPeople(trx, input.personType, [input.personId])
    if (!known.has(input.personId)) throw invalidReference('personId', `no ${input.personType} has id ${input.personId}`)
    const changedAt = new Date()
    const [added] = await repo.insertMembers(trx, {
      campaignId, personType: input.personType, status: status.status,
      respondedAt: status.responded ? changedAt : null, changedAt, createdBy: ctx.actor.userId,
    }, { ids: [input.personId] })
    if (!added) {
      const message = `this ${input.personType} is already a member of the campaign`
      throw new DomainError(409, 'conflict', `personId: ${message}`, [{ field: 'personId', message }])
    }
    if (status.responded) await recordResponses(trx, campaignId, [added], status.status, changedAt)
    const member = await readMember(trx, campaignId, added.id)
    await recordAudit(trx, ctx, { entity: 'campaign_member', entityId: member.id, action: 'create', after: member })
    await publishCampaignUpdate(trx, campaignId)
    return member
  })
}

export interface BulkAddInput {
  personType: PersonType
  personIds?: readonly string[]
  filter?: repo.PeopleFilter
  status?: string
}

const LEAD_ONLY_FILTERS = ['status', 'campaignId', 'ownerId'] as const

/** Checks the people a bulk add names: every id known (else all fail), or a filter matching at most MAX_BULK. */
async function bulkPeople(trx: Kysely<Database>, input: BulkAddInput): Promise<{ people: { ids: readonly string[] } | { filter: repo.PeopleFilter }; requested: number }> {
  if ((input.personIds === undefined) === (input.filter === undefined)) {
    throw invalidField('personIds', 'send exactly one of personIds and filter')
  }
  if (input.personIds) {
    const known = await repo.findExistingPeople(trx, input.personType, input.personIds)
    const problems: FieldProblem[] = []
    input.personIds.forEach((id, i) => {
      if (!known.has(id)) problems.push({ field: `personIds[${i}]`, message: `no ${input.personType} has id ${id}` })
    })
    if (problems.length > 0) throw invalidReferences(problems)
    const ids = [...new Set(input.personIds)]
    return { people: { ids }, requested: ids.length }
  }
  const filter = input.filter!
  if (input.personType === 'lead' && filter.accountId !== undefined) throw invalidField('filter.accountId', 'only filters contacts')
  if (input.personType === 'contact') {
    const leadOnly = LEAD_ONLY_FILTERS.find((key) => filter[key] !== undefined)
    if (leadOnly) throw invalidField(`filter.${leadOnly}`, 'only filters leads')
  }
  const matching = await repo.countPeopleMatching(trx, input.personType, filter, MAX_BULK)
  if (matching > MAX_BULK) {
    throw invalidField('filter', `matches more than ${MAX_BULK} ${input.personType}s; one request adds at most ${MAX_BULK}: narrow the filter`)
  }
  return { people: { filter }, requested: matching }
}

/**
 * Adds everyone named or matched who is not yet a member, in one statement: all or nothing.
 * Returns how many were added and how many were members already.
 */
export async function addMembers(db: Kysely<Database>, ctx: RequestContext, campaignId: string, input: BulkAddInput) {
  return db.transaction().execute(async (trx) => {
    const campaignType = await campaignTypeOf(trx, campaignId)
    const status = await flowStatus(trx, campaignType, input.status)
    const { people, requested } = await bulkPeople(trx, input)
    const changedAt = new Date()
    const added = await repo.insertMembers(trx, {
      campaignId, personType: input.personType, status: status.status,
      respondedAt: status.responded ? changedAt : null, changedAt, createdBy: ctx.actor.userId,
    }, people)
    const result = { added: added.length, alreadyMembers: Math.max(requested - added.length, 0) }
    if (added.length === 0) return result
    if (status.responded) await recordResponses(trx, campaignId, added, status.status, changedAt)
    // One entry for the request: its members are listed by GET /campaigns/:id/members, not copied into the log.
    await recordAudit(trx, ctx, {
      entity: 'campaign_member', entityId: campaignId, action: 'bulk_create',
      changes: {
        personType: { before: null, after: input.personType },
        status: { before: null, after: status.status },
        added: { before: null, after: added.length },
      },
    })
    await publishCampaignUpdate(trx, campaignId)
    return result
  })
}

/**
 * Moves locked members to a flow status: one history entry each, and a touchpoint for each
 * member reaching a responded status for the first time (the lock keeps that to one).
 */
async function changeStatuses(
  trx: Kysely<Database>, ctx: RequestContext, campaignId: string,
  members: ReadonlyArray<{ id: string; person_type: PersonType; lead_id: string | null; contact_id: string | null; status: string; responded_at: Date | null }>,
  status: FlowStatus,
): Promise<number> {
  const changing = members.filter((m) => m.status !== status.status)
  if (changing.length === 0) return 0
  const firstResponses = status.responded ? changing.filter((m) => m.responded_at === null) : []
  const changedAt = new Date()
  await repo.updateMemberStatuses(trx, {
    ids: changing.map((m) => m.id), status: status.status, changedAt, changedBy: ctx.actor.userId,
    firstResponseIds: firstResponses.map((m) => m.id),
  })
  await recordResponses(trx, campaignId, firstResponses, status.status, changedAt)
  return changing.length
}

export async function updateMemberStatus(db: Kysely<Database>, ctx: RequestContext, campaignId: string, id: string, status: string): Promise<CampaignMember> {
  return db.transaction().execute(async (trx) => {
    const campaignType = await campaignTypeOf(trx, campaignId)
    // Locked, so that two concurrent changes cannot both see no response yet and both record a touch.
    const locked = await repo.lockMember(trx, campaignId, id)
    if (!locked) throw notFound('Campaign member', id)
    const target = await flowStatus(trx, campaignType, status)
    if (locked.status === target.status) return readMember(trx, campaignId, id)
    const before = await readMember(trx, campaignId, id)
    await changeStatuses(trx, ctx, campaignId, [locked], target)
    const after = await readMember(trx, campaignId, id)
    await recordAudit(trx, ctx, { entity: 'campaign_member', entityId: id, action: 'update', before, after })
    await publishCampaignUpdate(trx, campaignId)
    return after
  })
}

/** Moves several members to one status, all or nothing: an id that is not a member of the campaign fails the request. */
export async function updateMemberStatuses(db: Kysely<Database>, ctx: RequestContext, campaignId: string, memberIds: readonly string[], status: string) {
  const ids = [...new Set(memberIds)]
  return db.transaction().execute(async (trx) => {
    const campaignType = await campaignTypeOf(trx, campaignId)
    const locked = await repo.lockMembers(trx, campaignId, ids)
    if (locked.length !== ids.length) {
      const found = new Set(locked.map((m) => m.id))
      const problems: FieldProblem[] = []
      memberIds.forEach((memberId, i) => {
        if (!found.has(memberId)) problems.push({ field: `memberIds[${i}]`, message: `no member of this campaign has id ${memberId}` })
      })
      throw invalidReferences(problems)
    }
    const target = await flowStatus(trx, campaignType, status)
    const updated = await changeStatuses(trx, ctx, campaignId, locked, target)
    if (updated === 0) return { updated }
    await recordAudit(trx, ctx, {
      entity: 'campaign_member', entityId: campaignId, action: 'bulk_update',
      changes: { status: { before: null, after: target.status }, updated: { before: null, after: updated } },
    })
    await publishCampaignUpdate(trx, campaignId)
    return { updated }
  })
}

// ---- Capture steps (forms, imports, event registration and check-in) ----------------------

export interface MemberStep {
  personType: PersonType
  personId: string
  status: string
  /** The person's own interaction at this step (a form sent, a check-in): recorded as a touchpoint linked to the member. */
  touch?: { type: string; externalId?: string; metadata?: Record<string, unknown> }
}

export interface AdvancedMember {
  memberId: string
  personType: PersonType
  personId: string
  status: string
  /** null for a member added by this step. */
  previousStatus: string | null
  moved: boolean
  created: boolean
}

const personKey = (personType: PersonType, personId: string) => `${personType}:${personId}`

/**
 * Records the steps people take in a campaign, inside the caller's transaction: people not yet
 * members are added at their step's status; members move forward in the campaign type's flow,
 * never back (a registration arriving after the check-in leaves the member attended). Every move
 * has its history entry at `at`.
 *
 * Touchpoints: a member reaching a responded status for the first time gets its one response
 * touch (`campaign_member`, carrying the step's metadata); any other step with a `touch` records
 * that touch, linked to the member and idempotent by its externalId. Several steps of one person
 * in one call count as one step at the furthest status, touched once.
 */
export async function advanceMembersInTransaction(
  trx: Kysely<Database>, ctx: RequestContext, campaignId: string, steps: readonly MemberStep[], at: Date = new Date(),
): Promise<AdvancedMember[]> {
  if (steps.length === 0) return []
  const campaignType = await campaignTypeOf(trx, campaignId)
  const flow = await repo.lockFlow(trx, campaignType, 'share')
  const inFlow = new Map(flow.map((f) => [f.status, toFlowStatus(f)]))
  steps.forEach((step, i) => {
    if (!inFlow.has(step.status)) {
      throw invalidField(steps.length === 1 ? 'status' : `steps[${i}].status`, `is not a status of the ${campaignType} flow (${flow.map((f) => f.status).join(', ')})`)
    }
  })
  const furthest = new Map<string, MemberStep>()
  for (const step of steps) {
    const key = personKey(step.personType, step.personId)
    const held = furthest.get(key)
    if (!held || inFlow.get(step.status)!.position > inFlow.get(held.status)!.position) furthest.set(key, { ...step, touch: step.touch ?? held?.touch })
  }
  const people = [...furthest.values()]

  const added = await repo.insertMemberSteps(trx, campaignId, people.map((p) => ({
    personType: p.personType, personId: p.personId, status: p.status, responded: inFlow.get(p.status)!.responded,
  })), at, ctx.actor.userId)
  const addedIds = new Set(added.map((m) => m.id))
  const members = await repo.lockMembersOfPeople(trx, campaignId,
    people.filter((p) => p.personType === 'lead').map((p) => p.personId),
    people.filter((p) => p.personType === 'contact').map((p) => p.personId))
  const memberOf = new Map(members.map((m) => [personKey(m.person_type, (m.lead_id ?? m.contact_id)!), m]))

  const results: AdvancedMember[] = []
  const moves = new Map<string, { ids: string[]; firstResponseIds: string[] }>()
  const touches: NewTouchpoint[] = []
  for (const step of people) {
    const member = memberOf.get(personKey(step.personType, step.personId))!
    const created = addedIds.has(member.id)
    const target = inFlow.get(step.status)!
    const current = inFlow.get(member.status)
    const moved = !created && member.status !== target.status && (current === undefined || target.position > current.position)
    const firstResponse = target.responded && (created || (moved && member.responded_at === null))
    if (moved) {
      const group = moves.get(target.status) ?? { ids: [], firstResponseIds: [] }
      group.ids.push(member.id)
      if (firstResponse) group.firstResponseIds.push(member.id)
      moves.set(target.status, group)
    }
    const touch = { personType: step.personType, personId: step.personId, campaignId, occurredAt: at.toISOString(), memberId: member.id }
    if (firstResponse) {
      touches.push({ ...touch, type: 'campaign_member', metadata: { status: target.status, ...step.touch?.metadata } })
    } else if (step.touch) {
      touches.push({ ...touch, type: step.touch.type, externalId: step.touch.externalId, metadata: { status: moved ? target.status : member.status, ...step.touch.metadata } })
    }
    results.push({
      memberId: member.id, personType: step.personType, personId: step.personId,
      status: moved || created ? target.status : member.status, previousStatus: created ? null : member.status, moved, created,
    })
  }
  for (const [status, group] of moves) {
    await repo.updateMemberStatuses(trx, { ids: group.ids, status, changedAt: at, changedBy: ctx.actor.userId, firstResponseIds: group.firstResponseIds })
  }
  if (touches.length > 0) await recordTouchpointsInTransaction(trx, touches, (i, field) => `steps[${i}].${field}`)
  if (added.length === 0 && moves.size === 0 && touches.length === 0) return results
  const [only] = results
  if (results.length === 1 && only) {
    await recordAudit(trx, ctx, {
      entity: 'campaign_member', entityId: only.memberId, action: only.created ? 'create' : 'update',
      changes: { status: { before: only.previousStatus, after: only.status } },
    })
  } else {
    await recordAudit(trx, ctx, {
      entity: 'campaign_member', entityId: campaignId, action: 'bulk_capture',
      changes: { added: { before: null, after: added.length }, moved: { before: null, after: [...moves.values()].reduce((n, g) => n + g.ids.length, 0) } },
    })
  }
  await publishCampaignUpdate(trx, campaignId)
  return results
}

/** Removes a member; its history and its touchpoint go with it. */
export async function removeMember(db: Kysely<Database>, ctx: RequestContext, campaignId: string, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await campaignTypeOf(trx, campaignId)
    const before = await repo.findMember(trx, campaignId, id)
    if (!before || !(await repo.deleteMember(trx, campaignId, id))) throw notFound('Campaign member', id)
    await recordAudit(trx, ctx, { entity: 'campaign_member', entityId: id, action: 'delete', before: toMember(before) })
    await publishCampaignUpdate(trx, campaignId)
  })
}
