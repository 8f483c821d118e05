import type { CampaignStatus, CampaignType, LeadStatus, OpportunityStage } from '@yardstick/roi-core'
import { sql, type Insertable, type Kysely, type RawBuilder, type Updateable } from 'kysely'
import type { Database } from '../../db/database.ts'
import { containsPattern } from '../../lib/list-query.ts'
import type { CampaignsTable } from './campaigns.table.ts'

export const CAMPAIGN_SORTS = [
  'roi', 'achievement', 'actualRevenue', 'actualCost', 'expectedRevenue', 'budget',
  'name', 'code', 'startDate', 'endDate', 'createdAt', 'updatedAt',
] as const
export type CampaignSort = (typeof CAMPAIGN_SORTS)[number]

// The headline figures are computed in SQL too, so that a sort by ROI pages correctly.
const revenue = sql<string>`coalesce(r.revenue, 0)`
const SORT_EXPRESSIONS: Record<CampaignSort, RawBuilder<unknown>> = {
  roi: sql`(${revenue} - c.actual_cost) / nullif(c.actual_cost, 0)`,
  achievement: sql`${revenue} / nullif(c.expected_revenue, 0)`,
  actualRevenue: revenue,
  actualCost: sql`c.actual_cost`,
  expectedRevenue: sql`c.expected_revenue`,
  budget: sql`c.budget`,
  name: sql`lower(c.name)`,
  code: sql`lower(c.code)`,
  startDate: sql`c.start_date`,
  endDate: sql`c.end_date`,
  createdAt: sql`c.created_at`,
  updatedAt: sql`c.updated_at`,
}

export interface CampaignFilter {
  q?: string
  type?: CampaignType
  status?: CampaignStatus
  ownerId?: string
  parentId?: string
  startDateFrom?: string
  startDateTo?: string
  sort?: CampaignSort
  order: 'asc' | 'desc'
  limit: number
  offset: number
}

/** Each campaign's stored revenue and order count: the sum of its roll-up slots. */
function rollupTotals(db: Kysely<Database>) {
  return db
    .selectFrom('campaign_rollup_slots')
    .select(['campaign_id', sql<string>`sum(revenue)`.as('revenue'), sql<number>`sum(order_count)`.as('order_count')])
    .groupBy('campaign_id')
    .as('r')
}

const FIGURES = [sql<string>`coalesce(r.revenue, 0)`.as('actual_revenue'), sql<number>`coalesce(r.order_count, 0)`.as('order_count')] as const

function selectWithFigures(db: Kysely<Database>) {
  return db.selectFrom('campaigns as c').leftJoin(rollupTotals(db), 'r.campaign_id', 'c.id').selectAll('c').select(FIGURES)
}

export type CampaignRow = NonNullable<Awaited<ReturnType<typeof findCampaignById>>>
export type CampaignWithFiguresRow = NonNullable<Awaited<ReturnType<typeof findCampaignWithFigures>>>

