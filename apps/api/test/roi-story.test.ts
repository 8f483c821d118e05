import { describe, expect, it } from 'vitest'
import { UNKNOWN_ID } from './crm-fixtures.ts'
import { bearer, buildTestApp } from './helper.ts'

// Issue 3's story, end to end through the REST API, as marketing and sales would live it.
const { app, db, tokenFor } = await buildTestApp()
const marketing = bearer(await tokenFor('marketing'))
const sales = bearer(await tokenFor('sales'))
const admin = bearer(await tokenFor('admin'))

type Headers = Record<string, string>
const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, headers: Headers, payload?: unknown) =>
  app.inject({ method, url: `/api/v1${url}`, headers, ...(payload === undefined ? {} : { payload: payload as object }) })
async function ok(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, headers: Headers, payload?: unknown) {
  const res = await call(method, url, headers, payload)
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300)
  return res.statusCode === 204 ? null : res.json()
}
const roi = (campaignId: string) => ok('GET', `/campaigns/${campaignId}/roi`, marketing)
const orderTotal = async () => Number((await db.selectFrom('orders').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)

let campaignId = ''
let otherCampaignId = ''
const leadIds: string[] = []
let opportunityId = ''
let orderId = ''

describe('the ROI chain, from campaign to revenue', () => {
  it('1. marketing creates a campaign; its ROI view shows revenue 0.00 and achievement 0%', async () => {
    const campaign = await ok('POST', '/campaigns', marketing, {
      name: 'Spring trade show', code: 'SPRING-TS', type: 'trade_show', actualCost: 20000, expectedRevenue: '100000',
    })
    campaignId = campaign.id
    expect(await roi(campaignId)).toMatchObject({
      cost: '20000.00', expectedRevenue: '100000.00', actualRevenue: '0.00', achievementPct: 0, roiPct: -100,
      opportunities: { total: 0, won: 0, pipelineAmount: '0.00' }, orders: { count: 0, revenue: '0.00' },
    })
  })

  it('2. marketing records the leads the campaign collected and hands them to sales', async () => {
    for (const name of ['Li Wei', 'Zhang Min', 'Wang Fang', 'Chen Jie', 'Spam Bot']) {
      leadIds.push((await ok('POST', '/leads', marketing, { name, company: `${name} Co`, campaignId })).id)
    }
    await ok('PATCH', `/leads/${leadIds[4]}`, marketing, { status: 'disqualified', disqualifiedReason: 'Not a real company' })
    expect((await roi(campaignId)).leads).toMatchObject({ total: 5, valid: 4, validRate: 80 })
  })

  it('3. sales converts a lead; the opportunity\'s campaign source is the lead\'s campaign', async () => {
    const converted = await ok('POST', `/leads/${leadIds[0]}/convert`, sales, { opportunity: { name: 'Li Wei Co: 40 seats', amount: 40000 } })
    expect(converted).toMatchObject({ accountId: expect.any(String), contactId: expect.any(String), opportunityId: expect.any(String) })
    opportunityId = converted.opportunityId
    expect(await ok('GET', `/opportunities/${opportunityId}`, sales)).toMatchObject({
      campaignId, leadId: leadIds[0], accountId: converted.accountId, contactId: converted.contactId,
      amount: '40000.00', stage: 'prospecting', probability: 10,
    })
    expect(await roi(campaignId)).toMatchObject({
      actualRevenue: '0.00', leadToOpportunityRate: 20,
      opportunities: { total: 1, open: 1, won: 0, pipelineAmount: '40000.00', weightedPipelineAmount: '4000.00' },
    })
  })

  it('4. the opportunity moves through its stages and is won: an order is created for the same campaign', async () => {
    for (const [stage, probability] of [['qualification', 25], ['proposal', 50], ['negotiation', 75]] as const) {
      expect(await ok('PATCH', `/opportunities/${opportunityId}`, sales, { stage })).toMatchObject({ stage, probability })
    }
    expect((await roi(campaignId)).opportunities.weightedPipelineAmount).toBe('30000.00')

    const order = await ok('POST', `/opportunities/${opportunityId}/win`, sales)
    orderId = order.id
    expect(order).toMatchObject({ opportunityId, campaignId, amount: '40000.00', status: 'confirmed' })
    expect(await ok('GET', `/opportunities/${opportunityId}`, sales)).toMatchObject({ stage: 'won', probability: 100 })
  })

  it('5. the campaign\'s revenue, achievement and ROI change at that moment', async () => {
    expect(await roi(campaignId)).toMatchObject({
      cost: '20000.00', expectedRevenue: '100000.00',
      actualRevenue: '40000.00', achievementPct: 40, roiPct: 100,
      opportunities: { total: 1, open: 0, won: 1, lost: 0, pipelineAmount: '0.00', weightedPipelineAmount: '0.00', wonAmount: '40000.00', winRate: 100 },
      orders: { count: 1, revenue: '40000.00' },
      costPerLead: '4000.00', costPerOpportunity: '20000.00', costPerWon: '20000.00',
    })
    const listed = await ok('GET', `/campaigns?q=SPRING-TS`, marketing)
    expect(listed.items[0]).toMatchObject({ actualRevenue: '40000.00', achievementPct: 40, roiPct: 100 })
  })
})

describe('revenue moves exactly when orders and opportunities change', () => {
  it('a lost opportunity counts toward the win rate and adds no revenue', async () => {
    const { opportunityId: lostId } = await ok('POST', `/leads/${leadIds[1]}/convert`, sales, { opportunity: { name: 'Zhang Min Co', amount: '30000' } })
    await ok('POST', `/opportunities/${lostId}/lose`, sales, { reason: 'Chose a cheaper tool' })
    expect(await roi(campaignId)).toMatchObject({
      actualRevenue: '40000.00', opportunities: { total: 2, won: 1, lost: 1, winRate: 50 }, leadToOpportunityRate: 40,
    })
  })

  it('editing the order amount moves the difference', async () => {
    await ok('PATCH', `/orders/${orderId}`, sales, { amount: '45000.50' })
    expect(await roi(campaignId)).toMatchObject({ actualRevenue: '45000.50', achievementPct: 45, roiPct: 125, orders: { count: 1, revenue: '45000.50' } })
  })

  it('an order entered for the campaign adds, its cancel and delete take away', async () => {
    const extra = await ok('POST', '/orders', sales, { amount: '4999.50', campaignId })
    expect(await roi(campaignId)).toMatchObject({ actualRevenue: '50000.00', achievementPct: 50, roiPct: 150, orders: { count: 2 } })
    await ok('POST', `/orders/${extra.id}/cancel`, sales)
    expect(await roi(campaignId)).toMatchObject({ actualRevenue: '45000.50', orders: { count: 1 } })
    const another = await ok('POST', '/orders', sales, { amount: '0.50', campaignId })
    expect((await roi(campaignId)).actualRevenue).toBe('45001.00')
    await ok('DELETE', `/orders/${another.id}`, sales)
    expect((await roi(campaignId)).actualRevenue).toBe('45000.50')
  })

  it('re-linking the won opportunity to another campaign moves its revenue there and back', async () => {
    otherCampaignId = (await ok('POST', '/campaigns', marketing, {
      name: 'Autumn webinar', code: 'AUTUMN-WB', type: 'webinar', actualCost: '5000', expectedRevenue: '50000',
    })).id
    await ok('PATCH', `/opportunities/${opportunityId}`, sales, { campaignId: otherCampaignId })
    expect(await roi(campaignId)).toMatchObject({ actualRevenue: '0.00', achievementPct: 0, roiPct: -100, orders: { count: 0 } })
    expect(await roi(otherCampaignId)).toMatchObject({ actualRevenue: '45000.50', achievementPct: 90, roiPct: 800.01, orders: { count: 1 } })
    expect((await ok('GET', `/orders/${orderId}`, sales)).campaignId).toBe(otherCampaignId)

    await ok('PATCH', `/opportunities/${opportunityId}`, sales, { campaignId })
    expect((await roi(campaignId)).actualRevenue).toBe('45000.50')
    expect((await roi(otherCampaignId)).actualRevenue).toBe('0.00')
  })

  it('the stored figures still equal a recompute from the orders', async () => {
    expect(await ok('GET', '/admin/rollups/verify', admin)).toMatchObject({ ok: true, campaigns: [] })
  })
})

describe('bad input is refused with a 4xx naming the problem, and nothing is written', () => {
  async function expectNothingWritten(attempt: () => Promise<void>) {
    const [ordersBefore, roiBefore] = [await orderTotal(), await roi(campaignId)]
    await attempt()
    expect(await orderTotal()).toBe(ordersBefore)
    expect(await roi(campaignId)).toEqual(roiBefore)
  }

  it('a negative or malformed amount', async () => {
    await expectNothingWritten(async () => {
      for (const [amount, message] of [[-100, 'must not be negative'], ['40,000', 'must be an amount with at most two decimals, e.g. "80000.00"'], ['1e5', 'must be an amount with at most two decimals, e.g. "80000.00"']] as const) {
        const res = await call('POST', '/orders', sales, { amount, campaignId })
        expect(res.statusCode).toBe(400)
        expect(res.json().details).toEqual([{ field: 'amount', message }])
      }
      const edit = await call('PATCH', `/orders/${orderId}`, sales, { amount: '-0.01' })
      expect(edit.statusCode).toBe(400)
      expect(edit.json().details).toEqual([{ field: 'amount', message: 'must not be negative' }])
    })
  })

  it('unknown ids', async () => {
    await expectNothingWritten(async () => {
      for (const field of ['campaignId', 'opportunityId', 'accountId']) {
        const res = await call('POST', '/orders', sales, { amount: '10.00', [field]: UNKNOWN_ID })
        expect(res.statusCode).toBe(400)
        expect(res.json()).toMatchObject({ code: 'invalid_reference', details: [{ field }] })
      }
      expect((await call('POST', `/opportunities/${UNKNOWN_ID}/win`, sales)).statusCode).toBe(404)
      expect((await call('PATCH', `/orders/${UNKNOWN_ID}`, sales, { amount: '1.00' })).statusCode).toBe(404)
      const relink = await call('PATCH', `/opportunities/${opportunityId}`, sales, { campaignId: UNKNOWN_ID })
      expect(relink.statusCode).toBe(400)
      expect(relink.json()).toMatchObject({ code: 'invalid_reference', details: [{ field: 'campaignId' }] })
    })
    expect((await ok('GET', `/opportunities/${opportunityId}`, sales)).campaignId).toBe(campaignId)
  })

  it('winning a lost opportunity', async () => {
    const lost = (await ok('GET', `/opportunities?campaignId=${campaignId}&stage=lost`, sales)).items[0]
    await expectNothingWritten(async () => {
      const res = await call('POST', `/opportunities/${lost.id}/win`, sales)
      expect(res.statusCode).toBe(409)
      expect(res.json()).toMatchObject({ code: 'invalid_state', details: [{ field: 'stage' }] })
    })
  })

  it('an order whose campaign contradicts its opportunity', async () => {
    await expectNothingWritten(async () => {
      const res = await call('POST', '/orders', sales, { amount: '100.00', opportunityId, campaignId: otherCampaignId })
      expect(res.statusCode).toBe(400)
      expect(res.json()).toMatchObject({ code: 'validation_failed', details: [{ field: 'campaignId' }] })
      expect(res.json().message).toContain('campaignId')
    })
    expect((await roi(otherCampaignId)).actualRevenue).toBe('0.00')
  })

  it('marketing cannot enter orders or win opportunities', async () => {
    await expectNothingWritten(async () => {
      expect((await call('POST', '/orders', marketing, { amount: '1.00', campaignId })).statusCode).toBe(403)
      expect((await call('POST', `/opportunities/${opportunityId}/win`, marketing)).statusCode).toBe(403)
    })
  })
})
