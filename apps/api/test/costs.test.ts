import { describe, expect, it } from 'vitest'
import { UNKNOWN_ID } from './crm-fixtures.ts'
import { bearer, buildTestApp } from './helper.ts'

const { app, db, tokenFor } = await buildTestApp()
const marketing = bearer(await tokenFor('marketing'))
const sales = bearer(await tokenFor('sales'))
const admin = bearer(await tokenFor('admin'))

const createCampaign = async (payload: Record<string, unknown>) => {
  const res = await app.inject({ method: 'POST', url: '/api/v1/campaigns', headers: marketing, payload: { type: 'trade_show', ...payload } })
  expect(res.statusCode, res.body).toBe(201)
  return res.json() as { id: string; actualCost: string; roiPct: number | null }
}
const campaignOf = async (id: string) => (await app.inject({ url: `/api/v1/campaigns/${id}`, headers: sales })).json()
const costsUrl = (campaignId: string) => `/api/v1/campaigns/${campaignId}/costs`
const addCost = (campaignId: string, payload: Record<string, unknown>, headers = marketing) =>
  app.inject({ method: 'POST', url: costsUrl(campaignId), headers, payload })
const ledger = async (campaignId: string, query = '') => {
  const res = await app.inject({ url: `${costsUrl(campaignId)}${query}`, headers: sales })
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}

describe('POST /api/v1/campaigns/:id/costs', () => {
  it('adds dated entries whose sum becomes the campaign\'s actualCost and ROI', async () => {
    const c = await createCampaign({ name: 'Expo', code: 'COST-EXPO', expectedRevenue: '100000' })
    const booth = await addCost(c.id, { date: '2026-03-02', category: 'venue', amount: '12000.50', note: '展位费' })
    expect(booth.statusCode, booth.body).toBe(201)
    expect(booth.json()).toMatchObject({ campaignId: c.id, date: '2026-03-02', category: 'venue', amount: '12000.50', note: '展位费' })
    expect((await addCost(c.id, { date: '2026-03-05', category: 'material', amount: 7999.5 })).statusCode).toBe(201)
    expect(await campaignOf(c.id)).toMatchObject({ actualCost: '20000.00', roiPct: -100 })
    const roi = (await app.inject({ url: `/api/v1/campaigns/${c.id}/roi`, headers: sales })).json()
    expect(roi).toMatchObject({ cost: '20000.00', costPerLead: null })
  })

  it('names every bad field and writes nothing', async () => {
    const c = await createCampaign({ name: 'Bad input', code: 'COST-BAD' })
    const res = await addCost(c.id, { date: '2026-13-01', category: 'snacks', amount: 'abc' })
    expect(res.statusCode).toBe(400)
    const fields = (res.json().details as { field: string }[]).map((d) => d.field)
    expect(fields).toEqual(expect.arrayContaining(['date', 'category']))
    for (const [amount, message] of [['0', 'greater than zero'], ['-5', 'negative'], ['1.005', 'two decimals']] as const) {
      const bad = await addCost(c.id, { date: '2026-03-01', category: 'media', amount })
      expect(bad.statusCode).toBe(400)
      expect(bad.json().details[0].field).toBe('amount')
      expect(bad.json().details[0].message).toContain(message)
    }
    expect((await ledger(c.id)).total).toBe(0)
    expect((await campaignOf(c.id)).actualCost).toBe('0.00')
  })

  it('answers 404 for an unknown campaign and 403 to roles that may not spend', async () => {
    expect((await addCost(UNKNOWN_ID, { date: '2026-03-01', category: 'media', amount: '1' })).statusCode).toBe(404)
    const c = await createCampaign({ name: 'Guarded', code: 'COST-403' })
    expect((await addCost(c.id, { date: '2026-03-01', category: 'media', amount: '1' }, sales)).statusCode).toBe(403)
  })
})

describe('GET /api/v1/campaigns/:id/costs', () => {
  it('lists the newest first, filtered by date and category, with the sum and the split by category', async () => {
    const c = await createCampaign({ name: 'Ledger', code: 'COST-LIST' })
    for (const [date, category, amount] of [
      ['2026-01-10', 'media', '100.00'], ['2026-02-10', 'media', '250.00'], ['2026-02-20', 'venue', '300.00'], ['2026-03-01', 'staff', '50.00'],
    ]) await addCost(c.id, { date, category, amount })
    const all = await ledger(c.id)
    expect(all.items.map((e: { date: string }) => e.date)).toEqual(['2026-03-01', '2026-02-20', '2026-02-10', '2026-01-10'])
    expect(all).toMatchObject({ total: 4, amount: '700.00' })
    expect(all.byCategory).toEqual([
      { category: 'media', amount: '350.00', entries: 2 },
      { category: 'venue', amount: '300.00', entries: 1 },
      { category: 'staff', amount: '50.00', entries: 1 },
    ])
    const feb = await ledger(c.id, '?from=2026-02-01&to=2026-02-28')
    expect(feb).toMatchObject({ total: 2, amount: '550.00' })
    const media = await ledger(c.id, '?category=media&limit=1')
    expect(media).toMatchObject({ total: 2, amount: '350.00', limit: 1 })
    expect(media.items).toHaveLength(1)
    const reversed = await app.inject({ url: `${costsUrl(c.id)}?from=2026-03-01&to=2026-02-01`, headers: sales })
    expect(reversed.statusCode).toBe(400)
    expect(reversed.json().details[0].field).toBe('to')
  })
})

