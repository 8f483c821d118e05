import { formatMoney, parseMoney } from '@yardstick/roi-core'
import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { buildApp } from '../src/app.ts'
import { createDb, createPool } from '../src/db/database.ts'
import { campaignRevenue } from '../src/modules/rollups/rollups.service.ts'
import { insertCampaign } from './crm-fixtures.ts'
import { bearer, buildTestApp, TEST_JWT_SECRET, testConfig } from './helper.ts'

const { app, db, database, tokenFor } = await buildTestApp()
const admin = bearer(await tokenFor('admin'))
const sales = bearer(await tokenFor('sales'))

const verify = (headers = admin) => app.inject({ url: '/api/v1/admin/rollups/verify', headers })
const rebuild = (headers = admin) => app.inject({ method: 'POST', url: '/api/v1/admin/rollups/rebuild', headers })
const createOrder = (payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/api/v1/orders', headers: sales, payload })

async function revenueOf(campaignId: string) {
  const totals = (await campaignRevenue(db, [campaignId])).get(campaignId)!
  return { revenue: formatMoney(totals.revenueCents), orders: totals.orderCount }
}

/** Breaks the stored figures behind the API's back, as a bug or a manual edit would. */
async function tamper(campaignId: string, revenue: string, orderCount: number) {
  await sql`INSERT INTO campaign_rollup_slots (campaign_id, slot, revenue, order_count) VALUES (${campaignId}, 15, ${revenue}, ${orderCount})
            ON CONFLICT (campaign_id, slot) DO UPDATE SET revenue = campaign_rollup_slots.revenue + EXCLUDED.revenue,
            order_count = campaign_rollup_slots.order_count + EXCLUDED.order_count`.execute(db)
}

describe('GET /api/v1/admin/rollups/verify', () => {
  it('reports no drift when every figure came through the API', async () => {
    const a = await insertCampaign(db)
    const b = await insertCampaign(db)
    await createOrder({ amount: '100.10', campaignId: a })
    await createOrder({ amount: '200.20', campaignId: b })
    const res = await verify()
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ ok: true, campaigns: [], checked: 2 })
  })

  it('lists each drifting campaign with its stored and recomputed figures', async () => {
    const drifting = await insertCampaign(db)
    await createOrder({ amount: '1000.00', campaignId: drifting })
    await tamper(drifting, '-0.01', 1)
    const ghost = await insertCampaign(db)
    await tamper(ghost, '42.00', 1)
    const body = (await verify()).json()
    expect(body.ok).toBe(false)
    expect(body.checked).toBe(4)
    expect(body.campaigns).toEqual(expect.arrayContaining([
      { campaignId: drifting, storedRevenue: '999.99', recomputedRevenue: '1000.00', storedOrderCount: 2, recomputedOrderCount: 1 },
      { campaignId: ghost, storedRevenue: '42.00', recomputedRevenue: '0.00', storedOrderCount: 1, recomputedOrderCount: 0 },
    ]))
    expect(body.campaigns).toHaveLength(2)
  })

  it('is for admins only', async () => {
    expect((await verify(sales)).statusCode).toBe(403)
    expect((await rebuild(sales)).statusCode).toBe(403)
  })
})

describe('pnpm rollups:verify', () => {
  const run = (env: Record<string, string>) => promisify(execFile)(
    path.resolve(import.meta.dirname, '../../../node_modules/.bin/tsx'),
    ['src/cli/rollups-verify.ts'],
    { cwd: path.resolve(import.meta.dirname, '..'), env: { ...process.env, ...env, LOG_LEVEL: 'silent' } },
  )

  it('prints the drifting campaigns and exits 1', async () => {
    const error = await run({ DATABASE_URL: database.url }).then((ok) => ({ code: 0, ...ok }), (e: { code: number; stdout: string; stderr: string }) => e)
    expect(error, JSON.stringify(error)).toMatchObject({ code: 1 })
    expect(error?.stdout).toContain('999.99')
    expect(error?.stderr).toContain('Drift in 2 of 4 campaign(s)')
  })
})

describe('POST /api/v1/admin/rollups/rebuild', () => {
  it('replaces the stored figures with the recompute and reports no drift after', async () => {
    const res = await rebuild()
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ ok: true, campaigns: [], checked: 3 })
    const { rows } = await sql<{ campaign_id: string; revenue: string; order_count: number }>`
      SELECT campaign_id, sum(revenue)::text AS revenue, sum(order_count)::int AS order_count FROM campaign_rollup_slots GROUP BY campaign_id`.execute(db)
    expect(rows.map((r) => r.revenue).sort()).toEqual(['100.10', '1000.00', '200.20'])
    const audit = await db.selectFrom('audit_log').select(['entity', 'action', 'changes']).where('entity', '=', 'campaign_rollup').execute()
    expect(audit).toEqual([{ entity: 'campaign_rollup', action: 'rebuild', changes: { driftingCampaigns: { before: 2, after: 0 } } }])
  })

  it('lets the roll-up carry on from the rebuilt figures', async () => {
    const campaignId = await insertCampaign(db)
    await createOrder({ amount: '10.00', campaignId })
    await tamper(campaignId, '5.00', 0)
    await rebuild()
    await createOrder({ amount: '0.05', campaignId })
    expect(await revenueOf(campaignId)).toEqual({ revenue: '10.05', orders: 2 })
    expect((await verify()).json().ok).toBe(true)
  })

  it('prints no drift from the shell afterwards', async () => {
    const { stdout } = await promisify(execFile)(
      path.resolve(import.meta.dirname, '../../../node_modules/.bin/tsx'),
      ['src/cli/rollups-verify.ts'],
      { cwd: path.resolve(import.meta.dirname, '..'), env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' } },
    )
    expect(stdout).toContain('No drift: 4 campaign(s) checked')
  })
})

