import { sql, type Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'

// Advisory lock keys (classid, objid) of lead capture. A capture of one person takes the shared
// class lock and an exclusive lock per matching key; a batch takes the class lock exclusively.
// So two captures of the same person wait for each other, and none ever creates it twice.
const CAPTURE_LOCK_CLASS = 0x59430001
const CAPTURE_KEY_LOCK_CLASS = 0x59430002

/** Waits for every capture in flight: a batch's lookups and inserts then see a stable table. */
export async function lockForBatch(db: Kysely<Database>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${CAPTURE_LOCK_CLASS}::int4, 0)`.execute(db)
}

/** Waits for any capture of the same keys (and for batches), in key order so that two captures cannot deadlock. */
export async function lockForPerson(db: Kysely<Database>, keys: readonly string[]): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock_shared(${CAPTURE_LOCK_CLASS}::int4, 0)`.execute(db)
  for (const key of [...new Set(keys)].sort()) {
    await sql`SELECT pg_advisory_xact_lock(${CAPTURE_KEY_LOCK_CLASS}::int4, hashtext(${key}))`.execute(db)
  }
}

export interface PersonValues {
  name: string
  company: string | null
  email: string | null
  phone: string | null
  title: string | null
  industry: string | null
  region: string | null
}

/** One input's matching keys, as the database computes them, and the people they match. */
export interface MatchRow {
  ord: number
  email_key: string | null
  phone_key: string | null
  company_name_key: string | null
  contact_by_email: string | null
  contact_by_phone: string | null
  lead_by_email: string | null
  lead_by_email_contact: string | null
  lead_by_phone: string | null
  lead_by_phone_contact: string | null
  lead_by_company_name: string | null
  lead_by_company_name_contact: string | null
}

/**
 * The keys of each input and, for each key asked for, the oldest contact and the oldest lead
 * holding it (with the contact a converted lead became). Contacts have no company of their own
 * (their account has), so company + name matches leads only.
 */
export async function findMatches(
  db: Kysely<Database>,
  people: readonly PersonValues[],
  by: { email: boolean; phone: boolean; companyName: boolean },
): Promise<MatchRow[]> {
  const column = <K extends keyof PersonValues>(key: K) => people.map((p) => p[key])
  const { rows } = await sql<MatchRow>`
    WITH input AS (
      SELECT * FROM unnest(${column('name')}::text[], ${column('company')}::text[], ${column('email')}::text[], ${column('phone')}::text[])
        WITH ORDINALITY AS i (name, company, email, phone, ord)
    ),
    keys AS (
      SELECT ord::int AS ord, crm_email_key(email) AS email_key, crm_phone_key(phone) AS phone_key,
             crm_company_name_key(company, name) AS company_name_key
      FROM input
    )
    SELECT k.*,
      ce.id AS contact_by_email, cp.id AS contact_by_phone,
      le.id AS lead_by_email, le.converted_contact_id AS lead_by_email_contact,
      lp.id AS lead_by_phone, lp.converted_contact_id AS lead_by_phone_contact,
      lc.id AS lead_by_company_name, lc.converted_contact_id AS lead_by_company_name_contact
    FROM keys k
    LEFT JOIN LATERAL (SELECT id FROM contacts WHERE ${by.email} AND email_key = k.email_key ORDER BY created_at, id LIMIT 1) ce ON true
    LEFT JOIN LATERAL (SELECT id FROM contacts WHERE ${by.phone} AND phone_key = k.phone_key ORDER BY created_at, id LIMIT 1) cp ON true
    LEFT JOIN LATERAL (SELECT id, converted_contact_id FROM leads WHERE ${by.email} AND email_key = k.email_key ORDER BY created_at, id LIMIT 1) le ON true
    LEFT JOIN LATERAL (SELECT id, converted_contact_id FROM leads WHERE ${by.phone} AND phone_key = k.phone_key ORDER BY created_at, id LIMIT 1) lp ON true
    LEFT JOIN LATERAL (
      SELECT id, converted_contact_id FROM leads WHERE ${by.companyName} AND company_name_key = k.company_name_key ORDER BY created_at, id LIMIT 1
    ) lc ON true
    ORDER BY k.ord`.execute(db)
  return rows
}

/** The matching keys of one person, as the database computes them: what a single capture locks on. */
export async function keysOf(db: Kysely<Database>, person: PersonValues) {
  const { rows } = await sql<{ email_key: string | null; phone_key: string | null; company_name_key: string | null }>`
    SELECT crm_email_key(${person.email}) AS email_key, crm_phone_key(${person.phone}) AS phone_key,
           crm_company_name_key(${person.company}, ${person.name}) AS company_name_key`.execute(db)
  return rows[0]!
}

