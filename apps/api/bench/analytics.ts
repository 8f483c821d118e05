import { sql, type RawBuilder } from 'kysely'
import type { Db } from '../src/db/database.ts'
import { addDays, today } from '../src/lib/dates.ts'
import { percentiles, type BenchServer, type Row } from './harness.ts'

// One year of CRM history at SCALE=1 (the default). A smaller SCALE (e.g. SCALE=0.01) shrinks
// every count alike, to try the generator out quickly.
const SCALE = Number(process.env.SCALE ?? 1)
if (!(SCALE > 0 && SCALE <= 10)) throw new Error(`SCALE must be a number in (0, 10], got "${process.env.SCALE}"`)
const PER_YEAR = {
  campaigns: Math.max(10, Math.round(1_000 * SCALE)),
  leads: Math.round(500_000 * SCALE),
  opportunities: Math.round(100_000 * SCALE),
  orders: Math.round(100_000 * SCALE),
  // Two per lead: 1M at SCALE=1.
  touchesPerLead: 2,
}
const MARKETING_OWNERS = 4
const SALES_OWNERS = 20
const MINUTES_PER_YEAR = 365 * 1440
const MAX_BACK_DAYS = 28
/** A campaign's age in days, in [1, MAX_BACK_DAYS], drawn from a hash. */
const backDays = (hash: RawBuilder<number>) => sql`(1 + ${hash} % ${sql.lit(MAX_BACK_DAYS)})`

const WARM_UP = 5
const SAMPLES = 60

/** The company's day, as the API reads it (its default is the same). */
const TIME_ZONE = process.env.CRM_TIME_ZONE ?? 'Asia/Shanghai'

/** A deterministic pseudo-random integer in [0, 2^31) from a row number and a salt. */
const h = (n: RawBuilder<unknown>, salt: number): RawBuilder<number> =>
  sql<number>`(hashint8((${n})::bigint * 1000 + ${sql.lit(salt)}) & 2147483647)`

const uuidOf = (prefix: string, ...parts: RawBuilder<unknown>[]): RawBuilder<string> =>
  sql<string>`md5(${sql.lit(prefix)}${sql.join(parts.map((p) => sql`|| '-' || ${p}`), sql` `)})::uuid`

const salesOwner = (n: RawBuilder<unknown>) => uuidOf('bench-user-sales', sql`(1 + ${n} % ${sql.lit(SALES_OWNERS)})`)

/**
 * The campaign of year `year` running on day `day` of that year (0 = its first, 364 = its last),
 * begun about `back` days before: campaign k starts on day ⌊k × 365 / C⌋ and runs at least 30
 * days (at least 30 + ⌈365 / C⌉ when C is small), so with back in [1, MAX_BACK_DAYS] the day
 * always falls inside the campaign's run.
 */
function campaignOnDay(year: number, day: RawBuilder<unknown>, back: RawBuilder<unknown>): RawBuilder<string> {
  const c = PER_YEAR.campaigns
  return uuidOf('bench-campaign', sql.lit(year), sql`least(${sql.lit(c - 1)}, greatest(0, floor((${day} - ${back}) * ${sql.lit(c)} / 365.0)))::int`)
}

export interface SeedCounts {
  campaigns: number
  costEntries: number
  leads: number
  opportunities: number
  orders: number
  accounts: number
  contacts: number
  touchpoints: number
}

/** Sales and marketing users that own the records; inserted directly, they never log in. */
async function seedUsers(db: Db): Promise<void> {
  await sql`
    INSERT INTO users (id, email, name, role, password_hash)
    SELECT ${uuidOf('bench-user-marketing', sql`i`)}, 'marketing' || i || '@bench.example', 'Marketing ' || i, 'marketing', 'bench: cannot log in'
    FROM generate_series(1, ${sql.lit(MARKETING_OWNERS)}) i
    UNION ALL
    SELECT ${uuidOf('bench-user-sales', sql`i`)}, 'sales' || i || '@bench.example', 'Sales ' || i, 'sales', 'bench: cannot log in'
    FROM generate_series(1, ${sql.lit(SALES_OWNERS)}) i
    ON CONFLICT DO NOTHING`.execute(db)
}