describe('PATCH and DELETE /api/v1/campaigns/:id/costs/:costId', () => {
  it('moves actualCost with every change, and audits each', async () => {
    const c = await createCampaign({ name: 'Edits', code: 'COST-EDIT' })
    const entry = (await addCost(c.id, { date: '2026-04-01', category: 'agency', amount: '1000' })).json()
    const changed = await app.inject({ method: 'PATCH', url: `${costsUrl(c.id)}/${entry.id}`, headers: marketing, payload: { amount: '1500.25', note: '追加' } })
    expect(changed.statusCode, changed.body).toBe(200)
    expect(changed.json()).toMatchObject({ amount: '1500.25', note: '追加', category: 'agency', date: '2026-04-01' })
    expect((await campaignOf(c.id)).actualCost).toBe('1500.25')
    const gone = await app.inject({ method: 'DELETE', url: `${costsUrl(c.id)}/${entry.id}`, headers: marketing })
    expect(gone.statusCode).toBe(204)
    expect((await campaignOf(c.id)).actualCost).toBe('0.00')
    expect((await app.inject({ url: `${costsUrl(c.id)}/${entry.id}`, headers: sales })).statusCode).toBe(404)
    const audit = (await app.inject({ url: `/api/v1/audit?entity=cost&entityId=${entry.id}`, headers: admin })).json()
    expect(audit.items.map((a: { action: string }) => a.action).sort()).toEqual(['create', 'delete', 'update'])
  })

  it('does not reach an entry through another campaign', async () => {
    const a = await createCampaign({ name: 'A', code: 'COST-A' })
    const b = await createCampaign({ name: 'B', code: 'COST-B' })
    const entry = (await addCost(a.id, { date: '2026-04-01', category: 'media', amount: '10' })).json()
    expect((await app.inject({ method: 'PATCH', url: `${costsUrl(b.id)}/${entry.id}`, headers: marketing, payload: { amount: '1' } })).statusCode).toBe(404)
    expect((await app.inject({ method: 'DELETE', url: `${costsUrl(b.id)}/${entry.id}`, headers: marketing })).statusCode).toBe(404)
    expect((await campaignOf(a.id)).actualCost).toBe('10.00')
  })

  it('keeps actualCost equal to the ledger under concurrent writes', async () => {
    const c = await createCampaign({ name: 'Busy', code: 'COST-BUSY' })
    const entries = await Promise.all(Array.from({ length: 40 }, (_, i) => addCost(c.id, { date: '2026-05-01', category: 'media', amount: `${i + 1}.01` })))
    const ids = entries.map((r) => r.json().id as string)
    await Promise.all([
      ...ids.slice(0, 10).map((id) => app.inject({ method: 'DELETE', url: `${costsUrl(c.id)}/${id}`, headers: marketing })),
      ...ids.slice(10, 20).map((id) => app.inject({ method: 'PATCH', url: `${costsUrl(c.id)}/${id}`, headers: marketing, payload: { amount: '100' } })),
    ])
    const { amount } = await ledger(c.id)
    // 10 entries of 100, and entries 21..40 at i + 1.01: Σ(21..40) + 20 × 0.01 = 610 + 0.20.
    expect(amount).toBe('1610.20')
    expect((await campaignOf(c.id)).actualCost).toBe(amount)
  })
})

describe('the campaign\'s actualCost and the ledger', () => {
  it('turns spend entered with a new campaign into its first entry, dated on its start', async () => {
    const c = await createCampaign({ name: 'Opening', code: 'COST-OPEN', startDate: '2026-02-01', actualCost: '8000' })
    expect(c.actualCost).toBe('8000.00')
    const { items } = await ledger(c.id)
    expect(items).toEqual([expect.objectContaining({ date: '2026-02-01', category: 'other', amount: '8000.00' })])
  })

  it('refuses to change actualCost on the campaign itself, but accepts the current value sent back', async () => {
    const c = await createCampaign({ name: 'Read only', code: 'COST-RO', actualCost: '500' })
    const same = await app.inject({ method: 'PATCH', url: `/api/v1/campaigns/${c.id}`, headers: marketing, payload: { actualCost: '500.00', name: 'Renamed' } })
    expect(same.statusCode).toBe(200)
    const changed = await app.inject({ method: 'PATCH', url: `/api/v1/campaigns/${c.id}`, headers: marketing, payload: { actualCost: '600' } })
    expect(changed.statusCode).toBe(400)
    expect(changed.json().details[0]).toMatchObject({ field: 'actualCost' })
    expect(changed.json().details[0].message).toContain('/costs')
    expect((await campaignOf(c.id)).actualCost).toBe('500.00')
  })

  it('refuses to delete a campaign that has cost entries, naming them', async () => {
    const c = await createCampaign({ name: 'Spent', code: 'COST-DEL', actualCost: '1' })
    const res = await app.inject({ method: 'DELETE', url: `/api/v1/campaigns/${c.id}`, headers: marketing })
    expect(res.statusCode).toBe(409)
    expect(res.json().message).toContain('cost entries')
    const [entry] = (await ledger(c.id)).items
    await app.inject({ method: 'DELETE', url: `${costsUrl(c.id)}/${entry.id}`, headers: marketing })
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/campaigns/${c.id}`, headers: marketing })).statusCode).toBe(204)
  })

  it('keeps the sum for writes that bypass the API', async () => {
    const c = await createCampaign({ name: 'SQL', code: 'COST-SQL' })
    await db.insertInto('campaign_costs').values([
      { campaign_id: c.id, spent_on: '2026-01-01', category: 'media', amount: '10.10' },
      { campaign_id: c.id, spent_on: '2026-01-02', category: 'media', amount: '20.20' },
    ]).execute()
    await db.updateTable('campaign_costs').set({ amount: '5.05' }).where('campaign_id', '=', c.id).where('spent_on', '=', '2026-01-01').execute()
    expect((await campaignOf(c.id)).actualCost).toBe('25.25')
  })
})
