import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { bearer, buildTestApp } from './helper.ts'

const { app, db, tokenFor } = await buildTestApp()
const marketing = bearer(await tokenFor('marketing'))
const sales = bearer(await tokenFor('sales'))
const viewer = bearer(await tokenFor('viewer'))
const userId = async (headers: Record<string, string>) => (await app.inject({ url: '/api/v1/me', headers })).json().id as string
const marketingId = await userId(marketing)
const salesId = await userId(sales)

const campaign = (await app.inject({
  method: 'POST', url: '/api/v1/campaigns', headers: marketing,
  payload: { name: 'Lead source', code: 'LEADS-1', type: 'webinar', actualCost: '1000', expectedRevenue: '50000' },
})).json()
const otherCampaign = (await app.inject({ method: 'POST', url: '/api/v1/campaigns', headers: marketing, payload: { name: 'Other', code: 'LEADS-2', type: 'email' } })).json()

const create = async (payload: Record<string, unknown>, headers = marketing) =>
  app.inject({ method: 'POST', url: '/api/v1/leads', headers, payload })
const newLead = async (payload: Record<string, unknown>) => {
  const res = await create({ campaignId: campaign.id, ...payload })
  expect(res.statusCode).toBe(201)
  return res.json()
}
const patch = (id: string, payload: Record<string, unknown>, headers = sales) =>
  app.inject({ method: 'PATCH', url: `/api/v1/leads/${id}`, headers, payload })
const convert = (id: string, payload: Record<string, unknown>, headers = sales) =>
  app.inject({ method: 'POST', url: `/api/v1/leads/${id}/convert`, headers, payload })
const count = async (table: 'accounts' | 'contacts' | 'opportunities') =>
  Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
const roi = async (id = campaign.id) => (await app.inject({ url: `/api/v1/campaigns/${id}/roi`, headers: viewer })).json()

describe('POST /api/v1/leads', () => {
  it('lets marketing record a lead with its campaign as the source', async () => {
    const res = await create({ name: 'Wang Fang', company: 'Fang Tech', email: 'wf@fang.example', campaignId: campaign.id, industry: 'IT' })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({
      name: 'Wang Fang', company: 'Fang Tech', campaignId: campaign.id, status: 'new', ownerId: marketingId,
      disqualifiedReason: null, convertedAt: null, convertedOpportunityId: null,
    })
  })

  it('names an unknown campaignId and writes nothing', async () => {
    const res = await create({ name: 'Nobody', campaignId: '00000000-0000-4000-8000-000000000000' })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'invalid_reference', details: [{ field: 'campaignId' }] })
    expect((await app.inject({ url: '/api/v1/leads?q=Nobody', headers: viewer })).json().total).toBe(0)
  })

  it('needs a reason for a disqualified lead and refuses status converted', async () => {
    const noReason = await create({ name: 'DQ', status: 'disqualified' })
    expect(noReason.statusCode).toBe(400)
    expect(noReason.json().details).toEqual([{ field: 'disqualifiedReason', message: 'is required when status is disqualified' }])
    const withReason = await create({ name: 'DQ', status: 'disqualified', disqualifiedReason: 'Student' })
    expect(withReason.json()).toMatchObject({ status: 'disqualified', disqualifiedReason: 'Student' })
    const converted = await create({ name: 'Cheat', status: 'converted' })
    expect(converted.statusCode).toBe(400)
    expect(converted.json().details[0].field).toBe('status')
  })

  it('is forbidden to viewers', async () => {
    expect((await create({ name: 'No' }, viewer)).statusCode).toBe(403)
  })
})

describe('PATCH /api/v1/leads/:id', () => {
  it('moves a lead through its statuses, dropping the reason once requalified', async () => {
    const lead = await newLead({ name: 'Mover' })
    expect((await patch(lead.id, { status: 'contacted' })).json().status).toBe('contacted')
    expect((await patch(lead.id, { status: 'disqualified' })).statusCode).toBe(400)
    expect((await patch(lead.id, { status: 'disqualified', disqualifiedReason: 'No budget' })).json()).toMatchObject({ status: 'disqualified', disqualifiedReason: 'No budget' })
    expect((await patch(lead.id, { status: 'qualified' })).json()).toMatchObject({ status: 'qualified', disqualifiedReason: null })
  })

  it('refuses to set converted by editing, naming status', async () => {
    const lead = await newLead({ name: 'Shortcut' })
    const res = await patch(lead.id, { status: 'converted' })
    expect(res.statusCode).toBe(400)
    expect(res.json().details[0]).toMatchObject({ field: 'status' })
  })
})