export interface LeadState extends PersonValues {
  id: string
  campaign_id: string | null
  has_origin: boolean
}

export interface ContactState {
  id: string
  name: string
  email: string | null
  phone: string | null
  title: string | null
}

export async function findLeads(db: Kysely<Database>, ids: readonly string[]): Promise<LeadState[]> {
  if (ids.length === 0) return []
  return db.selectFrom('leads')
    .select(['id', 'name', 'company', 'email', 'phone', 'title', 'industry', 'region', 'campaign_id'])
    .select(sql<boolean>`coalesce(utm_source, utm_medium, utm_campaign, utm_term, utm_content, referrer, tracking_code) IS NOT NULL`.as('has_origin'))
    .where(sql<boolean>`id = ANY(${[...ids]}::uuid[])`)
    .execute()
}

export async function findContacts(db: Kysely<Database>, ids: readonly string[]): Promise<ContactState[]> {
  if (ids.length === 0) return []
  return db.selectFrom('contacts').select(['id', 'name', 'email', 'phone', 'title']).where(sql<boolean>`id = ANY(${[...ids]}::uuid[])`).execute()
}

export interface OriginValues {
  utm_source: string | null
  utm_medium: string | null
  utm_campaign: string | null
  utm_term: string | null
  utm_content: string | null
  referrer: string | null
  tracking_code: string | null
}

export interface LeadWrite extends PersonValues, OriginValues {
  id: string
  campaign_id: string | null
}

const leadColumns = (leads: readonly LeadWrite[]) => {
  const column = <K extends keyof LeadWrite>(key: K) => leads.map((l) => l[key])
  return sql`${column('id')}::uuid[], ${column('name')}::text[], ${column('company')}::text[], ${column('email')}::text[],
    ${column('phone')}::text[], ${column('title')}::text[], ${column('industry')}::text[], ${column('region')}::text[],
    ${column('campaign_id')}::uuid[], ${column('utm_source')}::text[], ${column('utm_medium')}::text[], ${column('utm_campaign')}::text[],
    ${column('utm_term')}::text[], ${column('utm_content')}::text[], ${column('referrer')}::text[], ${column('tracking_code')}::text[]`
}
const LEAD_COLUMN_NAMES = sql`id, name, company, email, phone, title, industry, region, campaign_id,
  utm_source, utm_medium, utm_campaign, utm_term, utm_content, referrer, tracking_code`

/** New leads in one statement, status new. */
export async function insertLeads(db: Kysely<Database>, leads: readonly LeadWrite[], ownerId: string | null): Promise<void> {
  if (leads.length === 0) return
  await sql`
    INSERT INTO leads (${LEAD_COLUMN_NAMES}, owner_id)
    SELECT *, ${ownerId}::uuid FROM unnest(${leadColumns(leads)})`.execute(db)
}

/**
 * Known leads rewritten to these values in one statement. A lead's origin is kept as it first
 * arrived: the given one is only written to a lead that has none.
 */
export async function updateLeadsKeepingOrigin(db: Kysely<Database>, leads: readonly LeadWrite[]): Promise<void> {
  if (leads.length === 0) return
  const originOf = (column: string) => sql.raw(`CASE WHEN coalesce(l.utm_source, l.utm_medium, l.utm_campaign, l.utm_term, l.utm_content, l.referrer, l.tracking_code) IS NULL
    THEN v.${column} ELSE l.${column} END`)
  await sql`
    UPDATE leads l SET
      name = v.name, company = v.company, email = v.email, phone = v.phone, title = v.title, industry = v.industry,
      region = v.region, campaign_id = v.campaign_id, utm_source = ${originOf('utm_source')}, utm_medium = ${originOf('utm_medium')},
      utm_campaign = ${originOf('utm_campaign')}, utm_term = ${originOf('utm_term')}, utm_content = ${originOf('utm_content')},
      referrer = ${originOf('referrer')}, tracking_code = ${originOf('tracking_code')}, updated_at = now()
    FROM unnest(${leadColumns(leads)}) AS v (${LEAD_COLUMN_NAMES})
    WHERE l.id = v.id`.execute(db)
}

/** Contacts rewritten to these values in one statement. */
export async function updateContacts(db: Kysely<Database>, contacts: readonly ContactState[]): Promise<void> {
  if (contacts.length === 0) return
  const column = <K extends keyof ContactState>(key: K) => contacts.map((c) => c[key])
  await sql`
    UPDATE contacts c SET name = v.name, email = v.email, phone = v.phone, title = v.title, updated_at = now()
    FROM unnest(${column('id')}::uuid[], ${column('name')}::text[], ${column('email')}::text[], ${column('phone')}::text[], ${column('title')}::text[])
      AS v (id, name, email, phone, title)
    WHERE c.id = v.id`.execute(db)
}
