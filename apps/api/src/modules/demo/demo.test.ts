import { CAMPAIGN_TYPES, OPPORTUNITY_STAGES } from '@yardstick/roi-core'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { bearer, buildTestApp } from '../../../test/helper.ts'
import { loadDemoData } from './demo.service.ts'

const { app, db, tokenFor } = await buildTestApp()
const admin = bearer(await tokenFor('admin'))
const first = await loadDemoData(db)

const count = async (table: string) => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(db)).rows[0]!.n)

describe('loading the demo data', () => {
  it('creates about twenty campaigns of every type, with their leads, opportunities and orders', async () => {
    expect(first).toMatchObject({ campaigns: 20 })
    expect(first!.leads).toBeGreaterThan(400)
    expect(first!.opportunities).toBeGreaterThan(80)
    expect(first!.orders).toBeGreaterThan(20)
    const types = (await db.selectFrom('campaigns').select('type').distinct().execute()).map((r) => r.type)
    expect(types.sort()).toEqual([...CAMPAIGN_TYPES].sort())
  })

  it('has opportunities in every stage and users of every working role', async () => {
    const stages = (await db.selectFrom('opportunities').select('stage').distinct().execute()).map((r) => r.stage)
    expect(stages.sort()).toEqual([...OPPORTUNITY_STAGES].sort())
    const roles = (await db.selectFrom('users').select('role').distinct().execute()).map((r) => r.role)
    expect(roles).toEqual(expect.arrayContaining(['marketing', 'sales', 'viewer']))
  })

  it('spreads the activity over the last twelve months', async () => {
    const { rows } = await sql<{ months: number }>`SELECT count(DISTINCT date_trunc('month', created_at))::int AS months FROM leads`.execute(db)
    expect(rows[0]!.months).toBeGreaterThanOrEqual(10)
  })

  it('gives campaigns that pay and campaigns that do not, with figures that match the orders', async () => {
    const list = await app.inject({ url: '/api/v1/campaigns?limit=50&sort=roi&order=desc', headers: admin })
    const rois = list.json().items.map((c: { roiPct: number | null }) => c.roiPct).filter((r: number | null) => r !== null)
    expect(Math.max(...rois)).toBeGreaterThan(100)
    expect(Math.min(...rois)).toBeLessThan(0)
    const verify = await app.inject({ url: '/api/v1/admin/rollups/verify', headers: admin })
    expect(verify.json()).toMatchObject({ ok: true, campaigns: [] })
  })

  it('books each running campaign\'s spend as dated cost entries of its kind, summing to its spend', async () => {
    const { rows } = await sql<{ code: string; actual_cost: string; ledger: string; entries: number; categories: number; days: number }>`
      SELECT c.code, c.actual_cost::text, coalesce(sum(k.amount), 0.00)::numeric(18,2)::text AS ledger, count(k.id)::int AS entries,
             count(DISTINCT k.category)::int AS categories, count(DISTINCT k.spent_on)::int AS days
      FROM campaigns c LEFT JOIN campaign_costs k ON k.campaign_id = c.id GROUP BY c.id`.execute(db)
    for (const row of rows) expect(row.ledger, row.code).toBe(row.actual_cost)
    const running = rows.filter((r) => r.entries > 0)
    expect(running.length).toBeGreaterThanOrEqual(15)
    expect(running.some((r) => r.categories >= 4 && r.days >= 2)).toBe(true)
  })

  it('gives leads journeys over several campaigns, so the attribution models disagree', async () => {
    expect(first!.touchpoints).toBeGreaterThan(first!.leads)
    const compare = await app.inject({ url: '/api/v1/attribution/compare?models=first_touch,last_touch,linear', headers: admin })
    const body = compare.json()
    expect(new Set(body.totals.map((t: { totalRevenue: string }) => t.totalRevenue))).toEqual(new Set([body.totalRevenue]))
    const spreads = body.campaigns.map((c: { spread: { range: string } }) => Number(c.spread.range))
    expect(Math.max(...spreads)).toBeGreaterThan(0)
  })

  it('changes nothing when loaded again', async () => {
    const tables = ['campaigns', 'campaign_costs', 'leads', 'opportunities', 'orders', 'users', 'touchpoints']
    const before = await Promise.all(tables.map(count))
    expect(await loadDemoData(db)).toBeNull()
    expect(await Promise.all(tables.map(count))).toEqual(before)
  })
})