export async function findCampaignById(db: Kysely<Database>, id: string) {
  return db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function findCampaignWithFigures(db: Kysely<Database>, id: string) {
  return selectWithFigures(db).where('c.id', '=', id).executeTakeFirst()
}

export async function lockCampaign(db: Kysely<Database>, id: string) {
  return db.selectFrom('campaigns').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

export async function findCampaignByCode(db: Kysely<Database>, code: string) {
  return db.selectFrom('campaigns').select(['id', 'name', 'code']).where(sql`lower(code)`, '=', code.toLowerCase()).executeTakeFirst()
}

export async function listCampaigns(db: Kysely<Database>, filter: CampaignFilter) {
  let query = db.selectFrom('campaigns as c')
  if (filter.q) {
    const pattern = containsPattern(filter.q)
    query = query.where((eb) => eb.or([eb('c.name', 'ilike', pattern), eb('c.code', 'ilike', pattern)]))
  }
  if (filter.type) query = query.where('c.type', '=', filter.type)
  if (filter.status) query = query.where('c.status', '=', filter.status)
  if (filter.ownerId) query = query.where('c.owner_id', '=', filter.ownerId)
  if (filter.parentId) query = query.where('c.parent_id', '=', filter.parentId)
  if (filter.startDateFrom) query = query.where('c.start_date', '>=', filter.startDateFrom)
  if (filter.startDateTo) query = query.where('c.start_date', '<=', filter.startDateTo)
  const sortBy = SORT_EXPRESSIONS[filter.sort ?? 'createdAt']
  const [rows, count] = await Promise.all([
    query
      .leftJoin(rollupTotals(db), 'r.campaign_id', 'c.id')
      .selectAll('c')
      .select(FIGURES)
      .orderBy(sortBy, (ob) => (filter.order === 'asc' ? ob.asc() : ob.desc()).nullsLast())
      .orderBy('c.id', filter.order)
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ])
  return { rows, total: count.total }
}

export async function insertCampaign(db: Kysely<Database>, values: Insertable<CampaignsTable>) {
  return db.insertInto('campaigns').values(values).returningAll().executeTakeFirstOrThrow()
}

export async function updateCampaign(db: Kysely<Database>, id: string, patch: Updateable<CampaignsTable>) {
  return db.updateTable('campaigns').set({ ...patch, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
}

export async function deleteCampaign(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('campaigns').where('id', '=', id).execute()
}

// Any constant: it only has to differ from the other advisory locks of the app.
const HIERARCHY_LOCK_KEY = 7_265_913_301

/**
 * Serialises changes to the campaign tree for the rest of the transaction, so that two
 * concurrent re-parentings cannot together make a cycle that neither sees alone.
 */
export async function lockHierarchy(db: Kysely<Database>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${HIERARCHY_LOCK_KEY})`.execute(db)
}

/** Whether `campaignId` is `parentId` itself or one of its ancestors (so the move would make a cycle). */
export async function isSelfOrAncestor(db: Kysely<Database>, campaignId: string, parentId: string): Promise<boolean> {
  const { rows } = await sql<{ found: boolean }>`
    WITH RECURSIVE chain (id, parent_id) AS (
      SELECT id, parent_id FROM campaigns WHERE id = ${parentId}
      UNION
      SELECT c.id, c.parent_id FROM campaigns c JOIN chain ON c.id = chain.parent_id
    )
    SELECT EXISTS (SELECT 1 FROM chain WHERE id = ${campaignId}) AS found`.execute(db)
  return rows[0]?.found ?? false
}

export interface CampaignReferences {
  children: number
  leads: number
  opportunities: number
  orders: number
  members: number
  touchpoints: number
  costs: number
}

/** What still points at a campaign; its foreign keys set null on delete, so a delete checks this first. */
export async function countCampaignReferences(db: Kysely<Database>, id: string): Promise<CampaignReferences> {
  const { rows } = await sql<CampaignReferences>`
    SELECT (SELECT count(*) FROM campaigns WHERE parent_id = ${id})::int AS children,
           (SELECT count(*) FROM leads WHERE campaign_id = ${id})::int AS leads,
           (SELECT count(*) FROM opportunities WHERE campaign_id = ${id})::int AS opportunities,
           (SELECT count(*) FROM orders WHERE campaign_id = ${id})::int AS orders,
           (SELECT count(*) FROM campaign_members WHERE campaign_id = ${id})::int AS members,
           (SELECT count(*) FROM touchpoints WHERE campaign_id = ${id})::int AS touchpoints,
           (SELECT count(*) FROM campaign_costs WHERE campaign_id = ${id})::int AS costs`.execute(db)
  return rows[0]!
}

export interface LeadStatusCount {
  status: LeadStatus
  total: number
  /** Of these, how many were converted to an opportunity. */
  with_opportunity: number
}

export async function countLeadsByStatus(db: Kysely<Database>, campaignId: string): Promise<LeadStatusCount[]> {
  return db
    .selectFrom('leads')
    .select(['status', sql<number>`count(*)::int`.as('total'), sql<number>`count(converted_opportunity_id)::int`.as('with_opportunity')])
    .where('campaign_id', '=', campaignId)
    .groupBy('status')
    .execute()
}

export interface OpportunityStageTotals {
  stage: OpportunityStage
  total: number
  amount: string
  /** Σ amount × probability, each rounded to the cent as roi-core's weightedAmount does. */
  weighted_amount: string
}

export async function sumOpportunitiesByStage(db: Kysely<Database>, campaignId: string): Promise<OpportunityStageTotals[]> {
  return db
    .selectFrom('opportunities')
    .select([
      'stage',
      sql<number>`count(*)::int`.as('total'),
      sql<string>`coalesce(sum(amount), 0)`.as('amount'),
      sql<string>`coalesce(sum(round(amount * probability / 100, 2)), 0)`.as('weighted_amount'),
    ])
    .where('campaign_id', '=', campaignId)
    .groupBy('stage')
    .execute()
}

/** The campaign's stored revenue and confirmed order count (sum of its roll-up slots). */
export async function sumRollupSlots(db: Kysely<Database>, campaignId: string): Promise<{ revenue: string; order_count: number }> {
  return db
    .selectFrom('campaign_rollup_slots')
    .select([sql<string>`coalesce(sum(revenue), 0)`.as('revenue'), sql<number>`coalesce(sum(order_count), 0)::int`.as('order_count')])
    .where('campaign_id', '=', campaignId)
    .executeTakeFirstOrThrow()
}

/**
 * Average days from a won opportunity's lead creation (the opportunity's own creation when it
 * has no lead) to its close, rounded to two decimals; null when nothing was won.
 */
export async function averageDaysLeadToWon(db: Kysely<Database>, campaignId: string): Promise<number | null> {
  const row = await db
    .selectFrom('opportunities as o')
    .leftJoin('leads as l', 'l.id', 'o.lead_id')
    .select(sql<string | null>`round(avg(extract(epoch FROM o.closed_at - coalesce(l.created_at, o.created_at))) / 86400, 2)`.as('days'))
    .where('o.campaign_id', '=', campaignId)
    .where('o.stage', '=', 'won')
    .where('o.closed_at', 'is not', null)
    .executeTakeFirstOrThrow()
  return row.days === null ? null : Number(row.days)
}

export interface HierarchyTotalsRow {
  campaigns: number
  cost: string
  expected_revenue: string
  actual_revenue: string
  leads: number
  opportunities: number
  won_opportunities: number
  won_amount: string
}

/**
 * Totals over a campaign and all its descendants. Each lead, opportunity and order names one
 * campaign, and the tree has no cycles, so summing over the set of campaigns counts each once.
 */
export async function hierarchyTotals(db: Kysely<Database>, id: string): Promise<HierarchyTotalsRow> {
  const { rows } = await sql<HierarchyTotalsRow>`
    WITH RECURSIVE tree (id) AS (
      SELECT id FROM campaigns WHERE id = ${id}
      UNION
      SELECT c.id FROM campaigns c JOIN tree ON c.parent_id = tree.id
    )
    SELECT (SELECT count(*) FROM tree)::int AS campaigns,
           (SELECT coalesce(sum(actual_cost), 0) FROM campaigns WHERE id IN (SELECT id FROM tree))::text AS cost,
           (SELECT coalesce(sum(expected_revenue), 0) FROM campaigns WHERE id IN (SELECT id FROM tree))::text AS expected_revenue,
           (SELECT coalesce(sum(revenue), 0) FROM campaign_rollup_slots WHERE campaign_id IN (SELECT id FROM tree))::text AS actual_revenue,
           (SELECT count(*) FROM leads WHERE campaign_id IN (SELECT id FROM tree))::int AS leads,
           (SELECT count(*) FROM opportunities WHERE campaign_id IN (SELECT id FROM tree))::int AS opportunities,
           (SELECT count(*) FROM opportunities WHERE stage = 'won' AND campaign_id IN (SELECT id FROM tree))::int AS won_opportunities,
           (SELECT coalesce(sum(amount), 0) FROM opportunities WHERE stage = 'won' AND campaign_id IN (SELECT id FROM tree))::text AS won_amount`
    .execute(db)
  return rows[0]!
}
