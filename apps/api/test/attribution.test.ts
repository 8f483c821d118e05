import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { buildApp } from '../src/app.ts'
import { foldTotals } from '../src/modules/attribution/attribution.repository.ts'
import { bearer, buildTestApp, TEST_JWT_SECRET, testConfig } from './helper.ts'

const { app, db, database, tokenFor } = await buildTestApp()
const admin = bearer(await tokenFor('admin'))
const marketing = bearer(await tokenFor('marketing'))
const sales = bearer(await tokenFor('sales'))
const viewer = bearer(await tokenFor('viewer'))

const DAY = 86_400_000
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString()

async function post(url: string, payload: unknown, headers = admin) {
  return app.inject({ method: 'POST', url: `/api/v1${url}`, headers, payload: payload as Record<string, unknown> })
}
async function created(url: string, payload: unknown, headers = admin) {
  const res = await post(url, payload, headers)
  expect(res.statusCode, res.body).toBeLessThan(300)
  return res.json()
}
const get = async (url: string, headers = viewer) => {
  const res = await app.inject({ url: `/api/v1${url}`, headers })
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}
const campaign = (code: string, type: string, actualCost: string) =>
  created('/campaigns', { name: `Campaign ${code}`, code, type, actualCost, expectedRevenue: '10000' }, marketing)
const touch = (personType: 'lead' | 'contact', personId: string, campaignId: string, occurredAt: string, externalId?: string) =>
  ({ personType, personId, campaignId, type: 'ad_click', occurredAt, ...(externalId ? { externalId } : {}) })
const attribution = (campaignId: string, model: string, query = '') => get(`/campaigns/${campaignId}/attribution?model=${model}${query}`)

// The hand-worked path: touches on A (30 days ago), B (20), C (15), D (5); the lead was created
// 25 days ago and the opportunity 10 days ago, then won today for 1000.00. So the first touch and
// the lead-creation touch are A, the opportunity-creation touch is C and the last touch is D.
const A = await campaign('ATT-A', 'paid_search', '1000')
const B = await campaign('ATT-B', 'trade_show', '2000')
const C = await campaign('ATT-C', 'webinar', '500')
const D = await campaign('ATT-D', 'email', '0')
const lead = await created('/leads', { name: 'Li Lei', company: 'Lei Co', campaignId: A.id }, marketing)
await created('/touchpoints/batch', {
  touchpoints: [touch('lead', lead.id, A.id, daysAgo(30), 'path-a'), touch('lead', lead.id, B.id, daysAgo(20), 'path-b')],
}, marketing)
await sql`UPDATE leads SET created_at = ${daysAgo(25)} WHERE id = ${lead.id}`.execute(db)
const conversion = await created(`/leads/${lead.id}/convert`, { opportunity: { name: 'Lei Co deal', amount: '1000' } }, sales)
const opportunityId: string = conversion.opportunityId
const contactId: string = conversion.contactId
await sql`UPDATE opportunities SET created_at = ${daysAgo(10)} WHERE id = ${opportunityId}`.execute(db)
await created('/touchpoints', touch('contact', contactId, C.id, daysAgo(15)), marketing)
await created('/touchpoints', touch('contact', contactId, D.id, daysAgo(5)), marketing)
// Outside the window: before the 90-day lookback from the opportunity's creation.
await created('/touchpoints', touch('contact', contactId, B.id, daysAgo(150), 'too-old'), marketing)
await created(`/opportunities/${opportunityId}/win`, { orderAmount: '1000.00' }, sales)