/**
 * One year of history: `year` 0 is the 365 days up to `anchor`, year 1 the 365 days before
 * those, and so on, each the same shape and daily density, so that adding a year doubles every
 * table while the last 30 days keep the same rows. Set-based (INSERT … SELECT over
 * generate_series) with ids derived from the row number; staged in temporary tables on one
 * connection so that leads, opportunities, accounts and contacts agree with each other.
 */
export async function seedYear(db: Db, year: number, anchor: Date): Promise<void> {
  const bound = sql`${new Date(anchor.getTime() - year * 365 * 86_400_000).toISOString()}::timestamptz`
  const tz = sql`${TIME_ZONE}::text`
  const anchorDay = sql`(${anchor.toISOString()}::timestamptz AT TIME ZONE ${tz})::date`
  const y = sql.lit(year)
  const C = sql.lit(PER_YEAR.campaigns)
  // Each year draws its own figures; only the minute-slots (the daily density) repeat.
  const hy = (n: RawBuilder<unknown>, salt: number) => h(n, salt + 100 * year)
  await db.connection().execute(async (conn) => {
    try {
      // Campaigns: ten types, a start every ⌊365 / C⌋ day, runs of 30–90 days; the latest still
      // running (ending after today), the last of an older year running on into the next.
      await sql`
        CREATE TEMP TABLE gen_campaigns AS
        SELECT k, ${uuidOf('bench-campaign', y, sql`k`)} AS id,
               (ARRAY['paid_search','trade_show','conference','traditional_ad','promotion','webinar','email','content','social','other'])[1 + k % 10] AS type,
               ((${bound} - (365 - s) * interval '1 day') AT TIME ZONE ${tz})::date AS start_date,
               ((${bound} - (365 - s - dur) * interval '1 day') AT TIME ZONE ${tz})::date AS end_date,
               (100000 + (k * 7919) % 401 * 1000)::numeric(18,2) AS budget,
               ${uuidOf('bench-user-marketing', sql`(1 + k % ${sql.lit(MARKETING_OWNERS)})`)} AS owner_id,
               ${bound} - (365 - s + 14) * interval '1 day' AS created_at
        FROM (SELECT k, floor(k * 365.0 / ${C})::int AS s,
                     greatest(30 + (k * 37) % 61, ceil(365.0 / ${C})::int + 30) AS dur
              FROM generate_series(0, ${C} - 1) k) r`.execute(conn)
      await sql`
        INSERT INTO campaigns (id, name, code, type, status, start_date, end_date, budget, expected_revenue, owner_id, created_at, updated_at)
        SELECT id, 'Campaign ' || ${y} || '-' || k, 'BA' || ${y} || '-' || k, type,
               CASE WHEN end_date >= ${anchorDay} THEN 'active' ELSE 'completed' END, start_date, end_date,
               budget, round(budget * (15 + k % 10) / 10, 2), owner_id, created_at, created_at
        FROM gen_campaigns`.execute(conn)
      // Spend every third day of the run, 90% of the budget over the whole run, up to today (a
      // running campaign has spent part of it), through the ledger (its trigger keeps
      // campaigns.actual_cost).
      await sql`
        INSERT INTO campaign_costs (campaign_id, spent_on, category, amount, created_by, created_at)
        SELECT c.id, c.start_date + 3 * e,
               (ARRAY['media','venue','material','staff','agency','other'])[1 + (c.k + e) % 6],
               round(c.budget * 0.9 / n.entries, 2), c.owner_id, (c.start_date + 3 * e)::timestamp AT TIME ZONE ${tz}
        FROM gen_campaigns c
        CROSS JOIN LATERAL (SELECT (c.end_date - c.start_date) / 3 + 1 AS entries) n
        CROSS JOIN LATERAL generate_series(0, n.entries - 1) e
        WHERE c.start_date + 3 * e <= ${anchorDay}
        ORDER BY 2`.execute(conn)

      // Leads: one a minute-slot over the year (i × prime mod minutes-per-year), each on a campaign
      // running that day (5% without one), 90% with one of the sales owners. Statuses in realistic
      // shares; a conversion that would fall after the year's end has not happened (qualified).
      await sql`
        CREATE TEMP TABLE gen_leads AS
        SELECT i, id, t, k_day, created_at, campaign_id, owner_id, status, conv_delay,
               CASE WHEN status = 'converted' THEN created_at + conv_delay * interval '1 minute' END AS converted_at,
               CASE WHEN status <> 'new'
                    THEN created_at + least(resp_delay, t, CASE WHEN status = 'converted' THEN conv_delay END) * interval '1 minute' END AS first_response_at
        FROM (
          SELECT i, id, t, k_day, created_at, conv_delay, resp_delay,
                 CASE WHEN h2 % 100 < 95 THEN campaign END AS campaign_id,
                 CASE WHEN h3 % 10 < 9 THEN ${salesOwner(sql`h4`)} END AS owner_id,
                 CASE WHEN b < 22 THEN 'new' WHEN b < 47 THEN 'contacted' WHEN b < 67 THEN 'qualified'
                      WHEN b < 82 THEN 'disqualified' WHEN t >= conv_delay THEN 'converted' ELSE 'qualified' END AS status
          FROM (
            SELECT i, ${uuidOf('bench-lead', y, sql`i`)} AS id, t, 364 - t / 1440 AS k_day,
                   ${bound} - t * interval '1 minute' - (i % 60) * interval '1 second' AS created_at,
                   ${campaignOnDay(year, sql`(364 - t / 1440)`, backDays(hy(sql`i`, 1)))} AS campaign,
                   ${hy(sql`i`, 2)} AS h2, ${hy(sql`i`, 3)} AS h3, ${hy(sql`i`, 4)} AS h4, ${hy(sql`i`, 5)} % 100 AS b,
                   60 + ${hy(sql`i`, 6)} % (30 * 1440) AS conv_delay, 5 + ${hy(sql`i`, 7)} % (72 * 60) AS resp_delay
            FROM (SELECT i, (i::bigint * 104729) % ${sql.lit(MINUTES_PER_YEAR)} AS t
                  FROM generate_series(1, ${sql.lit(PER_YEAR.leads)}) i) s
          ) a
        ) b`.execute(conn)
      await sql`ANALYZE gen_leads`.execute(conn)

      // Opportunities: one per converted lead (on its campaign and owner), and the rest without a
      // lead, half of those on a campaign. Won 33%, lost 30%, the rest open; one that would close
      // after the year's end is still in negotiation. A won deal has an account.
      const converted = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM gen_leads WHERE status = 'converted'`.execute(conn)).rows[0]!.n)
      const withoutLead = Math.max(0, PER_YEAR.opportunities - converted)
      await sql`
        CREATE TEMP TABLE gen_opps AS
        SELECT id, lead_id, contact_id, campaign_id, owner_id, created_at, amount, stage,
               CASE WHEN stage IN ('won', 'lost') THEN created_at + close_delay * interval '1 minute' END AS closed_at,
               CASE WHEN stage = 'won' THEN ${uuidOf('bench-account', sql`id`)} END AS account_id,
               CASE stage WHEN 'prospecting' THEN 10 WHEN 'qualification' THEN 20 WHEN 'proposal' THEN 50
                          WHEN 'negotiation' THEN 75 WHEN 'won' THEN 100 ELSE 0 END AS probability,
               seed
        FROM (
          SELECT o.*, close_delay,
                 CASE WHEN b >= 63 THEN (ARRAY['prospecting','qualification','proposal','negotiation'])[1 + (b - 63) / 10]
                      WHEN extract(epoch FROM ${bound} - created_at) / 60 < close_delay THEN 'negotiation'
                      WHEN b < 33 THEN 'won' ELSE 'lost' END AS stage,
                 (1000 + ${hy(sql`seed`, 22)} % 29000 + ${hy(sql`seed`, 23)} % 100 / 100.0)::numeric(18,2) AS amount
          FROM (
            SELECT ${uuidOf('bench-opp', sql`l.id`)} AS id, l.id AS lead_id, ${uuidOf('bench-contact', sql`l.id`)} AS contact_id,
                   l.campaign_id, l.owner_id, l.converted_at AS created_at, l.i AS seed
            FROM gen_leads l WHERE l.status = 'converted'
            UNION ALL
            SELECT ${uuidOf('bench-opp-direct', y, sql`j`)}, NULL, ${uuidOf('bench-contact-direct', y, sql`j`)},
                   CASE WHEN ${hy(sql`j`, 11)} % 2 = 0 THEN ${campaignOnDay(year, sql`(364 - t / 1440)`, backDays(hy(sql`j`, 12)))} END,
                   ${salesOwner(hy(sql`j`, 13))}, ${bound} - t * interval '1 minute', 10000000 + j
            FROM (SELECT j, (j::bigint * 7877) % ${sql.lit(MINUTES_PER_YEAR)} AS t
                  FROM generate_series(1, ${sql.lit(withoutLead)}) j) d
          ) o
          CROSS JOIN LATERAL (SELECT ${hy(sql`o.seed`, 20)} % 100 AS b, 5 * 1440 + ${hy(sql`o.seed`, 21)} % (85 * 1440) AS close_delay) x
        ) s`.execute(conn)
      await sql`ANALYZE gen_opps`.execute(conn)

      await assertOnlySkippableTriggers(conn)
      await sql`SET session_replication_role = replica`.execute(conn)
      await sql`
        INSERT INTO accounts (id, name, industry, region, owner_id, created_at, updated_at)
        SELECT account_id, 'Account ' || ${y} || '-' || seed,
               (ARRAY['manufacturing','retail','finance','education','healthcare','software'])[1 + seed % 6],
               (ARRAY['north','east','south','west'])[1 + seed % 4], owner_id, closed_at, closed_at
        FROM gen_opps WHERE account_id IS NOT NULL ORDER BY closed_at`.execute(conn)
      await sql`
        INSERT INTO contacts (id, account_id, name, email, owner_id, created_at, updated_at)
        SELECT contact_id, account_id, 'Contact ' || ${y} || '-' || seed, 'contact-' || ${y} || '-' || seed || '@bench.example',
               owner_id, created_at, created_at
        FROM gen_opps ORDER BY created_at`.execute(conn)
      // Leads and opportunities point at each other: one statement, whose foreign keys (were they
      // checked, with triggers on) are checked at its end.
      await sql`
        WITH inserted_leads AS (
          INSERT INTO leads (id, name, company, email, industry, region, campaign_id, status, disqualified_reason, owner_id,
                             converted_at, converted_account_id, converted_contact_id, converted_opportunity_id,
                             first_response_at, created_at, updated_at)
          SELECT l.id, 'Lead ' || ${y} || '-' || l.i, 'Company ' || l.i % 50000, 'lead-' || ${y} || '-' || l.i || '@bench.example',
                 (ARRAY['manufacturing','retail','finance','education','healthcare','software'])[1 + l.i % 6],
                 (ARRAY['north','east','south','west'])[1 + l.i % 4],
                 l.campaign_id, l.status,
                 CASE WHEN l.status = 'disqualified' THEN (ARRAY['no budget','no need','unreachable','competitor'])[1 + l.i % 4] END,
                 l.owner_id, l.converted_at, o.account_id, o.contact_id, o.id, l.first_response_at, l.created_at,
                 coalesce(l.converted_at, l.first_response_at, l.created_at)
          FROM gen_leads l LEFT JOIN gen_opps o ON o.lead_id = l.id
          ORDER BY l.created_at
          RETURNING 1
        )
        INSERT INTO opportunities (id, name, account_id, contact_id, lead_id, campaign_id, amount, stage, probability,
                                   expected_close_date, closed_at, lost_reason, owner_id, created_at, updated_at)
        SELECT id, 'Deal ' || ${y} || '-' || seed, account_id, contact_id, lead_id, campaign_id, amount, stage, probability,
               CASE WHEN closed_at IS NULL THEN (created_at AT TIME ZONE ${tz})::date + 60 END, closed_at,
               CASE WHEN stage = 'lost' THEN (ARRAY['price','timing','competitor','no decision'])[1 + seed % 4] END,
               owner_id, created_at, coalesce(closed_at, created_at)
        FROM gen_opps ORDER BY created_at`.execute(conn)
      await sql`
        INSERT INTO opportunity_contact_roles (opportunity_id, contact_id, role, is_primary, created_at)
        SELECT id, contact_id, (ARRAY['decision_maker','economic_buyer','technical_buyer','evaluator'])[1 + seed % 4], true, created_at
        FROM gen_opps ORDER BY created_at`.execute(conn)

      // Orders: one per won deal, dated at the win (5% cancelled since), and the rest repeat orders
      // of won customers (no opportunity, no campaign), each at a minute-slot after the first win
      // from a customer won before it. In date order, as a CRM's tables fill.
      const wins = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM gen_opps WHERE stage = 'won'`.execute(conn)).rows[0]!.n)
      const repeat = Math.max(0, PER_YEAR.orders - wins)
      await sql`
        WITH wins AS (
          SELECT row_number() OVER (ORDER BY closed_at, id) AS rn, * FROM gen_opps WHERE stage = 'won'
        ), span AS (
          SELECT floor(extract(epoch FROM ${bound} - min(closed_at)) / 60)::bigint AS minutes FROM wins
        ), times AS (
          SELECT j, ${bound} - ((j::bigint * 7841) % span.minutes) * interval '1 minute' AS at
          FROM generate_series(1, ${sql.lit(repeat)}) j, span
        ), ranked AS (
          SELECT j, at, kind, count(*) FILTER (WHERE kind = 0) OVER (ORDER BY at, kind ROWS UNBOUNDED PRECEDING) AS won_before
          FROM (SELECT j, at, 1 AS kind FROM times UNION ALL SELECT NULL, closed_at, 0 FROM wins) e
        ), new_orders AS (
          SELECT ${uuidOf('bench-order', sql`id`)} AS id, account_id, id AS opportunity_id, campaign_id, amount, closed_at AS at,
                 ${hy(sql`seed`, 31)} % 100 < 5 AS cancelled, owner_id
          FROM wins
          UNION ALL
          SELECT ${uuidOf('bench-order-repeat', y, sql`r.j`)}, w.account_id, NULL, NULL,
                 (500 + ${hy(sql`r.j`, 41)} % 9500 + ${hy(sql`r.j`, 42)} % 100 / 100.0)::numeric(18,2), r.at,
                 ${hy(sql`r.j`, 43)} % 100 < 3, w.owner_id
          FROM ranked r JOIN wins w ON w.rn = 1 + ${hy(sql`r.j`, 40)} % r.won_before
          WHERE r.kind = 1
        )
        INSERT INTO orders (id, account_id, opportunity_id, campaign_id, amount, order_date, status, cancelled_at, owner_id, created_at, updated_at)
        SELECT id, account_id, opportunity_id, campaign_id, amount, (at AT TIME ZONE ${tz})::date,
               CASE WHEN cancelled THEN 'cancelled' ELSE 'confirmed' END,
               CASE WHEN cancelled THEN least(at + interval '3 days', ${bound}) END,
               owner_id, at, at
        FROM new_orders ORDER BY at`.execute(conn)

      // Touchpoints: two per lead, its form on its own campaign shortly before it was created and an
      // earlier ad click (up to 30 days) on a campaign running then; a converted lead's moved to its
      // contact, keeping lead_id.
      await sql`
        INSERT INTO touchpoints (id, person_type, lead_id, contact_id, campaign_id, type, occurred_at, created_at)
        SELECT ${uuidOf('bench-touch', sql`l.id`, sql`j`)},
               CASE WHEN l.status = 'converted' THEN 'contact' ELSE 'lead' END, l.id,
               CASE WHEN l.status = 'converted' THEN ${uuidOf('bench-contact', sql`l.id`)} END,
               CASE WHEN j = 1 THEN ${campaignOnDay(year, sql`l.k_day`, backDays(hy(sql`l.i`, 1)))}
                    ELSE ${campaignOnDay(year, sql`(364 - tt / 1440)`, backDays(hy(sql`l.i`, 53)))} END,
               CASE WHEN j = 1 THEN 'form_submit' ELSE 'ad_click' END,
               ${bound} - tt * interval '1 minute', ${bound} - tt * interval '1 minute'
        FROM gen_leads l
        CROSS JOIN generate_series(1, ${sql.lit(PER_YEAR.touchesPerLead)}) j
        CROSS JOIN LATERAL (SELECT least(l.t + CASE WHEN j = 1 THEN 1 + ${hy(sql`l.i`, 51)} % 120
                                                   ELSE 1440 * j + ${hy(sql`l.i * 10 + j`, 52)} % (30 * 1440) END,
                                         ${sql.lit(MINUTES_PER_YEAR - 1)}) AS tt) x
        ORDER BY tt DESC`.execute(conn)
    } finally {
      // The connection goes back to the pool: as it came.
      await sql`RESET session_replication_role`.execute(conn)
      await sql`DROP TABLE IF EXISTS gen_campaigns, gen_leads, gen_opps`.execute(conn)
    }
  })
  await verifyReferences(db)
}

