import type { CampaignType, LeadStatus } from '@yardstick/roi-core'
import { sql, type Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'
import { containsPattern } from '../../lib/list-query.ts'
import type { PersonType } from '../touchpoints/touchpoints.table.ts'

// ---- Status flows -------------------------------------------------------------------------

export interface FlowRow {
  campaign_type: CampaignType
  status: string
  position: number
  responded: boolean
}

export async function listFlows(db: Kysely<Database>): Promise<FlowRow[]> {
  return db.selectFrom('member_status_flows').selectAll().orderBy('campaign_type').orderBy('position').orderBy('status').execute()
}

/** The flow of one campaign type in funnel order. */
export async function findFlow(db: Kysely<Database>, campaignType: CampaignType): Promise<FlowRow[]> {
  return db.selectFrom('member_status_flows').selectAll().where('campaign_type', '=', campaignType).orderBy('position').orderBy('status').execute()
}

/**
 * The flow of one campaign type in funnel order, locked. A member write takes it FOR SHARE and a flow
 * edit FOR UPDATE, so that no member lands on a status an edit is removing. Both lock in status
 * order (sorted back to funnel order here), so that they cannot deadlock.
 */
export async function lockFlow(db: Kysely<Database>, campaignType: CampaignType, mode: 'share' | 'update'): Promise<FlowRow[]> {
  const query = db.selectFrom('member_status_flows').selectAll().where('campaign_type', '=', campaignType).orderBy('status')
  const rows = await (mode === 'share' ? query.forShare() : query.forUpdate()).execute()
  return rows.sort((a, b) => a.position - b.position || a.status.localeCompare(b.status))
}

/** How many members of campaigns of this type hold each of these statuses (only those held). */
export async function countStatusesInUse(db: Kysely<Database>, campaignType: CampaignType, statuses: readonly string[]) {
  if (statuses.length === 0) return []
  return db.selectFrom('campaign_members as m')
    .innerJoin('campaigns as c', 'c.id', 'm.campaign_id')
    .select(['m.status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('c.type', '=', campaignType)
    .where('m.status', 'in', [...statuses])
    .groupBy('m.status')
    .orderBy('m.status')
    .execute()
}

/** Makes the flow exactly these statuses, in this order: kept rows are updated in place, so that their locks hold. */
export async function replaceFlow(db: Kysely<Database>, campaignType: CampaignType, statuses: ReadonlyArray<{ status: string; responded: boolean }>) {
  await db.insertInto('member_status_flows')
    .values(statuses.map((s, position) => ({ campaign_type: campaignType, status: s.status, position, responded: s.responded })))
    .onConflict((oc) => oc.columns(['campaign_type', 'status']).doUpdateSet((eb) => ({
      position: eb.ref('excluded.position'),
      responded: eb.ref('excluded.responded'),
    })))
    .execute()
  await db.deleteFrom('member_status_flows')
    .where('campaign_type', '=', campaignType)
    .where('status', 'not in', statuses.map((s) => s.status))
    .execute()
}

// ---- Campaigns and people -----------------------------------------------------------------

/** The campaign's type, which decides its members' statuses; undefined for an unknown campaign. */
export async function findCampaignType(db: Kysely<Database>, id: string): Promise<CampaignType | undefined> {
  const row = await db.selectFrom('campaigns').select('type').where('id', '=', id).executeTakeFirst()
  return row?.type
}

/** Which of these ids are people of this type. */
export async function findExistingPeople(db: Kysely<Database>, personType: PersonType, ids: readonly string[]): Promise<Set<string>> {
  const table = personType === 'lead' ? 'leads' : 'contacts'
  const { rows } = await sql<{ id: string }>`SELECT id FROM ${sql.table(table)} WHERE id = ANY(${[...ids]}::uuid[])`.execute(db)
  return new Set(rows.map((r) => r.id))
}

export interface PeopleFilter {
  q?: string
  /** Leads only. */
  status?: LeadStatus
  campaignId?: string
  ownerId?: string
  /** Contacts only. */
  accountId?: string
}

/** The WHERE clause selecting people of this type by filter; the table is aliased p. */
function peopleWhere(personType: PersonType, filter: PeopleFilter) {
  const conditions = [sql`true`]
  if (filter.q) {
    const pattern = containsPattern(filter.q)
    conditions.push(personType === 'lead'
      ? sql`(p.name ILIKE ${pattern} OR p.company ILIKE ${pattern} OR p.email ILIKE ${pattern})`
      : sql`(p.name ILIKE ${pattern} OR p.email ILIKE ${pattern})`)
  }
  if (personType === 'lead') {
    if (filter.status) conditions.push(sql`p.status = ${filter.status}`)
    if (filter.campaignId) conditions.push(sql`p.campaign_id = ${filter.campaignId}`)
    if (filter.ownerId) conditions.push(sql`p.owner_id = ${filter.ownerId}`)
  } else if (filter.accountId) {
    conditions.push(sql`p.account_id = ${filter.accountId}`)
  }
  return sql.join(conditions, sql` AND `)
}

const peopleTable = (personType: PersonType) => sql.table(personType === 'lead' ? 'leads' : 'contacts')

/** How many people match the filter, counting no further than `cap + 1`. */
export async function countPeopleMatching(db: Kysely<Database>, personType: PersonType, filter: PeopleFilter, cap: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM (SELECT 1 FROM ${peopleTable(personType)} p WHERE ${peopleWhere(personType, filter)} LIMIT ${cap + 1}) matched`.execute(db)
  return rows[0]!.n
}

// ---- Members ------------------------------------------------------------------------------

export interface MemberRow {
  id: string
  campaign_id: string
  person_type: PersonType
  lead_id: string | null
  contact_id: string | null
  status: string
  status_changed_at: Date
  responded_at: Date | null
  created_at: Date
  updated_at: Date
  name: string
  email: string | null
  company: string | null
}

export interface MemberFilter {
  status?: string
  personType?: PersonType
  q?: string
  limit: number
  offset: number
}

/** Members with the name, email and company of their lead, or of their contact and its account. */
function membersWithPeople(db: Kysely<Database>) {
  return db.selectFrom('campaign_members as m')
    .leftJoin('leads as l', 'l.id', 'm.lead_id')
    .leftJoin('contacts as c', 'c.id', 'm.contact_id')
    .leftJoin('accounts as a', 'a.id', 'c.account_id')
}

function selectMember(query: ReturnType<typeof membersWithPeople>) {
  return query.select([
    'm.id', 'm.campaign_id', 'm.person_type', 'm.lead_id', 'm.contact_id', 'm.status', 'm.status_changed_at', 'm.responded_at',
    'm.created_at', 'm.updated_at',
    sql<string>`coalesce(l.name, c.name)`.as('name'),
    sql<string | null>`coalesce(l.email, c.email)`.as('email'),
    sql<string | null>`CASE WHEN m.person_type = 'lead' THEN l.company ELSE a.name END`.as('company'),
  ])
}

export async function listMembers(db: Kysely<Database>, campaignId: string, filter: MemberFilter) {
  let query = membersWithPeople(db).where('m.campaign_id', '=', campaignId)
  if (filter.status) query = query.where('m.status', '=', filter.status)
  if (filter.personType) query = query.where('m.person_type', '=', filter.personType)
  if (filter.q) {
    const pattern = containsPattern(filter.q)
    query = query.where(sql<boolean>`(coalesce(l.name, c.name) ILIKE ${pattern} OR coalesce(l.email, c.email) ILIKE ${pattern}
      OR CASE WHEN m.person_type = 'lead' THEN l.company ELSE a.name END ILIKE ${pattern})`)
  }
  const [rows, count] = await Promise.all([
    selectMember(query).orderBy('m.created_at', 'desc').orderBy('m.id', 'desc').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ])
  return { rows: rows as MemberRow[], total: count.total }
}

export async function findMember(db: Kysely<Database>, campaignId: string, id: string): Promise<MemberRow | undefined> {
  return selectMember(membersWithPeople(db)).where('m.campaign_id', '=', campaignId).where('m.id', '=', id).executeTakeFirst() as Promise<MemberRow | undefined>
}

export async function lockMember(db: Kysely<Database>, campaignId: string, id: string) {
  return db.selectFrom('campaign_members').selectAll().where('campaign_id', '=', campaignId).where('id', '=', id).forUpdate().executeTakeFirst()
}

/** Locks the campaign's members among these ids in id order, so that overlapping bulk writes cannot deadlock. */
export async function lockMembers(db: Kysely<Database>, campaignId: string, ids: readonly string[]) {
  return db.selectFrom('campaign_members').selectAll()
    .where('campaign_id', '=', campaignId)
    .where(sql<boolean>`id = ANY(${[...ids]}::uuid[])`)
    .orderBy('id').forUpdate().execute()
}

export async function countByStatus(db: Kysely<Database>, campaignId: string) {
  return db.selectFrom('campaign_members')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.count<number>('responded_at').as('responded')])
    .where('campaign_id', '=', campaignId)
    .groupBy('status')
    .orderBy('status')
    .execute()
}

export async function listHistory(db: Kysely<Database>, memberId: string) {
  return db.selectFrom('campaign_member_status_history')
    .select(['status', 'changed_at', 'changed_by'])
    .where('member_id', '=', memberId)
    .orderBy('changed_at').orderBy('id')
    .execute()
}

/** A member as an insert returns it: enough to record its history and its touchpoint. */
export interface AddedMember {
  id: string
  person_type: PersonType
  lead_id: string | null
  contact_id: string | null
}

export interface NewMembers {
  campaignId: string
  personType: PersonType
  status: string
  respondedAt: Date | null
  changedAt: Date
  createdBy: string | null
}

/**
 * Adds people to a campaign in one statement, with their first history entry: those given by id,
 * or everyone matching a filter. People already members are skipped.
 */
export async function insertMembers(
  db: Kysely<Database>,
  values: NewMembers,
  people: { ids: readonly string[] } | { filter: PeopleFilter },
): Promise<AddedMember[]> {
  const { personType } = values
  const personColumn = sql.ref(personType === 'lead' ? 'lead_id' : 'contact_id')
  const candidates = 'ids' in people
    ? sql`SELECT unnest(${[...people.ids]}::uuid[]) AS id`
    : sql`SELECT p.id FROM ${peopleTable(personType)} p WHERE ${peopleWhere(personType, people.filter)}`
  const { rows } = await sql<AddedMember>`
    WITH candidates AS (${candidates}),
    inserted AS (
      INSERT INTO campaign_members (campaign_id, person_type, ${personColumn}, status, status_changed_at, responded_at, created_by, created_at, updated_at)
      SELECT ${values.campaignId}::uuid, ${personType}, id, ${values.status}, ${values.changedAt}::timestamptz, ${values.respondedAt}::timestamptz,
             ${values.createdBy}::uuid, ${values.changedAt}::timestamptz, ${values.changedAt}::timestamptz
      FROM candidates ORDER BY id
      ON CONFLICT (campaign_id, ${personColumn}) WHERE ${personColumn} IS NOT NULL DO NOTHING
      RETURNING id, person_type, lead_id, contact_id
    ),
    history AS (
      INSERT INTO campaign_member_status_history (member_id, status, changed_at, changed_by)
      SELECT id, ${values.status}, ${values.changedAt}::timestamptz, ${values.createdBy}::uuid FROM inserted
    )
    SELECT id, person_type, lead_id, contact_id FROM inserted`.execute(db)
  return rows
}

export interface StatusChange {
  ids: readonly string[]
  status: string
  changedAt: Date
  changedBy: string | null
  /** Set respondedAt = changedAt on these (a subset of ids): members reaching a responded status for the first time. */
  firstResponseIds: readonly string[]
}

/** Moves members to a status with one history entry each, in one statement. */
export async function updateMemberStatuses(db: Kysely<Database>, change: StatusChange): Promise<void> {
  await sql`
    WITH updated AS (
      UPDATE campaign_members
      SET status = ${change.status}, status_changed_at = ${change.changedAt}::timestamptz, updated_at = ${change.changedAt}::timestamptz,
          responded_at = CASE WHEN id = ANY(${[...change.firstResponseIds]}::uuid[]) THEN ${change.changedAt}::timestamptz ELSE responded_at END
      WHERE id = ANY(${[...change.ids]}::uuid[])
      RETURNING id
    )
    INSERT INTO campaign_member_status_history (member_id, status, changed_at, changed_by)
    SELECT id, ${change.status}, ${change.changedAt}::timestamptz, ${change.changedBy}::uuid FROM updated`.execute(db)
}

export async function deleteMember(db: Kysely<Database>, campaignId: string, id: string) {
  return db.deleteFrom('campaign_members').where('campaign_id', '=', campaignId).where('id', '=', id).returning('id').executeTakeFirst()
}

export interface MemberStepInsert {
  personType: PersonType
  personId: string
  status: string
  responded: boolean
}

/**
 * Adds the people of these steps who are not yet members, each at its step's status, with their
 * first history entry, in one statement. Returns the members it added.
 */
export async function insertMemberSteps(
  db: Kysely<Database>, campaignId: string, steps: readonly MemberStepInsert[], at: Date, createdBy: string | null,
): Promise<Array<AddedMember & { status: string }>> {
  if (steps.length === 0) return []
  const column = <K extends keyof MemberStepInsert>(key: K) => steps.map((s) => s[key])
  const { rows } = await sql<AddedMember & { status: string }>`
    WITH input AS (
      SELECT * FROM unnest(${column('personType')}::text[], ${column('personId')}::uuid[], ${column('status')}::text[], ${column('responded')}::bool[])
        AS i (person_type, person_id, status, responded)
    ),
    inserted AS (
      INSERT INTO campaign_members (campaign_id, person_type, lead_id, contact_id, status, status_changed_at, responded_at, created_by, created_at, updated_at)
      SELECT ${campaignId}::uuid, person_type,
             CASE WHEN person_type = 'lead' THEN person_id END, CASE WHEN person_type = 'contact' THEN person_id END,
             status, ${at}::timestamptz, CASE WHEN responded THEN ${at}::timestamptz END, ${createdBy}::uuid, ${at}::timestamptz, ${at}::timestamptz
      FROM input ORDER BY person_id
      ON CONFLICT DO NOTHING
      RETURNING id, person_type, lead_id, contact_id, status
    ),
    history AS (
      INSERT INTO campaign_member_status_history (member_id, status, changed_at, changed_by)
      SELECT id, status, ${at}::timestamptz, ${createdBy}::uuid FROM inserted
    )
    SELECT id, person_type, lead_id, contact_id, status FROM inserted`.execute(db)
  return rows
}

/** The campaign's members among these people, locked in id order (so that overlapping writes cannot deadlock). */
export async function lockMembersOfPeople(db: Kysely<Database>, campaignId: string, leadIds: readonly string[], contactIds: readonly string[]) {
  return db.selectFrom('campaign_members').selectAll()
    .where('campaign_id', '=', campaignId)
    .where(sql<boolean>`(lead_id = ANY(${[...leadIds]}::uuid[]) OR contact_id = ANY(${[...contactIds]}::uuid[]))`)
    .orderBy('id').forUpdate().execute()
}