describe('GET /api/v1/leads', () => {
  it('filters by campaign and status, searches name, company and email, sorts and pages', async () => {
    for (const name of ['Filter Carol', 'filter alice', 'Filter Bob']) await newLead({ name, company: 'FilterCo', campaignId: otherCampaign.id })
    await patch((await newLead({ name: 'Filter Dave', campaignId: otherCampaign.id })).id, { status: 'qualified' })
    const all = (await app.inject({ url: `/api/v1/leads?campaignId=${otherCampaign.id}&sort=name&limit=2`, headers: viewer })).json()
    expect(all.total).toBe(4)
    expect(all.items.map((l: { name: string }) => l.name)).toEqual(['filter alice', 'Filter Bob'])
    const rest = (await app.inject({ url: `/api/v1/leads?campaignId=${otherCampaign.id}&sort=name&limit=2&offset=2`, headers: viewer })).json()
    expect(rest.items.map((l: { name: string }) => l.name)).toEqual(['Filter Carol', 'Filter Dave'])
    const qualified = (await app.inject({ url: `/api/v1/leads?campaignId=${otherCampaign.id}&status=qualified`, headers: viewer })).json()
    expect(qualified.items.map((l: { name: string }) => l.name)).toEqual(['Filter Dave'])
    const byCompany = (await app.inject({ url: '/api/v1/leads?q=filterco&sort=name&order=desc', headers: viewer })).json()
    expect(byCompany.items.map((l: { name: string }) => l.name)).toEqual(['Filter Carol', 'Filter Bob', 'filter alice'])
  })
})

describe('POST /api/v1/leads/bulk-assign', () => {
  it('hands leads to a salesperson in one go', async () => {
    const a = await newLead({ name: 'Bulk A' })
    const b = await newLead({ name: 'Bulk B' })
    const res = await app.inject({ method: 'POST', url: '/api/v1/leads/bulk-assign', headers: marketing, payload: { leadIds: [a.id, b.id], ownerId: salesId } })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ updated: 2 })
    const mine = (await app.inject({ url: `/api/v1/leads?ownerId=${salesId}&q=Bulk`, headers: sales })).json()
    expect(mine.total).toBe(2)
  })

  it('changes nothing when one id is unknown, naming leadIds', async () => {
    const a = await newLead({ name: 'Bulk C' })
    const res = await app.inject({
      method: 'POST', url: '/api/v1/leads/bulk-assign', headers: marketing,
      payload: { leadIds: [a.id, '00000000-0000-4000-8000-000000000000'], ownerId: salesId },
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().details[0].field).toBe('leadIds')
    expect((await app.inject({ url: `/api/v1/leads/${a.id}`, headers: sales })).json().ownerId).toBe(marketingId)
  })
})