// The big tables are bulk-loaded with session_replication_role = replica: no per-row
// foreign-key checks and no triggers, as PostgreSQL's "Populating a Database" advises for bulk
// loads; it halves the load. That is sound only while two things hold, both checked: their INSERT triggers only mark
// attribution stale (settle() resets attribution anyway), and every reference the generator
// wrote points at a row (checked afterwards for every foreign key, as the constraints would).
// Campaigns and the cost ledger are loaded with triggers on: the ledger's keeps actual_cost.
const BULK_TABLES = ['accounts', 'contacts', 'leads', 'opportunities', 'opportunity_contact_roles', 'orders', 'touchpoints']
const SKIPPABLE_TRIGGER = /_attribution_(insert|update|delete)$/

async function assertOnlySkippableTriggers(db: Db): Promise<void> {
  const { rows } = await sql<{ table: string; trigger: string }>`
    SELECT c.relname AS table, t.tgname AS trigger
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    WHERE NOT t.tgisinternal AND (t.tgtype & 4) <> 0 -- fires on INSERT
      AND c.relname = ANY(${BULK_TABLES}::text[]) AND pg_table_is_visible(c.oid)`.execute(db)
  const others = rows.filter((r) => !SKIPPABLE_TRIGGER.test(r.trigger))
  if (others.length > 0) {
    throw new Error(`the analytics generator bulk-loads with triggers off, but these INSERT triggers do more than mark attribution stale: `
      + `${others.map((r) => `${r.table}.${r.trigger}`).join(', ')}; load their tables with triggers on or do their work after the load`)
  }
}

