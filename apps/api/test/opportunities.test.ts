import { formatMoney } from '@yardstick/roi-core'
import { describe, expect, it } from 'vitest'
import { systemContext } from '../src/lib/context.ts'
import { createOpportunityInTransaction } from '../src/modules/opportunities/opportunities.service.ts'
import { campaignRevenue, verifyRollups } from '../src/modules/rollups/rollups.service.ts'
import { insertAccount, insertCampaign, UNKNOWN_ID } from './crm-fixtures.ts'
import { bearer, buildTestApp } from './helper.ts'

const { app, db, tokenFor } = await buildTestApp()
const sales = bearer(await tokenFor('sales'))
const viewer = bearer(await tokenFor('viewer'))
const salesId = (await app.inject({ url: '/api/v1/me', headers: sales })).json().id as string

const post = (url: string, payload?: Record<string, unknown>) =>
  app.inject({ method: 'POST', url: `/api/v1${url}`, headers: sales, ...(payload ? { payload } : {}) })
const patch = (id: string, payload: Record<string, unknown>) =>
  app.inject({ method: 'PATCH', url: `/api/v1/opportunities/${id}`, headers: sales, payload })
const get = (id: string) => app.inject({ url: `/api/v1/opportunities/${id}`, headers: viewer })

async function createOpportunity(payload: Record<string, unknown>) {
  const res = await post('/opportunities', payload)
  expect(res.statusCode).toBe(201)
  return res.json()
}

async function revenueOf(campaignId: string) {
  const totals = (await campaignRevenue(db, [campaignId])).get(campaignId)!
  return { revenue: formatMoney(totals.revenueCents), orders: totals.orderCount }
}

