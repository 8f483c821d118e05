import { formatMoney } from '@yardstick/roi-core'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { campaignRevenue } from '../src/modules/rollups/rollups.service.ts'
import { insertAccount, insertCampaign, UNKNOWN_ID } from './crm-fixtures.ts'
import { bearer, buildTestApp } from './helper.ts'

const { app, db, tokenFor } = await buildTestApp()
const sales = bearer(await tokenFor('sales'))
const marketing = bearer(await tokenFor('marketing'))
const admin = bearer(await tokenFor('admin'))

const createOrder = (payload: Record<string, unknown>, headers = sales) =>
  app.inject({ method: 'POST', url: '/api/v1/orders', headers, payload })
const patchOrder = (id: string, payload: Record<string, unknown>) =>
  app.inject({ method: 'PATCH', url: `/api/v1/orders/${id}`, headers: sales, payload })
const cancelOrder = (id: string) => app.inject({ method: 'POST', url: `/api/v1/orders/${id}/cancel`, headers: sales })
const createOpportunity = async (payload: Record<string, unknown>) => {
  const res = await app.inject({ method: 'POST', url: '/api/v1/opportunities', headers: sales, payload })
  expect(res.statusCode).toBe(201)
  return res.json() as { id: string; campaignId: string | null; accountId: string | null }
}

/** The campaign's stored revenue and order count, as the ROI view reads them. */
async function revenueOf(campaignId: string): Promise<{ revenue: string; orders: number }> {
  const totals = (await campaignRevenue(db, [campaignId])).get(campaignId)!
  return { revenue: formatMoney(totals.revenueCents), orders: totals.orderCount }
}

const orderCount = async () => Number((await db.selectFrom('orders').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)

describe('POST /api/v1/orders', () => {
  it('rolls the amount into the campaign revenue at once, with a generated number', async () => {
    const campaignId = await insertCampaign(db)
    const res = await createOrder({ amount: '12500.50', campaignId, orderDate: '2026-03-01' })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({ amount: '12500.50', campaignId, orderDate: '2026-03-01', status: 'confirmed', opportunityId: null, cancelledAt: null })
    expect(res.json().number).toMatch(/^SO-\d{6}$/)
    expect(await revenueOf(campaignId)).toEqual({ revenue: '12500.50', orders: 1 })

    expect((await createOrder({ amount: 0.1, campaignId })).json().amount).toBe('0.10')
    expect(await revenueOf(campaignId)).toEqual({ revenue: '12500.60', orders: 2 })
  })

  it('takes the campaign and account from the opportunity', async () => {
    const campaignId = await insertCampaign(db)
    const accountId = await insertAccount(db)
    const opportunity = await createOpportunity({ name: 'Fleet deal', amount: '5000', campaignId, accountId })
    const res = await createOrder({ amount: '4800.00', opportunityId: opportunity.id })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({ opportunityId: opportunity.id, campaignId, accountId, amount: '4800.00' })
    expect(await revenueOf(campaignId)).toEqual({ revenue: '4800.00', orders: 1 })
  })

  it('refuses a campaign that contradicts the opportunity, naming campaignId and writing nothing', async () => {
    const campaignId = await insertCampaign(db)
    const otherCampaignId = await insertCampaign(db)
    const opportunity = await createOpportunity({ name: 'Contradiction', campaignId })
    const before = await orderCount()
    const res = await createOrder({ amount: '100.00', opportunityId: opportunity.id, campaignId: otherCampaignId })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'validation_failed', details: [{ field: 'campaignId' }] })
    expect(await orderCount()).toBe(before)
    expect(await revenueOf(campaignId)).toEqual({ revenue: '0.00', orders: 0 })
    expect(await revenueOf(otherCampaignId)).toEqual({ revenue: '0.00', orders: 0 })
  })

  it('accepts the opportunity\'s own campaign when it is given too', async () => {
    const campaignId = await insertCampaign(db)
    const opportunity = await createOpportunity({ name: 'Consistent', campaignId })
    const res = await createOrder({ amount: '1.00', opportunityId: opportunity.id, campaignId })
    expect(res.statusCode).toBe(201)
  })

  it('names a negative, a malformed and a missing amount, writing nothing', async () => {
    const campaignId = await insertCampaign(db)
    const before = await orderCount()
    for (const [amount, message] of [['-5.00', 'must not be negative'], ['12.345', 'must be an amount with at most two decimals, e.g. "80000.00"'], ['1,000', 'must be an amount with at most two decimals, e.g. "80000.00"'], [-1, 'must not be negative']] as const) {
      const res = await createOrder({ amount, campaignId })
      expect(res.statusCode).toBe(400)
      expect(res.json().details).toEqual([{ field: 'amount', message }])
    }
    const missing = await createOrder({ campaignId })
    expect(missing.statusCode).toBe(400)
    expect(missing.json().details[0].field).toBe('amount')
    expect(await orderCount()).toBe(before)
    expect(await revenueOf(campaignId)).toEqual({ revenue: '0.00', orders: 0 })
  })

  it('names an unknown campaign, account or opportunity with invalid_reference', async () => {
    const before = await orderCount()
    for (const field of ['campaignId', 'accountId', 'opportunityId']) {
      const res = await createOrder({ amount: '10.00', [field]: UNKNOWN_ID })
      expect(res.statusCode).toBe(400)
      expect(res.json()).toMatchObject({ code: 'invalid_reference', details: [{ field }] })
    }
    expect(await orderCount()).toBe(before)
  })

  it('answers a taken number with 409 naming number', async () => {
    expect((await createOrder({ amount: '1.00', number: 'PO-42' })).statusCode).toBe(201)
    const res = await createOrder({ amount: '2.00', number: 'PO-42' })
    expect(res.statusCode).toBe(409)
    expect(res.json()).toMatchObject({ code: 'conflict', details: [{ field: 'number' }] })
  })

  it('lets sales enter orders but not marketing', async () => {
    const res = await createOrder({ amount: '1.00' }, marketing)
    expect(res.statusCode).toBe(403)
  })
})