async function verifyReferences(db: Db): Promise<void> {
  const { rows: keys } = await sql<{ name: string; child: string; column: string; parent: string; key: string; columns: number }>`
    SELECT con.conname AS name, child.relname AS child, ca.attname AS column, parent.relname AS parent, pa.attname AS key,
           cardinality(con.conkey) AS columns
    FROM pg_constraint con
    JOIN pg_class child ON child.oid = con.conrelid
    JOIN pg_class parent ON parent.oid = con.confrelid
    JOIN pg_attribute ca ON ca.attrelid = con.conrelid AND ca.attnum = con.conkey[1]
    JOIN pg_attribute pa ON pa.attrelid = con.confrelid AND pa.attnum = con.confkey[1]
    WHERE con.contype = 'f' AND child.relname = ANY(${BULK_TABLES}::text[]) AND pg_table_is_visible(child.oid)`.execute(db)
  const broken: string[] = []
  for (const k of keys) {
    if (Number(k.columns) !== 1) throw new Error(`verifyReferences: ${k.name} has ${k.columns} columns; only single-column keys are checked`)
    const { rows } = await sql<{ n: string }>`
      SELECT count(*) AS n FROM ${sql.table(k.child)} c
      WHERE c.${sql.ref(k.column)} IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM ${sql.table(k.parent)} p WHERE p.${sql.ref(k.key)} = c.${sql.ref(k.column)})`.execute(db)
    if (Number(rows[0]!.n) > 0) broken.push(`${k.name}: ${rows[0]!.n} rows`)
  }
  if (broken.length > 0) throw new Error(`the analytics generator wrote references to missing rows: ${broken.join('; ')}`)
}

