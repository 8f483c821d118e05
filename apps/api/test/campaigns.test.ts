import { describe, expect, it } from 'vitest'
import { bearer, buildTestApp } from './helper.ts'

const { app, db, tokenFor } = await buildTestApp()
const marketing = bearer(await tokenFor('marketing'))
const sales = bearer(await tokenFor('sales'))
const viewer = bearer(await tokenFor('viewer'))

const create = (payload: Record<string, unknown>, headers = marketing) =>
  app.inject({ method: 'POST', url: '/api/v1/campaigns', headers, payload })
const patch = (id: string, payload: Record<string, unknown>) =>
  app.inject({ method: 'PATCH', url: `/api/v1/campaigns/${id}`, headers: marketing, payload })
const list = async (query: string) => {
  const res = await app.inject({ url: `/api/v1/campaigns?${query}`, headers: viewer })
  expect(res.statusCode).toBe(200)
  return res.json() as { items: { code: string; [k: string]: unknown }[]; total: number; limit: number; offset: number }
}
const codes = (page: { items: { code: string }[] }) => page.items.map((c) => c.code)
const countCampaigns = async () => Number((await db.selectFrom('campaigns').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)

/** Stands in for confirmed orders: the roll-up (tested with orders) keeps these slots. */
const addRevenue = (campaignId: string, revenue: string, orderCount = 1) =>
  db.insertInto('campaign_rollup_slots').values({ campaign_id: campaignId, slot: 0, revenue, order_count: orderCount }).execute()

describe('POST /api/v1/campaigns', () => {
  it('creates a campaign with money as two-decimal strings and its headline figures', async () => {
    const res = await create({
      name: 'Spring expo', code: 'EXPO-24', type: 'trade_show', startDate: '2024-03-01', endDate: '2024-03-03',
      budget: 100000, actualCost: '80000', expectedRevenue: '200000.5', description: 'Booth B12',
    })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({
      name: 'Spring expo', code: 'EXPO-24', type: 'trade_show', status: 'planned', startDate: '2024-03-01', endDate: '2024-03-03',
      budget: '100000.00', actualCost: '80000.00', expectedRevenue: '200000.50', parentId: null,
      actualRevenue: '0.00', achievementPct: 0, roiPct: -100,
    })
  })

  it('gives null figures when their denominator is zero', async () => {
    const res = await create({ name: 'Free', code: 'FREE-1', type: 'content' })
    expect(res.json()).toMatchObject({ budget: '0.00', actualCost: '0.00', expectedRevenue: '0.00', actualRevenue: '0.00', achievementPct: null, roiPct: null })
  })

  it('refuses a code already used in any case, naming code', async () => {
    const res = await create({ name: 'Copy', code: 'expo-24', type: 'other' })
    expect(res.statusCode).toBe(409)
    expect(res.json()).toMatchObject({ code: 'conflict', details: [{ field: 'code' }] })
  })

  it('names each bad field and writes nothing', async () => {
    const before = await countCampaigns()
    const cases: [Record<string, unknown>, string][] = [
      [{ endDate: '2024-01-01', startDate: '2024-02-01' }, 'endDate'],
      [{ budget: '12.345' }, 'budget'],
      [{ actualCost: -5 }, 'actualCost'],
      [{ expectedRevenue: '1,000' }, 'expectedRevenue'],
      [{ type: 'radio' }, 'type'],
      [{ startDate: '2024-02-30' }, 'startDate'],
      [{ code: 'has space' }, 'code'],
      [{ name: '  ' }, 'name'],
    ]
    for (const [fields, field] of cases) {
      const res = await create({ name: 'Bad', code: 'BAD-1', type: 'email', ...fields })
      expect(res.statusCode, field).toBe(400)
      expect(res.json().details.map((d: { field: string }) => d.field), field).toContain(field)
    }
    expect(await countCampaigns()).toBe(before)
  })

  it('refuses an unknown parent, naming parentId', async () => {
    const res = await create({ name: 'Orphan', code: 'ORPHAN', type: 'email', parentId: '00000000-0000-4000-8000-000000000000' })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'invalid_reference', details: [{ field: 'parentId' }] })
  })

  it('is forbidden to sales and viewers', async () => {
    expect((await create({ name: 'No', code: 'NO-1', type: 'email' }, sales)).statusCode).toBe(403)
    expect((await create({ name: 'No', code: 'NO-1', type: 'email' }, viewer)).statusCode).toBe(403)
  })
})