describe('PATCH /api/v1/orders/:id', () => {
  it('moves the difference when the amount changes', async () => {
    const campaignId = await insertCampaign(db)
    await createOrder({ amount: '300.00', campaignId })
    const order = (await createOrder({ amount: '1000.10', campaignId })).json()
    const res = await patchOrder(order.id, { amount: '2500.55' })
    expect(res.statusCode).toBe(200)
    expect(res.json().amount).toBe('2500.55')
    expect(await revenueOf(campaignId)).toEqual({ revenue: '2800.55', orders: 2 })
  })

  it('moves the revenue to another campaign for an order without an opportunity', async () => {
    const from = await insertCampaign(db)
    const to = await insertCampaign(db)
    const order = (await createOrder({ amount: '700.70', campaignId: from })).json()
    const res = await patchOrder(order.id, { campaignId: to, amount: '800.80' })
    expect(res.statusCode).toBe(200)
    expect(await revenueOf(from)).toEqual({ revenue: '0.00', orders: 0 })
    expect(await revenueOf(to)).toEqual({ revenue: '800.80', orders: 1 })
    await patchOrder(order.id, { campaignId: null })
    expect(await revenueOf(to)).toEqual({ revenue: '0.00', orders: 0 })
  })

  it('refuses a campaign change on an order of an opportunity, leaving the revenue', async () => {
    const campaignId = await insertCampaign(db)
    const other = await insertCampaign(db)
    const opportunity = await createOpportunity({ name: 'Pinned', campaignId })
    const order = (await createOrder({ amount: '90.00', opportunityId: opportunity.id })).json()
    const res = await patchOrder(order.id, { campaignId: other })
    expect(res.statusCode).toBe(400)
    expect(res.json().details[0].field).toBe('campaignId')
    expect(await revenueOf(campaignId)).toEqual({ revenue: '90.00', orders: 1 })
    expect(await revenueOf(other)).toEqual({ revenue: '0.00', orders: 0 })
  })

  it('changes nothing on a cancelled order\'s campaign revenue', async () => {
    const campaignId = await insertCampaign(db)
    const order = (await createOrder({ amount: '50.00', campaignId })).json()
    await cancelOrder(order.id)
    expect((await patchOrder(order.id, { amount: '75.00' })).json()).toMatchObject({ amount: '75.00', status: 'cancelled' })
    expect(await revenueOf(campaignId)).toEqual({ revenue: '0.00', orders: 0 })
  })

  it('answers an unknown order with 404', async () => {
    expect((await patchOrder(UNKNOWN_ID, { amount: '1.00' })).statusCode).toBe(404)
  })
})