const SEEDED_TABLES = ['campaigns', 'campaign_costs', 'accounts', 'contacts', 'leads', 'opportunities', 'opportunity_contact_roles', 'orders', 'touchpoints']

/**
 * After a bulk load: the derived attribution state emptied (the next read under a
 * multi-touch model recomputes everything), the roll-ups rebuilt, statistics and the
 * visibility map settled and dirty pages flushed, so none of it runs during a measurement.
 */
async function settle(server: BenchServer): Promise<void> {
  await sql`TRUNCATE attribution_stale, attribution_units, attribution_totals, attribution_built`.execute(server.db)
  const res = await fetch(`${server.url}/api/v1/admin/rollups/rebuild`, { method: 'POST', headers: { authorization: `Bearer ${server.token}` } })
  if (res.status !== 200) throw new Error(`roll-up rebuild failed: ${res.status} ${await res.text()}`)
  await sql`VACUUM ANALYZE ${sql.raw(SEEDED_TABLES.join(', '))}, campaign_rollup_slots, users`.execute(server.db)
  await sql`CHECKPOINT`.execute(server.db)
}

export async function countRows(db: Db): Promise<SeedCounts> {
  const { rows } = await sql<Record<keyof SeedCounts, number>>`
    SELECT (SELECT count(*) FROM campaigns) AS campaigns, (SELECT count(*) FROM campaign_costs) AS "costEntries",
           (SELECT count(*) FROM leads) AS leads, (SELECT count(*) FROM opportunities) AS opportunities,
           (SELECT count(*) FROM orders) AS orders, (SELECT count(*) FROM accounts) AS accounts,
           (SELECT count(*) FROM contacts) AS contacts, (SELECT count(*) FROM touchpoints) AS touchpoints`.execute(db)
  return rows[0]!
}

