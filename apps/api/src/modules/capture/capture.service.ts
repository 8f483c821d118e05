import type { Kysely } from 'kysely'
import { randomUUID } from 'node:crypto'
import type { Database } from '../../db/database.ts'
import type { RequestContext } from '../../lib/context.ts'
import { optionalText } from '../../lib/text.ts'
import { recordAudit } from '../audit/audit.service.ts'
import { publishChange } from '../events/events.service.ts'
import type { PersonType } from '../touchpoints/touchpoints.table.ts'
import * as repo from './capture.repository.ts'

/** What a captured person is matched on: the same email, the same phone (by its digits), or the same company and name. */
export type DedupeKey = 'email' | 'phone' | 'company_name'

/**
 * What happens to a person who is already known: `fill` gives the record the values it lacks and
 * never overwrites what staff entered (web forms, walk-ins); `update` overwrites with every value
 * given (an import the user asked to update from); `skip` leaves the record alone.
 */
export type OnDuplicate = 'fill' | 'update' | 'skip'

export interface CapturedPerson {
  name: string
  company?: string | null
  email?: string | null
  phone?: string | null
  title?: string | null
  industry?: string | null
  region?: string | null
}

/** Where a person came from; kept on a lead as it first arrived. */
export interface CaptureOrigin {
  utmSource?: string | null
  utmMedium?: string | null
  utmCampaign?: string | null
  utmTerm?: string | null
  utmContent?: string | null
  referrer?: string | null
  trackingCode?: string | null
}

export interface CaptureInput {
  person: CapturedPerson
  origin?: CaptureOrigin
}

export interface CaptureOptions {
  /** The campaign new leads came from (and known leads without one). */
  campaignId: string | null
  /** Who owns new leads; null leaves them unassigned. */
  ownerId: string | null
  /** The keys tried, in this order; an empty list matches no one. */
  dedupeBy: readonly DedupeKey[]
  onDuplicate: OnDuplicate
}

export type CaptureOutcome = 'created' | 'updated' | 'unchanged' | 'skipped'

export interface Captured {
  personType: PersonType
  personId: string
  outcome: CaptureOutcome
  /** The index of an earlier input of the same call that is the same person, else null. */
  duplicateOf: number | null
}

const PERSON_FIELDS = ['name', 'company', 'email', 'phone', 'title', 'industry', 'region'] as const
const CONTACT_FIELDS = ['name', 'email', 'phone', 'title'] as const

function cleanPerson(person: CapturedPerson): repo.PersonValues {
  return {
    name: person.name.trim(),
    company: optionalText(person.company) ?? null,
    email: optionalText(person.email) ?? null,
    phone: optionalText(person.phone) ?? null,
    title: optionalText(person.title) ?? null,
    industry: optionalText(person.industry) ?? null,
    region: optionalText(person.region) ?? null,
  }
}

function cleanOrigin(origin: CaptureOrigin | undefined): repo.OriginValues {
  return {
    utm_source: optionalText(origin?.utmSource) ?? null,
    utm_medium: optionalText(origin?.utmMedium) ?? null,
    utm_campaign: optionalText(origin?.utmCampaign) ?? null,
    utm_term: optionalText(origin?.utmTerm) ?? null,
    utm_content: optionalText(origin?.utmContent) ?? null,
    referrer: optionalText(origin?.referrer) ?? null,
    tracking_code: optionalText(origin?.trackingCode) ?? null,
  }
}

const hasOrigin = (origin: repo.OriginValues) => Object.values(origin).some((v) => v !== null)

/** The database's match for one input: the first key in dedupeBy order that finds someone, a contact before a lead. */
function matchOf(row: repo.MatchRow, dedupeBy: readonly DedupeKey[]): { personType: PersonType; id: string } | undefined {
  for (const key of dedupeBy) {
    const contact = key === 'email' ? row.contact_by_email : key === 'phone' ? row.contact_by_phone : null
    if (contact) return { personType: 'contact', id: contact }
    const [lead, convertedTo] = key === 'email'
      ? [row.lead_by_email, row.lead_by_email_contact]
      : key === 'phone' ? [row.lead_by_phone, row.lead_by_phone_contact] : [row.lead_by_company_name, row.lead_by_company_name_contact]
    if (lead) return convertedTo ? { personType: 'contact', id: convertedTo } : { personType: 'lead', id: lead }
  }
  return undefined
}

const keyValues = (row: repo.MatchRow, dedupeBy: readonly DedupeKey[]) => dedupeBy.flatMap((key) => {
  const value = key === 'email' ? row.email_key : key === 'phone' ? row.phone_key : row.company_name_key
  return value === null ? [] : [`${key}:${value}`]
})