const opportunityCount = async () =>
  Number((await db.selectFrom('opportunities').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
const ordersOf = (opportunityId: string) =>
  db.selectFrom('orders').select(['amount', 'campaign_id', 'status']).where('opportunity_id', '=', opportunityId).orderBy('amount').execute()

describe('POST /api/v1/opportunities', () => {
  it('creates an open opportunity owned by the caller with its stage\'s default probability', async () => {
    const campaignId = await insertCampaign(db)
    const accountId = await insertAccount(db)
    const body = await createOpportunity({ name: ' Renewal 2026 ', amount: 40000, campaignId, accountId, expectedCloseDate: '2026-06-30' })
    expect(body).toMatchObject({
      name: 'Renewal 2026', amount: '40000.00', stage: 'prospecting', probability: 10, campaignId, accountId,
      expectedCloseDate: '2026-06-30', closedAt: null, lostReason: null, ownerId: salesId,
    })
    expect((await createOpportunity({ name: 'Proposal', stage: 'proposal' })).probability).toBe(50)
    expect((await createOpportunity({ name: 'Hunch', stage: 'proposal', probability: 65 })).probability).toBe(65)
  })

  it('refuses a closed stage, a blank name, a bad amount and an unknown campaign, writing nothing', async () => {
    const before = await opportunityCount()
    const won = await post('/opportunities', { name: 'Shortcut', stage: 'won' })
    expect(won.statusCode).toBe(400)
    expect(won.json().details[0].field).toBe('stage')
    expect(won.json().message).toContain('/win')
    expect((await post('/opportunities', { name: '  ' })).json().details).toEqual([{ field: 'name', message: 'must not be blank' }])
    expect((await post('/opportunities', { name: 'Neg', amount: '-1' })).json().details).toEqual([{ field: 'amount', message: 'must not be negative' }])
    expect((await post('/opportunities', { name: 'Bad', amount: 'lots' })).json().details[0].field).toBe('amount')
    const unknown = await post('/opportunities', { name: 'Ghost', campaignId: UNKNOWN_ID })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json()).toMatchObject({ code: 'invalid_reference', details: [{ field: 'campaignId' }] })
    expect((await post('/opportunities', { name: 'Odds', probability: 101 })).statusCode).toBe(400)
    expect(await opportunityCount()).toBe(before)
  })
})

describe('createOpportunityInTransaction', () => {
  it('creates a prospecting opportunity inside the caller\'s transaction, rolled back with it', async () => {
    const campaignId = await insertCampaign(db)
    const input = {
      name: 'From lead', amountCents: 4000000n, accountId: null, contactId: null, leadId: null,
      campaignId, expectedCloseDate: null, ownerId: null,
    }
    const { id } = await db.transaction().execute((trx) => createOpportunityInTransaction(trx, systemContext('test'), input))
    expect((await get(id)).json()).toMatchObject({ name: 'From lead', amount: '40000.00', stage: 'prospecting', probability: 10, campaignId })

    const before = await opportunityCount()
    await expect(db.transaction().execute(async (trx) => {
      await createOpportunityInTransaction(trx, systemContext('test'), input)
      throw new Error('conversion failed later')
    })).rejects.toThrow('conversion failed later')
    expect(await opportunityCount()).toBe(before)
  })
})

describe('PATCH /api/v1/opportunities/:id', () => {
  it('gives a new stage its default probability unless one is sent', async () => {
    const opportunity = await createOpportunity({ name: 'Moving' })
    expect((await patch(opportunity.id, { stage: 'qualification' })).json()).toMatchObject({ stage: 'qualification', probability: 25 })
    expect((await patch(opportunity.id, { stage: 'negotiation', probability: 80 })).json()).toMatchObject({ stage: 'negotiation', probability: 80 })
    expect((await patch(opportunity.id, { amount: '1234.5' })).json()).toMatchObject({ stage: 'negotiation', probability: 80, amount: '1234.50' })
  })

  it('points won and lost to the actions, changing nothing', async () => {
    const opportunity = await createOpportunity({ name: 'No shortcut', stage: 'proposal' })
    for (const stage of ['won', 'lost']) {
      const res = await patch(opportunity.id, { stage })
      expect(res.statusCode).toBe(400)
      expect(res.json().details[0]).toMatchObject({ field: 'stage' })
      expect(res.json().message).toContain(stage === 'won' ? '/win' : '/lose')
    }
    expect((await get(opportunity.id)).json()).toMatchObject({ stage: 'proposal', probability: 50 })
  })

  it('moves the revenue of the opportunity\'s confirmed orders to its new campaign exactly', async () => {
    const from = await insertCampaign(db)
    const to = await insertCampaign(db)
    await post('/orders', { amount: '500.00', campaignId: from })
    const opportunity = await createOpportunity({ name: 'Re-linked', amount: '1000.01', campaignId: from })
    expect((await post(`/opportunities/${opportunity.id}/win`)).statusCode).toBe(201)
    await post('/orders', { amount: '250.50', opportunityId: opportunity.id })
    const cancelled = (await post('/orders', { amount: '77.00', opportunityId: opportunity.id })).json()
    await post(`/orders/${cancelled.id}/cancel`)
    expect(await revenueOf(from)).toEqual({ revenue: '1750.51', orders: 3 })

    const res = await patch(opportunity.id, { campaignId: to })
    expect(res.statusCode).toBe(200)
    expect(await revenueOf(from)).toEqual({ revenue: '500.00', orders: 1 })
    expect(await revenueOf(to)).toEqual({ revenue: '1250.51', orders: 2 })
    expect(await ordersOf(opportunity.id)).toEqual([
      { amount: '77.00', campaign_id: to, status: 'cancelled' },
      { amount: '250.50', campaign_id: to, status: 'confirmed' },
      { amount: '1000.01', campaign_id: to, status: 'confirmed' },
    ])

    await patch(opportunity.id, { campaignId: null })
    expect(await revenueOf(to)).toEqual({ revenue: '0.00', orders: 0 })
    expect((await verifyRollups(db)).ok).toBe(true)
  })

  it('keeps a won opportunity won', async () => {
    const opportunity = await createOpportunity({ name: 'Done deal', amount: 10 })
    await post(`/opportunities/${opportunity.id}/win`)
    const res = await patch(opportunity.id, { stage: 'proposal' })
    expect(res.statusCode).toBe(409)
    expect(res.json().code).toBe('invalid_state')
  })

  it('reopens a lost opportunity moved back to an open stage', async () => {
    const opportunity = await createOpportunity({ name: 'Second chance' })
    await post(`/opportunities/${opportunity.id}/lose`, { reason: 'Budget frozen' })
    expect((await patch(opportunity.id, { stage: 'qualification' })).json()).toMatchObject({
      stage: 'qualification', probability: 25, closedAt: null, lostReason: null,
    })
  })
})

describe('POST /api/v1/opportunities/:id/win', () => {
  it('wins the opportunity and returns its order, credited to its campaign and account', async () => {
    const campaignId = await insertCampaign(db)
    const accountId = await insertAccount(db)
    const opportunity = await createOpportunity({ name: 'Big win', amount: '40000', campaignId, accountId, stage: 'negotiation' })
    const res = await post(`/opportunities/${opportunity.id}/win`, {})
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({ opportunityId: opportunity.id, campaignId, accountId, amount: '40000.00', status: 'confirmed' })
    const won = (await get(opportunity.id)).json()
    expect(won).toMatchObject({ stage: 'won', probability: 100 })
    expect(won.closedAt).not.toBeNull()
    expect(await revenueOf(campaignId)).toEqual({ revenue: '40000.00', orders: 1 })
  })

  it('takes another order amount and date when given', async () => {
    const campaignId = await insertCampaign(db)
    const opportunity = await createOpportunity({ name: 'Discounted', amount: '40000', campaignId })
    const res = await post(`/opportunities/${opportunity.id}/win`, { orderAmount: '36000.50', orderDate: '2026-04-15' })
    expect(res.json()).toMatchObject({ amount: '36000.50', orderDate: '2026-04-15' })
    expect(await revenueOf(campaignId)).toEqual({ revenue: '36000.50', orders: 1 })
  })

  it('refuses to win a won or a lost opportunity with 409, writing no order', async () => {
    const campaignId = await insertCampaign(db)
    const won = await createOpportunity({ name: 'Twice', amount: 100, campaignId })
    await post(`/opportunities/${won.id}/win`)
    const again = await post(`/opportunities/${won.id}/win`)
    expect(again.statusCode).toBe(409)
    expect(again.json()).toMatchObject({ code: 'invalid_state', details: [{ field: 'stage' }] })

    const lost = await createOpportunity({ name: 'Gone', amount: 100, campaignId })
    await post(`/opportunities/${lost.id}/lose`, { reason: 'Chose a competitor' })
    const winLost = await post(`/opportunities/${lost.id}/win`)
    expect(winLost.statusCode).toBe(409)
    expect(winLost.json().message).toContain('is lost')
    expect(await ordersOf(lost.id)).toEqual([])
    expect((await get(lost.id)).json().stage).toBe('lost')
    expect(await revenueOf(campaignId)).toEqual({ revenue: '100.00', orders: 1 })
  })

  it('names a malformed order amount and leaves the opportunity open', async () => {
    const opportunity = await createOpportunity({ name: 'Typo', amount: 100 })
    const res = await post(`/opportunities/${opportunity.id}/win`, { orderAmount: '12.345' })
    expect(res.statusCode).toBe(400)
    expect(res.json().details[0].field).toBe('orderAmount')
    expect((await get(opportunity.id)).json().stage).toBe('prospecting')
  })

  it('answers an unknown opportunity with 404', async () => {
    expect((await post(`/opportunities/${UNKNOWN_ID}/win`)).statusCode).toBe(404)
  })
})

describe('POST /api/v1/opportunities/:id/lose', () => {
  it('sets the stage lost with probability 0 and the reason', async () => {
    const opportunity = await createOpportunity({ name: 'Lost cause', stage: 'proposal' })
    const res = await post(`/opportunities/${opportunity.id}/lose`, { reason: 'Price too high' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ stage: 'lost', probability: 0, lostReason: 'Price too high' })
    expect(res.json().closedAt).not.toBeNull()
  })

  it('needs a reason and refuses to lose a won opportunity', async () => {
    const opportunity = await createOpportunity({ name: 'Safe' })
    expect((await post(`/opportunities/${opportunity.id}/lose`, {})).json().details[0].field).toBe('reason')
    await post(`/opportunities/${opportunity.id}/win`)
    const res = await post(`/opportunities/${opportunity.id}/lose`, { reason: 'Changed our mind' })
    expect(res.statusCode).toBe(409)
    expect(res.json().code).toBe('invalid_state')
    expect((await get(opportunity.id)).json()).toMatchObject({ stage: 'won', lostReason: null })
  })
})

describe('GET /api/v1/opportunities', () => {
  it('filters by stage, campaign, account, owner and name, sorts and pages with a total', async () => {
    const campaignId = await insertCampaign(db)
    const accountId = await insertAccount(db)
    for (const [name, amount, stage] of [['Alpha', 300, 'proposal'], ['Beta', 100, 'proposal'], ['Gamma', 200, 'proposal'], ['Delta', 900, 'qualification']] as const) {
      await createOpportunity({ name: `Filter ${name}`, amount, stage, campaignId, accountId })
    }
    const res = await app.inject({ url: `/api/v1/opportunities?campaignId=${campaignId}&stage=proposal&sort=amount&order=desc&limit=2`, headers: viewer })
    expect(res.json()).toMatchObject({ total: 3, limit: 2, offset: 0 })
    expect(res.json().items.map((o: { name: string }) => o.name)).toEqual(['Filter Alpha', 'Filter Gamma'])

    const byAccount = await app.inject({ url: `/api/v1/opportunities?accountId=${accountId}&ownerId=${salesId}&q=delta`, headers: viewer })
    expect(byAccount.json().items.map((o: { name: string }) => o.name)).toEqual(['Filter Delta'])
  })
})

describe('DELETE /api/v1/opportunities/:id', () => {
  it('deletes the opportunity and keeps its orders and their revenue', async () => {
    const campaignId = await insertCampaign(db)
    const opportunity = await createOpportunity({ name: 'Short-lived', amount: 80, campaignId })
    const order = (await post(`/opportunities/${opportunity.id}/win`)).json()
    const res = await app.inject({ method: 'DELETE', url: `/api/v1/opportunities/${opportunity.id}`, headers: sales })
    expect(res.statusCode).toBe(204)
    expect((await get(opportunity.id)).statusCode).toBe(404)
    expect((await app.inject({ url: `/api/v1/orders/${order.id}`, headers: sales })).json()).toMatchObject({ opportunityId: null, campaignId })
    expect(await revenueOf(campaignId)).toEqual({ revenue: '80.00', orders: 1 })
  })
})