const thousands = (n: number) => (n >= 1_000_000 ? `${+(n / 1_000_000).toFixed(2)}M` : n >= 1000 ? `${+(n / 1000).toFixed(1)}k` : String(n))

function describeCounts(c: SeedCounts): string {
  return `${thousands(c.campaigns)} campaigns, ${thousands(c.leads)} leads, ${thousands(c.opportunities)} opps, ${thousands(c.orders)} orders, `
    + `${thousands(c.touchpoints)} touchpoints, ${thousands(c.costEntries)} cost entries, ${thousands(c.accounts)} accounts`
}

/** The endpoints under test, each with the query it is read with. */
const ENDPOINTS = [
  { name: 'overview', path: '/api/v1/analytics/overview', query: '' },
  { name: 'lead-trend', path: '/api/v1/analytics/lead-trend', query: '' },
  { name: 'channels', path: '/api/v1/analytics/channels', query: '' },
  { name: 'funnel', path: '/api/v1/analytics/funnel', query: '' },
  { name: 'team', path: '/api/v1/analytics/team', query: '' },
  { name: 'roi-views', path: '/api/v1/analytics/roi-views', query: '' },
  { name: 'overview?model=linear', path: '/api/v1/analytics/overview', query: 'model=linear' },
] as const

type EndpointName = (typeof ENDPOINTS)[number]['name']