/** An email that differs only in case, or a phone only in spacing, is the same: an update keeps how staff wrote it. */
function sameValue(field: string, stored: string | null | boolean | undefined, given: string): boolean {
  if (typeof stored !== 'string') return false
  if (field === 'email') return stored.toLowerCase() === given.toLowerCase()
  if (field === 'phone') return stored.replace(/\D/g, '') === given.replace(/\D/g, '')
  return stored === given
}

/**
 * Applies one input's values to a record's state as `mode` says; true when anything changed.
 * A lead's origin is kept as it first arrived: it is only filled in when the lead has none.
 */
function applyValues(
  state: Record<string, string | null | boolean>,
  fields: readonly string[],
  values: Record<string, string | null>,
  mode: 'fill' | 'update',
): boolean {
  let changed = false
  for (const field of fields) {
    const value = values[field] ?? null
    if (value === null || sameValue(field, state[field], value)) continue
    if (mode === 'fill' && state[field] !== null) continue
    state[field] = value
    changed = true
  }
  return changed
}

/**
 * Finds or creates the people of one capture (a form submission, a walk-in, a batch of an
 * import) inside the caller's transaction, in a handful of statements whatever the batch size.
 *
 * Each input is matched by the keys of `dedupeBy` in order, a contact before a lead (a lead that
 * was converted stands for its contact); an input matching an earlier input of the same call is
 * that person too (`duplicateOf`). New people become leads (status new) of `campaignId`, owned by
 * `ownerId`, with their origin. Known people are filled in, updated or skipped as `onDuplicate`
 * says; a known lead without a campaign gets this one.
 *
 * @example
 * // A form sent twice by one person, the second time with a phone number:
 * await capturePeople(trx, ctx, [{ person: { name: '王芳', email: 'wf@example.cn' } }], { campaignId, ownerId: null, dedupeBy: ['email', 'phone'], onDuplicate: 'fill' })
 * // → [{ personType: 'lead', personId: 'a1…', outcome: 'created', duplicateOf: null }]
 * await capturePeople(trx, ctx, [{ person: { name: '王芳', email: ' WF@example.cn ', phone: '138 0013 8000' } }], { …same options })
 * // → [{ personType: 'lead', personId: 'a1…', outcome: 'updated', duplicateOf: null }] (the phone was filled in)
 */