describe('PATCH /api/v1/campaigns/:id', () => {
  it('updates the fields sent and checks the dates against the stored ones', async () => {
    const c = (await create({ name: 'Webinar', code: 'WEB-1', type: 'webinar', startDate: '2024-05-10' })).json()
    const ok = await patch(c.id, { status: 'active', budget: 1500.5, endDate: '2024-05-10' })
    expect(ok.statusCode).toBe(200)
    expect(ok.json()).toMatchObject({ status: 'active', budget: '1500.50', startDate: '2024-05-10', endDate: '2024-05-10' })
    const bad = await patch(c.id, { endDate: '2024-05-09' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().details).toEqual([{ field: 'endDate', message: 'must not be before startDate (2024-05-10)' }])
    expect((await app.inject({ url: `/api/v1/campaigns/${c.id}`, headers: viewer })).json().endDate).toBe('2024-05-10')
  })

  it('keeps its own code in another case but refuses another campaign\'s', async () => {
    const c = (await create({ name: 'Case', code: 'CASE-1', type: 'email' })).json()
    expect((await patch(c.id, { code: 'case-1' })).json().code).toBe('case-1')
    const res = await patch(c.id, { code: 'Expo-24' })
    expect(res.statusCode).toBe(409)
    expect(res.json().details[0].field).toBe('code')
  })

  it('refuses a parent that is the campaign itself or one of its sub-campaigns', async () => {
    const root = (await create({ name: 'Root', code: 'TREE-ROOT', type: 'other' })).json()
    const child = (await create({ name: 'Child', code: 'TREE-CHILD', type: 'other', parentId: root.id })).json()
    const grandchild = (await create({ name: 'Grandchild', code: 'TREE-GRAND', type: 'other', parentId: child.id })).json()
    for (const parentId of [root.id, grandchild.id]) {
      const res = await patch(root.id, { parentId })
      expect(res.statusCode).toBe(400)
      expect(res.json().details[0].field).toBe('parentId')
    }
    expect((await patch(grandchild.id, { parentId: root.id })).json().parentId).toBe(root.id)
    const children = await list(`parentId=${root.id}&sort=code`)
    expect(codes(children)).toEqual(['TREE-CHILD', 'TREE-GRAND'])
  })
})

describe('GET /api/v1/campaigns', () => {
  const ids: Record<string, string> = {}
  it('sorts by ROI in SQL so that pages follow the order, undefined ROI last', async () => {
    for (const [code, cost, revenue] of [['ROI-A', '100', '300.00'], ['ROI-B', '200', '50.00'], ['ROI-C', '0', '10.00'], ['ROI-D', '1000', null]] as const) {
      const c = (await create({ name: `Sort ${code}`, code, type: 'paid_search', actualCost: cost, expectedRevenue: '200' })).json()
      ids[code] = c.id
      if (revenue) await addRevenue(c.id, revenue)
    }
    const first = await list('q=ROI-&sort=roi&order=desc&limit=2')
    expect(first.total).toBe(4)
    expect(codes(first)).toEqual(['ROI-A', 'ROI-B'])
    expect(first.items.map((c) => c.roiPct)).toEqual([200, -75])
    const second = await list('q=ROI-&sort=roi&order=desc&limit=2&offset=2')
    expect(codes(second)).toEqual(['ROI-D', 'ROI-C'])
    expect(second.items.map((c) => c.roiPct)).toEqual([-100, null])
    expect(codes(await list('q=ROI-&sort=roi&order=asc'))).toEqual(['ROI-D', 'ROI-B', 'ROI-A', 'ROI-C'])
  })

  it('sorts by actual revenue and achievement, carrying them on every row', async () => {
    const page = await list('q=ROI-&sort=actualRevenue&order=desc')
    expect(codes(page)).toEqual(['ROI-A', 'ROI-B', 'ROI-C', 'ROI-D'])
    expect(page.items.map((c) => c.actualRevenue)).toEqual(['300.00', '50.00', '10.00', '0.00'])
    expect(page.items.map((c) => c.achievementPct)).toEqual([150, 25, 5, 0])
    expect(codes(await list('q=ROI-&sort=achievement&order=asc'))).toEqual(['ROI-D', 'ROI-C', 'ROI-B', 'ROI-A'])
    expect(codes(await list('q=ROI-&sort=actualCost&order=asc'))).toEqual(['ROI-C', 'ROI-A', 'ROI-B', 'ROI-D'])
  })

  it('filters by type, status and start date range', async () => {
    await create({ name: 'Jan', code: 'DATE-JAN', type: 'social', status: 'completed', startDate: '2024-01-15' })
    await create({ name: 'Feb', code: 'DATE-FEB', type: 'social', status: 'active', startDate: '2024-02-15' })
    await create({ name: 'Mar', code: 'DATE-MAR', type: 'social', status: 'active', startDate: '2024-03-15' })
    expect(codes(await list('type=social&sort=startDate'))).toEqual(['DATE-JAN', 'DATE-FEB', 'DATE-MAR'])
    expect(codes(await list('type=social&status=active&sort=startDate&order=desc'))).toEqual(['DATE-MAR', 'DATE-FEB'])
    expect(codes(await list('type=social&startDateFrom=2024-02-01&startDateTo=2024-03-15&sort=startDate'))).toEqual(['DATE-FEB', 'DATE-MAR'])
  })

  it('rejects an unknown sort and a malformed date filter', async () => {
    expect((await app.inject({ url: '/api/v1/campaigns?sort=profit', headers: viewer })).statusCode).toBe(400)
    expect((await app.inject({ url: '/api/v1/campaigns?startDateFrom=yesterday', headers: viewer })).statusCode).toBe(400)
  })
})

describe('GET /api/v1/campaigns/:id/roi', () => {
  it('shows a fresh campaign with no revenue, 0% achievement and -100% ROI', async () => {
    const c = (await create({ name: 'Fresh', code: 'FRESH', type: 'conference', budget: '50000', actualCost: '40000', expectedRevenue: '100000' })).json()
    const res = await app.inject({ url: `/api/v1/campaigns/${c.id}/roi`, headers: viewer })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({
      cost: '40000.00', budget: '50000.00', expectedRevenue: '100000.00', actualRevenue: '0.00',
      achievementPct: 0, roiPct: -100,
      leads: { total: 0, byStatus: { new: 0, contacted: 0, qualified: 0, disqualified: 0, converted: 0 }, valid: 0, validRate: null },
      opportunities: { total: 0, open: 0, won: 0, lost: 0, pipelineAmount: '0.00', weightedPipelineAmount: '0.00', wonAmount: '0.00', winRate: null },
      orders: { count: 0, revenue: '0.00' },
      leadToOpportunityRate: null, costPerLead: null, costPerOpportunity: null, costPerWon: null, avgDaysLeadToWon: null,
      hierarchy: {
        campaigns: 1, cost: '40000.00', expectedRevenue: '100000.00', actualRevenue: '0.00', leads: 0, opportunities: 0,
        wonOpportunities: 0, wonAmount: '0.00', achievementPct: 0, roiPct: -100,
      },
    })
  })

  it('reads the rolled-up revenue and order count', async () => {
    const res = (await app.inject({ url: `/api/v1/campaigns/${(await list('q=ROI-A')).items[0]!.id}/roi`, headers: viewer })).json()
    expect(res).toMatchObject({ actualRevenue: '300.00', achievementPct: 150, roiPct: 200, orders: { count: 1, revenue: '300.00' } })
  })

  it('answers 404 for an unknown campaign', async () => {
    expect((await app.inject({ url: '/api/v1/campaigns/00000000-0000-4000-8000-000000000000/roi', headers: viewer })).statusCode).toBe(404)
  })
})

describe('DELETE /api/v1/campaigns/:id', () => {
  it('deletes an unused campaign and refuses one with sub-campaigns', async () => {
    const parent = (await create({ name: 'Parent', code: 'DEL-PARENT', type: 'other' })).json()
    const child = (await create({ name: 'Child', code: 'DEL-CHILD', type: 'other', parentId: parent.id })).json()
    const refused = await app.inject({ method: 'DELETE', url: `/api/v1/campaigns/${parent.id}`, headers: marketing })
    expect(refused.statusCode).toBe(409)
    expect(refused.json().message).toMatch(/1 sub-campaigns/)
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/campaigns/${child.id}`, headers: sales })).statusCode).toBe(403)
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/campaigns/${child.id}`, headers: marketing })).statusCode).toBe(204)
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/campaigns/${parent.id}`, headers: marketing })).statusCode).toBe(204)
  })

  it('refuses a campaign that has members or touchpoints, saying so', async () => {
    const event = (await create({ name: 'Event', code: 'DEL-EVENT', type: 'webinar' })).json()
    const lead = (await app.inject({ method: 'POST', url: '/api/v1/leads', headers: marketing, payload: { name: 'Guest' } })).json()
    const member = await app.inject({ method: 'POST', url: `/api/v1/campaigns/${event.id}/members`, headers: marketing, payload: { personType: 'lead', personId: lead.id, status: 'attended' } })
    expect(member.statusCode).toBe(201)
    const refused = await app.inject({ method: 'DELETE', url: `/api/v1/campaigns/${event.id}`, headers: marketing })
    expect(refused.statusCode).toBe(409)
    expect(refused.json().message).toMatch(/1 campaign members, 1 touchpoints/)
  })
})

describe('GET /api/v1/campaigns/:id/roi hierarchy totals', () => {
  it('adds up a campaign and all its descendants, each record once', async () => {
    const made = async (code: string, parentId: string | null, actualCost: string, expectedRevenue: string) => {
      const res = await create({ name: code, code, type: 'other', parentId, actualCost, expectedRevenue })
      expect(res.statusCode).toBe(201)
      return res.json().id as string
    }
    const launch = await made('LAUNCH', null, '10000', '50000')
    const tv = await made('LAUNCH-TV', launch, '30000', '60000')
    const email = await made('LAUNCH-EMAIL', launch, '2000', '10000')
    const followUp = await made('LAUNCH-EMAIL-2', email, '1000', '5000')
    await addRevenue(tv, '45000.00')
    await addRevenue(followUp, '9000.50')
    for (const [campaignId, name] of [[tv, 'TV lead'], [followUp, 'Email lead'], [followUp, 'Email lead 2']] as const) {
      expect((await app.inject({ method: 'POST', url: '/api/v1/leads', headers: marketing, payload: { name, campaignId } })).statusCode).toBe(201)
    }
    const opportunity = await app.inject({ method: 'POST', url: '/api/v1/opportunities', headers: sales, payload: { name: 'Deal', amount: '7000', campaignId: email } })
    expect(opportunity.statusCode).toBe(201)

    const roi = async (id: string) => (await app.inject({ url: `/api/v1/campaigns/${id}/roi`, headers: viewer })).json()
    expect((await roi(launch)).hierarchy).toEqual({
      campaigns: 4, cost: '43000.00', expectedRevenue: '125000.00', actualRevenue: '54000.50',
      leads: 3, opportunities: 1, wonOpportunities: 0, wonAmount: '0.00', achievementPct: 43.2, roiPct: 25.58,
    })
    expect((await roi(email)).hierarchy).toMatchObject({ campaigns: 2, cost: '3000.00', actualRevenue: '9000.50', leads: 2, opportunities: 1 })
    // A leaf's hierarchy is itself.
    const leaf = await roi(tv)
    expect(leaf.hierarchy).toMatchObject({ campaigns: 1, cost: leaf.cost, actualRevenue: leaf.actualRevenue })
  })
})