describe('GET /api/v1/campaigns/:id/attribution', () => {
  const expected: Record<string, [string, string, string, string]> = {
    primary_source: ['1000.00', '0.00', '0.00', '0.00'],
    first_touch: ['1000.00', '0.00', '0.00', '0.00'],
    last_touch: ['0.00', '0.00', '0.00', '1000.00'],
    linear: ['250.00', '250.00', '250.00', '250.00'],
    u_shaped: ['400.00', '100.00', '100.00', '400.00'],
    w_shaped: ['600.00', '50.00', '300.00', '50.00'],
    full_path: ['450.00', '100.00', '225.00', '225.00'],
    // 20% over B, C and D is 66.666…: the leftover cent goes to the earliest touch.
    u_shaped_lead: ['800.00', '66.67', '66.67', '66.66'],
    j_shaped: ['200.00', '100.00', '100.00', '600.00'],
    inverse_j: ['600.00', '100.00', '100.00', '200.00'],
  }
  for (const [model, revenues] of Object.entries(expected)) {
    it(`credits the hand-worked path exactly under ${model}`, async () => {
      const results = await Promise.all([A, B, C, D].map((c) => attribution(c.id, model)))
      expect(results.map((r) => r.attributedRevenue)).toEqual(revenues)
      expect(results.every((r) => r.model === model)).toBe(true)
    })
  }

  it('weighs touches by half-life under time_decay, to the cent', async () => {
    // Ages back from the last touch: 25, 15, 10 and 0 days; weight 2^(−age/7).
    const weights = [25, 15, 10, 0].map((age) => 2 ** (-age / 7))
    const total = weights.reduce((a, b) => a + b)
    const results = await Promise.all([A, B, C, D].map((c) => attribution(c.id, 'time_decay')))
    const cents = results.map((r) => Math.round(Number(r.attributedRevenue) * 100))
    expect(cents.reduce((a, b) => a + b)).toBe(100_000)
    cents.forEach((c, i) => expect(Math.abs(c - (100_000 * weights[i]!) / total)).toBeLessThan(1))
  })

  it('reports the fractional won deals and the ROI over the campaign cost', async () => {
    expect(await attribution(A.id, 'u_shaped')).toEqual({
      model: 'u_shaped', attributedRevenue: '400.00', attributedWon: 0.4, attributedPipeline: '0.00', roiPct: -60,
    })
    expect(await attribution(D.id, 'last_touch')).toMatchObject({ attributedWon: 1, roiPct: null })
    expect(await attribution(B.id, 'w_shaped')).toMatchObject({ attributedWon: 0.05, roiPct: -97.5 })
  })

  it('defaults to primary_source, which equals the campaign\'s actual revenue', async () => {
    const res = await get(`/campaigns/${A.id}/attribution`)
    expect(res.model).toBe('primary_source')
    expect(res.attributedRevenue).toBe((await get(`/campaigns/${A.id}`)).actualRevenue)
  })

  it('rejects an unknown model and a reversed range, naming the field', async () => {
    const bad = await app.inject({ url: `/api/v1/campaigns/${A.id}/attribution?model=last_click`, headers: viewer })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().details[0].field).toContain('model')
    const reversed = await app.inject({ url: `/api/v1/campaigns/${A.id}/attribution?from=2026-02-01&to=2026-01-01`, headers: viewer })
    expect(reversed.statusCode).toBe(400)
    expect(reversed.json().details[0].field).toBe('to')
  })

  it('answers 404 for an unknown campaign', async () => {
    const res = await app.inject({ url: '/api/v1/campaigns/00000000-0000-4000-8000-000000000000/attribution', headers: viewer })
    expect(res.statusCode).toBe(404)
  })
})