describe('POST /api/v1/leads/:id/convert', () => {
  it('creates an account, a contact and an opportunity sourced from the lead\'s campaign', async () => {
    const lead = await newLead({ name: 'Zhao Lei', company: 'Zhao Industrial', email: 'zl@zhao.example', phone: '+86 10 1234', title: 'CIO', industry: 'Manufacturing', region: 'North' })
    const res = await convert(lead.id, { opportunity: { name: 'Zhao ERP', amount: '80000', expectedCloseDate: '2030-06-30' } })
    expect(res.statusCode).toBe(200)
    const { accountId, contactId, opportunityId } = res.json()
    expect(opportunityId).toEqual(expect.any(String))

    const account = (await app.inject({ url: `/api/v1/accounts/${accountId}`, headers: sales })).json()
    expect(account).toMatchObject({ name: 'Zhao Industrial', industry: 'Manufacturing', region: 'North', ownerId: salesId, contactCount: 1, opportunityCount: 1 })
    const contact = (await app.inject({ url: `/api/v1/contacts/${contactId}`, headers: sales })).json()
    expect(contact).toMatchObject({ name: 'Zhao Lei', email: 'zl@zhao.example', phone: '+86 10 1234', title: 'CIO', accountId })
    const opportunity = await db.selectFrom('opportunities').selectAll().where('id', '=', opportunityId).executeTakeFirstOrThrow()
    expect(opportunity).toMatchObject({
      name: 'Zhao ERP', amount: '80000.00', stage: 'prospecting', probability: 10, campaign_id: campaign.id,
      lead_id: lead.id, account_id: accountId, contact_id: contactId, owner_id: salesId, expected_close_date: '2030-06-30',
    })
    const converted = (await app.inject({ url: `/api/v1/leads/${lead.id}`, headers: sales })).json()
    expect(converted).toMatchObject({ status: 'converted', convertedAccountId: accountId, convertedContactId: contactId, convertedOpportunityId: opportunityId })
    expect(converted.convertedAt).toEqual(expect.any(String))

    const admin = bearer(await tokenFor('admin'))
    const audit = (await app.inject({ url: `/api/v1/audit?entityId=${lead.id}`, headers: admin })).json()
    expect(audit.items[0]).toMatchObject({ entity: 'lead', action: 'convert' })
  })

  it('refuses to convert a lead twice, with 409 invalid_state, writing nothing', async () => {
    const lead = await newLead({ name: 'Twice', company: 'Twice Co' })
    expect((await convert(lead.id, {})).statusCode).toBe(200)
    const accounts = await count('accounts')
    const again = await convert(lead.id, { opportunity: { name: 'Again', amount: 1 } })
    expect(again.statusCode).toBe(409)
    expect(again.json().code).toBe('invalid_state')
    expect(await count('accounts')).toBe(accounts)
  })

  it('refuses to convert a disqualified lead', async () => {
    const lead = await newLead({ name: 'Out', status: 'disqualified', disqualifiedReason: 'Competitor' })
    const res = await convert(lead.id, {})
    expect(res.statusCode).toBe(409)
    expect(res.json().code).toBe('invalid_state')
  })

  it('reuses an existing account and contact', async () => {
    const account = (await app.inject({ method: 'POST', url: '/api/v1/accounts', headers: sales, payload: { name: 'Existing Co' } })).json()
    const contact = (await app.inject({ method: 'POST', url: '/api/v1/contacts', headers: sales, payload: { name: 'Existing Person', accountId: account.id } })).json()
    const lead = await newLead({ name: 'Existing Person', company: 'Existing Co' })
    const [accounts, contacts] = [await count('accounts'), await count('contacts')]
    const res = await convert(lead.id, { accountId: account.id, contactId: contact.id })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ accountId: account.id, contactId: contact.id, opportunityId: null })
    expect([await count('accounts'), await count('contacts')]).toEqual([accounts, contacts])
  })

  it('reuses an account and creates the contact on it, with the account name defaulting to the lead name', async () => {
    const account = (await app.inject({ method: 'POST', url: '/api/v1/accounts', headers: sales, payload: { name: 'Host Co' } })).json()
    const lead = await newLead({ name: 'Solo Trader' })
    const reused = (await convert(lead.id, { accountId: account.id })).json()
    expect(reused.accountId).toBe(account.id)
    expect((await app.inject({ url: `/api/v1/contacts/${reused.contactId}`, headers: sales })).json()).toMatchObject({ name: 'Solo Trader', accountId: account.id })

    const noCompany = await newLead({ name: 'Freelancer Qian' })
    const created = (await convert(noCompany.id, { contact: { title: 'Owner' } })).json()
    expect((await app.inject({ url: `/api/v1/accounts/${created.accountId}`, headers: sales })).json().name).toBe('Freelancer Qian')
    expect((await app.inject({ url: `/api/v1/contacts/${created.contactId}`, headers: sales })).json().title).toBe('Owner')
  })

  it('names bad input and writes nothing', async () => {
    const lead = await newLead({ name: 'Careful', company: 'Careful Co' })
    const other = (await app.inject({ method: 'POST', url: '/api/v1/accounts', headers: sales, payload: { name: 'Elsewhere' } })).json()
    const elsewhere = (await app.inject({ method: 'POST', url: '/api/v1/contacts', headers: sales, payload: { name: 'Elsewhere Person', accountId: other.id } })).json()
    const before = [await count('accounts'), await count('contacts'), await count('opportunities')]
    const cases: [Record<string, unknown>, string, number][] = [
      [{ opportunity: { name: 'Bad', amount: '-5' } }, 'opportunity.amount', 400],
      [{ opportunity: { name: 'Bad', amount: '1.001' } }, 'opportunity.amount', 400],
      [{ accountId: '00000000-0000-4000-8000-000000000000' }, 'accountId', 400],
      [{ accountId: other.id, account: { name: 'Both' } }, 'account', 400],
      [{ contactId: elsewhere.id }, 'contactId', 400],
      [{ opportunity: { amount: 5 } }, 'opportunity.name', 400],
    ]
    for (const [payload, field, status] of cases) {
      const res = await convert(lead.id, payload)
      expect(res.statusCode, field).toBe(status)
      expect(res.json().details?.[0]?.field, field).toBe(field)
    }
    expect([await count('accounts'), await count('contacts'), await count('opportunities')]).toEqual(before)
    expect((await app.inject({ url: `/api/v1/leads/${lead.id}`, headers: sales })).json().status).toBe('new')
  })

  it('is a sales action: marketing and viewers may not convert', async () => {
    const lead = await newLead({ name: 'Not mine' })
    const res = await convert(lead.id, {}, marketing)
    expect(res.statusCode).toBe(403)
    expect((await convert(lead.id, {}, viewer)).statusCode).toBe(403)
  })
})