describe('concurrent order writes on one campaign from two API instances', () => {
  it('keeps the stored revenue equal to the confirmed orders to the cent', async () => {
    // A second server process in all but name: its own app and its own connection pool.
    const secondPool = createPool(database.url, 10)
    const secondDb = createDb(secondPool)
    const second = await buildApp({ config: testConfig(), db: secondDb, pool: secondPool, jwtSecret: TEST_JWT_SECRET })
    await second.ready()
    afterAll(async () => {
      await second.close()
      await secondDb.destroy()
    })
    const instances = [app, second]
    const via = (i: number) => instances[i % 2]!
    const campaignId = await insertCampaign(db, { name: 'Hot campaign' })

    // Deterministic, awkward amounts: every cent digit occurs.
    const amountOf = (i: number) => formatMoney(BigInt(100 + ((i * 7919) % 1_000_000)))
    const expected = new Map<string, bigint>()

    const seeded = await Promise.all(Array.from({ length: 120 }, async (_, i) => {
      const res = await via(i).inject({ method: 'POST', url: '/api/v1/orders', headers: sales, payload: { amount: amountOf(i), campaignId } })
      expect(res.statusCode).toBe(201)
      return res.json() as { id: string; amount: string }
    }))
    for (const order of seeded) expected.set(order.id, parseMoney(order.amount))
    // The writes spread over several slots rather than queueing on one hot row.
    const { rows } = await sql<{ slots: number }>`SELECT count(*)::int AS slots FROM campaign_rollup_slots WHERE campaign_id = ${campaignId}`.execute(db)
    expect(rows[0]!.slots).toBeGreaterThan(1)

    // One burst: new orders, amount edits, cancels (some racing an edit of the same order, some
    // cancelling twice), deletes, and two rebuilds in the middle.
    const ops: Promise<void>[] = []
    for (let i = 0; i < 160; i++) {
      ops.push(via(i).inject({ method: 'POST', url: '/api/v1/orders', headers: sales, payload: { amount: amountOf(1000 + i), campaignId } })
        .then((res) => {
          expect(res.statusCode).toBe(201)
          expected.set(res.json().id, parseMoney(res.json().amount))
        }))
    }
    for (let i = 0; i < 60; i++) {
      const order = seeded[i]!
      const amount = amountOf(5000 + i)
      ops.push(via(i + 1).inject({ method: 'PATCH', url: `/api/v1/orders/${order.id}`, headers: sales, payload: { amount } })
        .then((res) => {
          expect(res.statusCode).toBe(200)
          if (expected.has(order.id)) expected.set(order.id, parseMoney(amount))
        }))
    }
    const cancelled = new Set<string>()
    for (let i = 40; i < 90; i++) {
      const order = seeded[i]!
      cancelled.add(order.id)
      ops.push(via(i).inject({ method: 'POST', url: `/api/v1/orders/${order.id}/cancel`, headers: sales }).then((res) => {
        expect([200, 409]).toContain(res.statusCode)
      }))
      if (i % 5 === 0) {
        ops.push(via(i + 1).inject({ method: 'POST', url: `/api/v1/orders/${order.id}/cancel`, headers: sales }).then((res) => {
          expect([200, 409]).toContain(res.statusCode)
        }))
      }
    }
    const deleted = new Set<string>()
    for (let i = 90; i < 110; i++) {
      const order = seeded[i]!
      deleted.add(order.id)
      ops.push(via(i).inject({ method: 'DELETE', url: `/api/v1/orders/${order.id}`, headers: sales }).then((res) => {
        expect(res.statusCode).toBe(204)
      }))
    }
    for (const i of [0, 1]) {
      ops.splice(100 + i * 100, 0, via(i).inject({ method: 'POST', url: '/api/v1/admin/rollups/rebuild', headers: admin }).then((res) => {
        expect(res.statusCode).toBe(200)
      }))
    }
    expect(ops.length).toBeGreaterThanOrEqual(300)
    await Promise.all(ops)

    let expectedCents = 0n
    let expectedCount = 0
    for (const [id, cents] of expected) {
      if (cancelled.has(id) || deleted.has(id)) continue
      expectedCents += cents
      expectedCount += 1
    }

    const report = (await verify()).json()
    expect(report).toMatchObject({ ok: true, campaigns: [] })
    expect(await revenueOf(campaignId)).toEqual({ revenue: formatMoney(expectedCents), orders: expectedCount })
    expect(expectedCount).toBe(120 + 160 - 50 - 20)

    // The same sum straight from the confirmed orders the API lists.
    const listed = await app.inject({ url: `/api/v1/orders?campaignId=${campaignId}&status=confirmed&limit=500`, headers: sales })
    const listedCents = (listed.json().items as { amount: string }[]).reduce((sum, o) => sum + parseMoney(o.amount), 0n)
    expect(listed.json().total).toBe(expectedCount)
    expect(formatMoney(listedCents)).toBe(formatMoney(expectedCents))

  })
})