describe('keeping attribution right', () => {
  it('counts a touch added after the win, if it happened before the win', async () => {
    const E = await campaign('ATT-E', 'social', '100')
    await created('/touchpoints', touch('contact', contactId, E.id, daysAgo(1)), marketing)
    const linear = await Promise.all([A, B, C, D, E].map((c) => attribution(c.id, 'linear')))
    expect(linear.map((r) => r.attributedRevenue)).toEqual(['200.00', '200.00', '200.00', '200.00', '200.00'])
    expect((await attribution(E.id, 'last_touch')).attributedRevenue).toBe('1000.00')
    // A touch after the win does not count for it.
    await created('/touchpoints', touch('contact', contactId, B.id, new Date(Date.now() + 3600_000).toISOString()), marketing)
    expect((await attribution(E.id, 'last_touch')).attributedRevenue).toBe('1000.00')
    const tp = await get(`/touchpoints?campaignId=${E.id}`)
    const del = await app.inject({ method: 'DELETE', url: `/api/v1/touchpoints/${tp.items[0].id}`, headers: marketing })
    expect(del.statusCode).toBe(204)
    expect((await attribution(D.id, 'last_touch')).attributedRevenue).toBe('1000.00')
  })

  it('follows an order edit, a cancel and a settings change', async () => {
    const orders = await get(`/orders?opportunityId=${opportunityId}`, sales)
    const orderId = orders.items[0].id
    const edit = await app.inject({ method: 'PATCH', url: `/api/v1/orders/${orderId}`, headers: sales, payload: { amount: '2000.00' } })
    expect(edit.statusCode, edit.body).toBe(200)
    expect((await attribution(A.id, 'u_shaped')).attributedRevenue).toBe('800.00')

    // A longer lookback takes in the touch of 150 days ago: it becomes the first touch (on B).
    const put = await app.inject({ method: 'PUT', url: '/api/v1/attribution/settings', headers: admin, payload: { lookbackDays: 365 } })
    expect(put.statusCode, put.body).toBe(200)
    expect(put.json()).toMatchObject({ lookbackDays: 365, halfLifeDays: 7 })
    expect((await attribution(B.id, 'first_touch')).attributedRevenue).toBe('2000.00')
    await app.inject({ method: 'PUT', url: '/api/v1/attribution/settings', headers: admin, payload: { lookbackDays: 90 } })
    expect((await attribution(A.id, 'first_touch')).attributedRevenue).toBe('2000.00')

    const cancel = await app.inject({ method: 'POST', url: `/api/v1/orders/${orderId}/cancel`, headers: sales })
    expect(cancel.statusCode, cancel.body).toBeLessThan(300)
    const cancelled = await attribution(A.id, 'u_shaped')
    // Still a won deal, now without revenue.
    expect(cancelled).toMatchObject({ attributedRevenue: '0.00', attributedWon: 0.4 })
  })

  it('lets only admins change the settings, and validates them', async () => {
    expect((await app.inject({ method: 'PUT', url: '/api/v1/attribution/settings', headers: marketing, payload: { lookbackDays: 30 } })).statusCode).toBe(403)
    const bad = await app.inject({ method: 'PUT', url: '/api/v1/attribution/settings', headers: admin, payload: { halfLifeDays: 0 } })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().details[0].field).toContain('halfLifeDays')
    expect(await get('/attribution/settings')).toMatchObject({ lookbackDays: 90, halfLifeDays: 7 })
  })
})

describe('contact roles and pipeline', () => {
  it('counts the touches of every contact on the opportunity, and shares open pipeline', async () => {
    const account = await created('/accounts', { name: 'Pipeline Co' }, sales)
    const first = await created('/contacts', { name: 'First', accountId: account.id }, sales)
    const second = await created('/contacts', { name: 'Second', accountId: account.id }, sales)
    const P = await campaign('ATT-P', 'conference', '0')
    const Q = await campaign('ATT-Q', 'content', '0')
    const opportunity = await created('/opportunities', { name: 'Open deal', amount: '300', accountId: account.id, contactId: first.id, campaignId: P.id }, sales)
    await created('/touchpoints', touch('contact', first.id, P.id, daysAgo(3)), marketing)
    await created('/touchpoints', touch('contact', second.id, Q.id, daysAgo(2)), marketing)
    expect((await attribution(Q.id, 'linear')).attributedPipeline).toBe('0.00')

    const role = await post(`/opportunities/${opportunity.id}/contact-roles`, { contactId: second.id, role: 'technical_buyer' }, sales)
    expect(role.statusCode, role.body).toBe(201)
    expect((await attribution(Q.id, 'linear')).attributedPipeline).toBe('150.00')
    expect((await attribution(P.id, 'linear')).attributedPipeline).toBe('150.00')

    const remove = await app.inject({ method: 'DELETE', url: `/api/v1/opportunities/${opportunity.id}/contact-roles/${second.id}`, headers: sales })
    expect(remove.statusCode).toBe(204)
    expect((await attribution(Q.id, 'linear')).attributedPipeline).toBe('0.00')
  })
})