describe('DELETE /api/v1/leads/:id', () => {
  it('deletes a lead, but not one an opportunity came from', async () => {
    const plain = await newLead({ name: 'Delete me' })
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/leads/${plain.id}`, headers: sales })).statusCode).toBe(204)
    const source = await newLead({ name: 'Keep me', company: 'Keep Co' })
    await convert(source.id, { opportunity: { name: 'Keep deal', amount: 100 } })
    const res = await app.inject({ method: 'DELETE', url: `/api/v1/leads/${source.id}`, headers: sales })
    expect(res.statusCode).toBe(409)
  })
})

describe('GET /api/v1/campaigns/:id/roi after leads and conversions', () => {
  it('counts the campaign\'s leads by status, its opportunities and its pipeline', async () => {
    const fresh = (await app.inject({
      method: 'POST', url: '/api/v1/campaigns', headers: marketing,
      payload: { name: 'Funnel', code: 'FUNNEL', type: 'trade_show', actualCost: '3000', expectedRevenue: '100000' },
    })).json()
    const leads = []
    for (const name of ['F1', 'F2', 'F3', 'F4']) leads.push(await newLead({ name, campaignId: fresh.id, company: `${name} Co` }))
    await patch(leads[0].id, { status: 'disqualified', disqualifiedReason: 'Spam' })
    await patch(leads[1].id, { status: 'qualified' })
    expect((await convert(leads[2].id, { opportunity: { name: 'F3 deal', amount: '10000.05' } })).statusCode).toBe(200)
    expect((await convert(leads[3].id, { opportunity: { name: 'F4 deal', amount: '333' } })).statusCode).toBe(200)
    expect(await roi(fresh.id)).toEqual({
      cost: '3000.00', budget: '0.00', expectedRevenue: '100000.00', actualRevenue: '0.00', achievementPct: 0, roiPct: -100,
      leads: { total: 4, byStatus: { new: 0, contacted: 0, qualified: 1, disqualified: 1, converted: 2 }, valid: 3, validRate: 75 },
      // 10% of 10,000.05 is 1,000.005 → 1,000.01; 10% of 333 is 33.30.
      opportunities: { total: 2, open: 2, won: 0, lost: 0, pipelineAmount: '10333.05', weightedPipelineAmount: '1033.31', wonAmount: '0.00', winRate: null },
      orders: { count: 0, revenue: '0.00' },
      leadToOpportunityRate: 50, costPerLead: '750.00', costPerOpportunity: '1500.00', costPerWon: null, avgDaysLeadToWon: null,
      hierarchy: {
        campaigns: 1, cost: '3000.00', expectedRevenue: '100000.00', actualRevenue: '0.00', leads: 4, opportunities: 2,
        wonOpportunities: 0, wonAmount: '0.00', achievementPct: 0, roiPct: -100,
      },
    })
  })
})

describe('GET /api/v1/campaigns/:id/roi for won deals', () => {
  it('averages the days from the lead\'s creation, or the opportunity\'s without a lead, to the win', async () => {
    const won = (await app.inject({ method: 'POST', url: '/api/v1/campaigns', headers: marketing, payload: { name: 'Won', code: 'WON', type: 'conference', actualCost: '100' } })).json()
    const ids = []
    for (const name of ['W1', 'W2']) {
      const lead = await newLead({ name, campaignId: won.id, company: `${name} Co` })
      const { opportunityId } = (await convert(lead.id, { opportunity: { name: `${name} deal`, amount: '1000' } })).json()
      expect((await app.inject({ method: 'POST', url: `/api/v1/opportunities/${opportunityId}/win`, headers: sales, payload: {} })).statusCode).toBe(201)
      ids.push({ leadId: lead.id as string, opportunityId: opportunityId as string })
    }
    // Back-date the records: the first lead came 10 days before its win; the second deal
    // lost its lead and was opened 5 days 12 hours before its win: (10 + 5.5) / 2 = 7.75.
    const closedAt = new Date('2030-01-20T12:00:00Z')
    await db.updateTable('opportunities').set({ closed_at: closedAt }).where('campaign_id', '=', won.id).execute()
    await sql`UPDATE leads SET created_at = '2030-01-10T12:00:00Z' WHERE id = ${ids[0]!.leadId}`.execute(db)
    await db.updateTable('opportunities').set({ lead_id: null }).where('id', '=', ids[1]!.opportunityId).execute()
    await sql`UPDATE opportunities SET created_at = '2030-01-15T00:00:00Z' WHERE id = ${ids[1]!.opportunityId}`.execute(db)
    expect(await roi(won.id)).toMatchObject({
      opportunities: { total: 2, open: 0, won: 2, lost: 0, wonAmount: '2000.00', winRate: 100 },
      costPerWon: '50.00',
      avgDaysLeadToWon: 7.75,
    })
  })
})