interface Timing {
  p50: number
  p95: number
  /** The first request's time, before any warm-up. */
  first: number
  /** The last response, to check its figures. */
  body: unknown
}

async function timeSequential(url: string, token: string): Promise<Timing> {
  const headers = { authorization: `Bearer ${token}` }
  const once = async () => {
    const start = process.hrtime.bigint()
    const res = await fetch(url, { headers })
    const body: unknown = await res.json()
    const ms = Number(process.hrtime.bigint() - start) / 1e6
    if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${JSON.stringify(body)}`)
    return { ms, body }
  }
  const first = await once()
  for (let i = 1; i < WARM_UP; i++) await once()
  const samples: number[] = []
  let body = first.body
  for (let i = 0; i < SAMPLES; i++) {
    const r = await once()
    samples.push(r.ms)
    body = r.body
  }
  return { ...percentiles(samples), first: first.ms, body }
}

type PeriodKey = '30 d' | '365 d'
type Results = Map<`${EndpointName} ${PeriodKey}`, Timing>

/** Every endpoint over the default 30-day period and over 365 days, both ending today. */
async function measureAll(server: BenchServer, label: string): Promise<Results> {
  const to = today(TIME_ZONE)
  const periods: Record<PeriodKey, string> = { '30 d': `from=${addDays(to, -29)}&to=${to}`, '365 d': `from=${addDays(to, -364)}&to=${to}` }
  const results: Results = new Map()
  for (const [period, range] of Object.entries(periods) as [PeriodKey, string][]) {
    for (const endpoint of ENDPOINTS) {
      if (endpoint.query && period !== '30 d') continue
      const timing = await timeSequential(`${server.url}${endpoint.path}?${range}${endpoint.query ? `&${endpoint.query}` : ''}`, server.token)
      results.set(`${endpoint.name} ${period}`, timing)
      // Progress and a glimpse of each answer go to stderr: stdout carries only the table.
      console.error(`analytics ${label} ${endpoint.name} ${period}: first ${timing.first.toFixed(0)} ms, p95 ${timing.p95.toFixed(1)} ms; ${JSON.stringify(timing.body).slice(0, 300)}`)
    }
  }
  return results
}

/**
 * The first read under a model other than primary_source after a load recomputes every model's
 * credits (seconds at this scale): timed on its own, so that the rows below measure warm reads.
 */
async function firstLinearRead(server: BenchServer): Promise<number> {
  const start = performance.now()
  const res = await fetch(`${server.url}/api/v1/analytics/overview?model=linear`, { headers: { authorization: `Bearer ${server.token}` } })
  if (res.status !== 200) throw new Error(`overview?model=linear answered ${res.status}: ${await res.text()}`)
  await res.json()
  return performance.now() - start
}

async function seedTimed(server: BenchServer, year: number, anchor: Date): Promise<number> {
  const start = performance.now()
  await seedYear(server.db, year, anchor)
  await settle(server)
  return (performance.now() - start) / 1000
}

const ms = (t: { p50: number; p95: number }) => `${t.p50.toFixed(1)} / ${t.p95.toFixed(1)}`

/**
 * The analytics endpoints at 1,000 campaigns, 500k leads, 100k opportunities, 100k orders and
 * 1M touchpoints (one year), then with a second, older year added (every table doubled, the
 * last 30 days unchanged): 5 warm-up and 60 timed sequential requests each, with an admin token.
 */
export async function analyticsBenchmarks(server: BenchServer, rows: Row[]): Promise<void> {
  await sql`
    TRUNCATE campaigns, campaign_costs, accounts, contacts, leads, opportunities, opportunity_contact_roles, orders, touchpoints,
             campaign_members, campaign_member_status_history, campaign_rollup_slots, audit_log,
             attribution_stale, attribution_units, attribution_totals, attribution_built CASCADE`.execute(server.db)
  await seedUsers(server.db)
  const anchor = (await sql<{ now: Date }>`SELECT now() AS now`.execute(server.db)).rows[0]!.now

  const seedOne = await seedTimed(server, 0, anchor)
  const one = await countRows(server.db)
  rows.push({
    benchmark: `analytics data, 1 year (${describeCounts(one)}): generate + VACUUM ANALYZE, s`,
    value: seedOne.toFixed(1), baseline: '—', ratio: '—', target: '≤ 120 s',
  })
  const health = await timeSequential(`${server.url}/api/v1/health`, server.token)
  const recompute = await firstLinearRead(server)
  const atOne = await measureAll(server, '1×')

  const seedTwo = await seedTimed(server, 1, anchor)
  const two = await countRows(server.db)
  rows.push({
    benchmark: `analytics data, 2nd (older) year (now ${describeCounts(two)}): generate + VACUUM ANALYZE, s`,
    value: seedTwo.toFixed(1), baseline: `${seedOne.toFixed(1)} (1st year)`, ratio: (seedTwo / seedOne).toFixed(2), target: '≤ 120 s',
  })
  const recomputeTwo = await firstLinearRead(server)
  const atTwo = await measureAll(server, '2×')

  rows.push({
    benchmark: 'GET /analytics/overview?model=linear, first read after loading (full attribution recompute; warm-up, not in the rows below): ms',
    value: `${recompute.toFixed(0)} at 1 year, ${recomputeTwo.toFixed(0)} at 2 years`,
    baseline: `${atOne.get('overview?model=linear 30 d')!.p95.toFixed(1)} (its p95 once warm, 1 year)`, ratio: '—', target: '—',
  })
  for (const endpoint of ENDPOINTS) {
    const label = `GET /analytics/${endpoint.name}`
    for (const period of ['30 d', '365 d'] as const) {
      const a = atOne.get(`${endpoint.name} ${period}`)
      const b = atTwo.get(`${endpoint.name} ${period}`)
      if (!a || !b) continue
      const isDefault = period === '30 d'
      rows.push({
        benchmark: `${label}, ${period}, 1 year of data (${SAMPLES} sequential after ${WARM_UP} warm-up): p50 / p95 ms`,
        value: ms(a),
        baseline: `${health.p95.toFixed(1)} (GET /health p95, same way)`,
        ratio: `${(a.p95 / health.p95).toFixed(1)}×`,
        target: isDefault ? 'p95 ≤ 150 ms' : '— (for scale)',
      })
      rows.push({
        benchmark: `${label}, ${period}, 2 years of data (every table doubled): p50 / p95 ms`,
        value: ms(b),
        baseline: `${a.p95.toFixed(1)} (its p95 at 1 year)`,
        ratio: `${(b.p95 / a.p95).toFixed(2)}×`,
        target: isDefault ? 'p95 ≤ 150 ms; ≤ 1.3× growth' : '— (for scale)',
      })
    }
  }
}