describe('GET /api/v1/opportunities/:id/contact-roles', () => {
  it('lists the converted contact as the primary contact', async () => {
    const roles = await get(`/opportunities/${opportunityId}/contact-roles`, sales)
    expect(roles.items).toEqual([expect.objectContaining({ contactId, isPrimary: true, role: 'other' })])
  })

  it('moves the primary flag and the opportunity\'s contact together', async () => {
    const other = await created('/contacts', { name: 'Han Meimei' }, sales)
    await created(`/opportunities/${opportunityId}/contact-roles`, { contactId: other.id, role: 'decision_maker', isPrimary: true }, sales)
    const roles = await get(`/opportunities/${opportunityId}/contact-roles`, sales)
    expect(roles.items.map((r: { contactId: string; isPrimary: boolean }) => [r.contactId, r.isPrimary]))
      .toEqual([[other.id, true], [contactId, false]])
    expect((await get(`/opportunities/${opportunityId}`, sales)).contactId).toBe(other.id)
    const change = await post(`/opportunities/${opportunityId}/contact-roles`, { contactId: other.id, role: 'economic_buyer' }, sales)
    expect(change.statusCode).toBe(200)
    expect(change.json()).toMatchObject({ role: 'economic_buyer', isPrimary: true })
  })

  it('refuses an unknown contact naming the field, and marketing may not edit roles', async () => {
    const bad = await post(`/opportunities/${opportunityId}/contact-roles`, { contactId: '00000000-0000-4000-8000-000000000000', role: 'other' }, sales)
    expect(bad.statusCode).toBe(400)
    expect(bad.json().details[0].field).toBe('contactId')
    expect((await post(`/opportunities/${opportunityId}/contact-roles`, { contactId, role: 'other' }, marketing)).statusCode).toBe(403)
  })
})

describe('POST /api/v1/touchpoints/batch', () => {
  it('stores up to 10,000 touches once, however often they are sent', async () => {
    const touches = Array.from({ length: 10_000 }, (_, i) => touch('lead', lead.id, C.id, daysAgo(40 + (i % 30)), `bulk-${i}`))
    const first = await post('/touchpoints/batch', { touchpoints: touches }, marketing)
    expect(first.statusCode, first.body.slice(0, 300)).toBe(200)
    expect(first.json()).toMatchObject({ created: 10_000, existing: 0 })
    const again = await post('/touchpoints/batch', { touchpoints: touches.slice(0, 100) }, marketing)
    expect(again.json()).toMatchObject({ created: 0, existing: 100 })
    expect(again.json().ids).toEqual(first.json().ids.slice(0, 100))
  })

  it('stores nothing when one touch is bad, naming it', async () => {
    const before = await get(`/touchpoints?campaignId=${D.id}&limit=1`)
    const res = await post('/touchpoints/batch', {
      touchpoints: [touch('contact', contactId, D.id, daysAgo(1)), touch('contact', contactId, '00000000-0000-4000-8000-000000000000', daysAgo(1))],
    }, marketing)
    expect(res.statusCode).toBe(400)
    expect(res.json().details).toEqual([{ field: 'touchpoints[1].campaignId', message: expect.stringContaining('no campaign') }])
    expect((await get(`/touchpoints?campaignId=${D.id}&limit=1`)).total).toBe(before.total)
  })

  it('answers 200 with the stored touch when an externalId comes again', async () => {
    const again = await post('/touchpoints', touch('contact', contactId, A.id, daysAgo(30), 'path-a'), marketing)
    expect(again.statusCode).toBe(200)
    expect(again.json()).toMatchObject({ externalId: 'path-a', personType: 'contact', personId: contactId, leadId: lead.id })
  })

  it('refuses more than 10,000 touches and a viewer', async () => {
    const tooMany = Array.from({ length: 10_001 }, () => touch('lead', lead.id, C.id, daysAgo(1)))
    expect((await post('/touchpoints/batch', { touchpoints: tooMany }, marketing)).statusCode).toBe(400)
    expect((await post('/touchpoints', touch('lead', lead.id, C.id, daysAgo(1)), viewer)).statusCode).toBe(403)
  })
})