export async function capturePeople(
  trx: Kysely<Database>,
  ctx: RequestContext,
  inputs: readonly CaptureInput[],
  options: CaptureOptions,
): Promise<Captured[]> {
  if (inputs.length === 0) return []
  const people = inputs.map((input) => cleanPerson(input.person))
  const origins = inputs.map((input) => cleanOrigin(input.origin))
  const by = { email: options.dedupeBy.includes('email'), phone: options.dedupeBy.includes('phone'), companyName: options.dedupeBy.includes('company_name') }

  if (people.length === 1) {
    const keys = await repo.keysOf(trx, people[0]!)
    const held = [by.email && keys.email_key, by.phone && keys.phone_key, by.companyName && keys.company_name_key]
    await repo.lockForPerson(trx, held.filter((k): k is string => typeof k === 'string'))
  } else {
    await repo.lockForBatch(trx)
  }
  const matches = await repo.findMatches(trx, people, by)

  // Each input's target: a known person, or an input of this call that creates one.
  const firstByKey = new Map<string, number>()
  const firstByPerson = new Map<string, number>()
  const targets = matches.map((row, index) => {
    const known = matchOf(row, options.dedupeBy)
    const keys = keyValues(row, options.dedupeBy)
    const earlier = known
      ? firstByPerson.get(`${known.personType}:${known.id}`)
      : keys.map((k) => firstByKey.get(k)).find((i) => i !== undefined)
    if (known && earlier === undefined) firstByPerson.set(`${known.personType}:${known.id}`, index)
    for (const key of keys) if (!firstByKey.has(key)) firstByKey.set(key, earlier ?? index)
    return { known, duplicateOf: earlier ?? null }
  })

  const [leadStates, contactStates] = await Promise.all([
    repo.findLeads(trx, targets.flatMap((t) => (t.known?.personType === 'lead' ? [t.known.id] : []))),
    repo.findContacts(trx, targets.flatMap((t) => (t.known?.personType === 'contact' ? [t.known.id] : []))),
  ])
  // The stored origin is not read: the update keeps it (updateLeadsKeepingOrigin); has_origin says whether there is one.
  const leads = new Map<string, repo.LeadWrite & { has_origin: boolean }>(leadStates.map((l) => [l.id, { ...l, ...nullOrigin() }]))
  const contacts = new Map<string, repo.ContactState>(contactStates.map((c) => [c.id, { ...c }]))
  const before = new Map<string, object>([...leadStates, ...contactStates].map((r) => [r.id, withoutOriginFlag(r)]))
  const changedLeads = new Set<string>()
  const changedContacts = new Set<string>()
  const newLeads: Array<repo.LeadWrite & { has_origin: boolean }> = []
  const results: Captured[] = []

  targets.forEach((target, index) => {
    const person = people[index]!
    const origin = origins[index]!
    const root = target.duplicateOf === null ? undefined : results[target.duplicateOf]
    if (!target.known && !root) {
      const lead = { id: randomUUID(), ...person, campaign_id: options.campaignId, ...origin, has_origin: hasOrigin(origin) }
      newLeads.push(lead)
      results.push({ personType: 'lead', personId: lead.id, outcome: 'created', duplicateOf: null })
      return
    }
    const personType = target.known?.personType ?? root!.personType
    const personId = target.known?.id ?? root!.personId
    if (options.onDuplicate === 'skip') {
      results.push({ personType, personId, outcome: 'skipped', duplicateOf: target.duplicateOf })
      return
    }
    const mode = options.onDuplicate
    let changed: boolean
    if (personType === 'contact') {
      const contact = contacts.get(personId)!
      changed = applyValues(contact as unknown as Record<string, string | null>, CONTACT_FIELDS, person as unknown as Record<string, string | null>, mode)
      if (changed) changedContacts.add(personId)
    } else {
      const lead = leads.get(personId) ?? newLeads.find((l) => l.id === personId)!
      const state = lead as unknown as Record<string, string | null | boolean>
      changed = applyValues(state, PERSON_FIELDS, person as unknown as Record<string, string | null>, mode)
      if (lead.campaign_id === null && options.campaignId !== null) {
        lead.campaign_id = options.campaignId
        changed = true
      }
      if (!lead.has_origin && hasOrigin(origin)) {
        Object.assign(lead, origin, { has_origin: true })
        changed = true
      }
      if (changed && leads.has(personId)) changedLeads.add(personId)
    }
    results.push({ personType, personId, outcome: changed ? 'updated' : 'unchanged', duplicateOf: target.duplicateOf })
  })

  await repo.insertLeads(trx, newLeads, options.ownerId)
  await repo.updateLeadsKeepingOrigin(trx, [...changedLeads].map((id) => leads.get(id)!))
  await repo.updateContacts(trx, [...changedContacts].map((id) => contacts.get(id)!))

  const changed = newLeads.length + changedLeads.size + changedContacts.size
  if (changed === 0) return results
  if (results.length === 1) {
    const [only] = results as [Captured]
    const after = newLeads[0] ?? leads.get(only.personId) ?? contacts.get(only.personId)!
    await recordAudit(trx, ctx, {
      entity: only.personType, entityId: only.personId, action: only.outcome === 'created' ? 'create' : 'update',
      before: before.get(only.personId) ?? null, after: auditedAfter(withoutOriginFlag(after), before.get(only.personId)),
    })
  } else {
    // One entry for a batch: its people are in the leads list, not copied into the log.
    await recordAudit(trx, ctx, {
      entity: 'lead', entityId: options.campaignId ?? 'none', action: 'bulk_capture',
      changes: { created: { before: null, after: newLeads.length }, updated: { before: null, after: changedLeads.size + changedContacts.size } },
    })
  }
  const single = results.length === 1 ? results[0]! : undefined
  await publishChange(trx, {
    entity: single?.personType ?? 'lead', id: single?.personId ?? null,
    action: newLeads.length > 0 ? 'create' : 'update', campaignIds: [options.campaignId],
  })
  return results
}

/** An updated record's fields that its before snapshot has, so that the log shows only real changes. */
function auditedAfter(after: object, before: object | undefined): object {
  if (!before) return after
  return Object.fromEntries(Object.entries(after).filter(([key]) => key in before))
}

/** A record as the audit log shows it: without the bookkeeping flag. */
function withoutOriginFlag(record: object): object {
  return Object.fromEntries(Object.entries(record).filter(([key]) => key !== 'has_origin'))
}

const nullOrigin = (): repo.OriginValues => ({
  utm_source: null, utm_medium: null, utm_campaign: null, utm_term: null, utm_content: null, referrer: null, tracking_code: null,
})