describe('POST /api/v1/orders/:id/cancel', () => {
  it('takes the amount out of the campaign revenue, and refuses a second cancel with 409', async () => {
    const campaignId = await insertCampaign(db)
    await createOrder({ amount: '1999.99', campaignId })
    const order = (await createOrder({ amount: '333.33', campaignId })).json()
    const res = await cancelOrder(order.id)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ status: 'cancelled' })
    expect(res.json().cancelledAt).not.toBeNull()
    expect(await revenueOf(campaignId)).toEqual({ revenue: '1999.99', orders: 1 })

    const again = await cancelOrder(order.id)
    expect(again.statusCode).toBe(409)
    expect(again.json().code).toBe('invalid_state')
    expect(await revenueOf(campaignId)).toEqual({ revenue: '1999.99', orders: 1 })
  })
})

describe('DELETE /api/v1/orders/:id', () => {
  it('takes a confirmed order out of the revenue and leaves it alone for a cancelled one', async () => {
    const campaignId = await insertCampaign(db)
    const kept = (await createOrder({ amount: '100.00', campaignId })).json()
    const confirmed = (await createOrder({ amount: '250.25', campaignId })).json()
    const cancelled = (await createOrder({ amount: '40.00', campaignId })).json()
    await cancelOrder(cancelled.id)
    expect(await revenueOf(campaignId)).toEqual({ revenue: '350.25', orders: 2 })

    const res = await app.inject({ method: 'DELETE', url: `/api/v1/orders/${confirmed.id}`, headers: sales })
    expect(res.statusCode).toBe(204)
    expect(await revenueOf(campaignId)).toEqual({ revenue: '100.00', orders: 1 })
    await app.inject({ method: 'DELETE', url: `/api/v1/orders/${cancelled.id}`, headers: sales })
    expect(await revenueOf(campaignId)).toEqual({ revenue: '100.00', orders: 1 })
    expect((await app.inject({ url: `/api/v1/orders/${confirmed.id}`, headers: sales })).statusCode).toBe(404)
    expect((await app.inject({ url: `/api/v1/orders/${kept.id}`, headers: sales })).json().amount).toBe('100.00')
  })
})

describe('GET /api/v1/orders', () => {
  it('filters by campaign and status, sorts by amount and pages with a total', async () => {
    const campaignId = await insertCampaign(db)
    for (const amount of ['30.00', '10.00', '20.00', '40.00']) await createOrder({ amount, campaignId })
    const cancelled = (await createOrder({ amount: '99.00', campaignId })).json()
    await cancelOrder(cancelled.id)

    const page = await app.inject({ url: `/api/v1/orders?campaignId=${campaignId}&status=confirmed&sort=amount&limit=2&offset=1`, headers: sales })
    expect(page.statusCode).toBe(200)
    expect(page.json()).toMatchObject({ total: 4, limit: 2, offset: 1 })
    expect(page.json().items.map((o: { amount: string }) => o.amount)).toEqual(['20.00', '30.00'])

    const desc = await app.inject({ url: `/api/v1/orders?campaignId=${campaignId}&sort=amount&order=desc&limit=1`, headers: sales })
    expect(desc.json()).toMatchObject({ total: 5, items: [{ amount: '99.00', status: 'cancelled' }] })
  })

  it('finds an order by its number', async () => {
    await createOrder({ amount: '1.00', number: 'FIND-ME-7' })
    const res = await app.inject({ url: '/api/v1/orders?q=find-me', headers: admin })
    expect(res.json().items.map((o: { number: string }) => o.number)).toEqual(['FIND-ME-7'])
  })
})

describe('generated order numbers', () => {
  it('keep growing past SO-999999 instead of repeating earlier numbers', async () => {
    await sql`SELECT setval('order_number_seq', 999998)`.execute(db)
    const numbers = []
    for (let i = 0; i < 3; i++) numbers.push((await createOrder({ amount: '1.00' })).json().number)
    expect(numbers).toEqual(['SO-999999', 'SO-1000000', 'SO-1000001'])
  })
})