describe('GET /api/v1/attribution/compare', () => {
  it('shows every model side by side with totals that all equal the confirmed revenue', async () => {
    const standalone = await created('/orders', { amount: '300.00', campaignId: B.id }, sales)
    expect(standalone.opportunityId).toBeNull()
    const res = await get('/attribution/compare')
    expect(res.models).toHaveLength(11)
    const totals = new Set(res.totals.map((t: { totalRevenue: string }) => t.totalRevenue))
    expect([...totals]).toEqual([res.totalRevenue])
    const confirmed = await sql<{ total: string }>`SELECT sum(amount)::text AS total FROM orders WHERE status = 'confirmed'`.execute(db)
    expect(res.totalRevenue).toBe(confirmed.rows[0]!.total)
    for (const row of res.campaigns) {
      const primary = row.models.find((m: { model: string }) => m.model === 'primary_source')
      expect(primary.attributedRevenue).toBe((await get(`/campaigns/${row.campaignId}`)).actualRevenue)
    }
  })

  it('narrows the rows by type and the revenue by date, with the spread between models', async () => {
    const res = await get('/attribution/compare?models=first_touch,last_touch&type=trade_show&from=2000-01-01')
    expect(res.models).toEqual(['first_touch', 'last_touch'])
    expect(res.campaigns.map((c: { campaignId: string }) => c.campaignId)).toEqual([B.id])
    expect(res.campaigns[0].spread).toEqual({ min: '300.00', max: '300.00', range: '0.00' })
    const future = await get('/attribution/compare?models=linear&from=2999-01-01')
    expect(future.totalRevenue).toBe('0.00')
    expect(future.totals[0].totalRevenue).toBe('0.00')
  })

  it('rejects an unknown model in the list', async () => {
    const res = await app.inject({ url: '/api/v1/attribution/compare?models=linear,nope', headers: viewer })
    expect(res.statusCode).toBe(400)
    expect(res.json().details[0].field).toContain('models')
  })
})

describe('incremental and full recomputes', () => {
  it('agree after every kind of change the tests above made', async () => {
    const incremental = await get('/attribution/compare')
    const rebuild = await post('/attribution/rebuild', {})
    expect(rebuild.statusCode, rebuild.body).toBe(200)
    expect(rebuild.json()).toMatchObject({ full: true })
    expect(await get('/attribution/compare')).toEqual(incremental)
  })

  it('folds the appended differences without changing a figure', async () => {
    await created('/touchpoints', touch('contact', contactId, B.id, daysAgo(3)), marketing)
    const before = await get('/attribution/compare')
    const rows = async () => Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM attribution_totals`.execute(db)).rows[0]!.n)
    const appended = await rows()
    const left = await foldTotals(db)
    expect(left).toBeLessThan(appended)
    expect(await rows()).toBe(left)
    expect(await get('/attribution/compare')).toEqual(before)
  })
})

describe('catching up between reads', () => {
  it('recomputes what writes made stale without waiting for a read', async () => {
    const refresher = await buildApp({ config: testConfig(), db, pool: database.pool, jwtSecret: TEST_JWT_SECRET, attributionRefreshMs: 50 })
    await refresher.ready()
    try {
      // A mark as a write leaves it (the triggers are tested through every read above).
      await sql`INSERT INTO attribution_stale (opportunity_id) VALUES (${opportunityId})`.execute(db)
      const stale = async () => Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM attribution_stale`.execute(db)).rows[0]!.n)
      await expect.poll(stale, { timeout: 2_000 }).toBe(0)
    } finally {
      await refresher.close()
    }
  })
})
