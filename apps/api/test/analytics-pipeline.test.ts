import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { buildApp } from '../src/app.ts'
import { UNKNOWN_ID } from './crm-fixtures.ts'
import { bearer, buildTestApp, TEST_JWT_SECRET, testConfig } from './helper.ts'

// The app under test runs with the default CRM_TIME_ZONE (Asia/Shanghai, UTC+8); a second app on
// the same database runs in UTC, to show that days are the company's days.
const { app, db, database, tokenFor } = await buildTestApp()
const utcApp = await buildApp({ config: testConfig({ CRM_TIME_ZONE: 'UTC' }), db: database.db, pool: database.pool, jwtSecret: TEST_JWT_SECRET })
await utcApp.ready()
afterAll(() => utcApp.close())

const viewer = bearer(await tokenFor('viewer'))
const sales = bearer(await tokenFor('sales'))

// ---------------------------------------------------------------------------------------------
// The fixture. Instants are UTC; Shanghai local time is UTC+8. The period of most tests is
// 2026-03-04 (Wednesday) … 2026-03-17 (Tuesday); Mondays are 03-02, 03-09 and 03-16.
// In Shanghai the period is [2026-03-03T16:00Z, 2026-03-17T16:00Z); in UTC [03-04T00:00Z, 03-18T00:00Z).
// ---------------------------------------------------------------------------------------------

async function insertUser(name: string): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    INSERT INTO users (email, name, role, password_hash) VALUES (${`${name.toLowerCase()}@pipeline.example`}, ${name}, 'sales', 'x')
    RETURNING id`.execute(db)
  return rows[0]!.id
}

async function insertCampaign(name: string, code: string, type: string, ownerId: string, parentId: string | null = null): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    INSERT INTO campaigns (name, code, type, owner_id, parent_id) VALUES (${name}, ${code}, ${type}, ${ownerId}, ${parentId})
    RETURNING id`.execute(db)
  return rows[0]!.id
}

interface LeadFixture {
  campaignId: string | null
  ownerId: string
  status: 'new' | 'contacted' | 'qualified' | 'disqualified' | 'converted'
  createdAt: string
  firstResponseAt?: string
}

async function insertLead(name: string, lead: LeadFixture): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    INSERT INTO leads (name, campaign_id, owner_id, status, disqualified_reason, created_at, updated_at, first_response_at)
    VALUES (${name}, ${lead.campaignId}, ${lead.ownerId}, ${lead.status}, ${lead.status === 'disqualified' ? 'No budget' : null},
            ${lead.createdAt}::timestamptz, ${lead.createdAt}::timestamptz, ${lead.firstResponseAt ?? null}::timestamptz)
    RETURNING id`.execute(db)
  return rows[0]!.id
}

interface OpportunityFixture {
  leadId: string | null
  campaignId: string | null
  ownerId: string
  stage: 'proposal' | 'won' | 'lost'
  createdAt: string
  closedAt: string | null
}

async function insertOpportunity(name: string, opportunity: OpportunityFixture): Promise<string> {
  const probability = { proposal: 50, won: 100, lost: 0 }[opportunity.stage]
  const { rows } = await sql<{ id: string }>`
    INSERT INTO opportunities (name, lead_id, campaign_id, owner_id, stage, probability, amount, created_at, updated_at, closed_at)
    VALUES (${name}, ${opportunity.leadId}, ${opportunity.campaignId}, ${opportunity.ownerId}, ${opportunity.stage}, ${probability}, '1000.00',
            ${opportunity.createdAt}::timestamptz, ${opportunity.createdAt}::timestamptz, ${opportunity.closedAt}::timestamptz)
    RETURNING id`.execute(db)
  const id = rows[0]!.id
  if (opportunity.leadId) {
    await sql`UPDATE leads SET converted_opportunity_id = ${id}, converted_at = ${opportunity.createdAt}::timestamptz WHERE id = ${opportunity.leadId}`.execute(db)
  }
  return id
}

async function insertOrder(order: { ownerId: string; campaignId: string | null; amount: string; date: string; status: 'confirmed' | 'cancelled' }) {
  await sql`
    INSERT INTO orders (owner_id, campaign_id, amount, order_date, status, cancelled_at)
    VALUES (${order.ownerId}, ${order.campaignId}, ${order.amount}, ${order.date}::date, ${order.status},
            ${order.status === 'cancelled' ? `${order.date}T12:00:00Z` : null}::timestamptz)`.execute(db)
}

// Aaron only has an order; Eve only has records outside the period.
const alice = await insertUser('Alice')
const bob = await insertUser('Bob')
const carol = await insertUser('Carol')
const aaron = await insertUser('Aaron')
const eve = await insertUser('Eve')

// CE is a sub-campaign of CW of another type; CC (content) has no leads at all.
const CW = await insertCampaign('Spring Webinar', 'PIPE-CW', 'webinar', alice)
const CE = await insertCampaign('Webinar Follow-up Mail', 'PIPE-CE', 'email', bob, CW)
const CT = await insertCampaign('Expo Shanghai', 'PIPE-CT', 'trade_show', bob)
const CP = await insertCampaign('Search Ads', 'PIPE-CP', 'paid_search', carol)
await insertCampaign('Idle Content', 'PIPE-CC', 'content', carol)

//                                  campaign  owner  status         created (UTC)           Shanghai local     first response
await insertLead('L1', { campaignId: CW, ownerId: alice, status: 'new', createdAt: '2026-03-04T01:00Z' }) // 03-04 09:00
await insertLead('L2', { campaignId: CW, ownerId: alice, status: 'contacted', createdAt: '2026-03-05T02:00Z', firstResponseAt: '2026-03-05T04:00Z' }) // 03-05, +2 h
await insertLead('L3', { campaignId: CW, ownerId: alice, status: 'qualified', createdAt: '2026-03-05T06:00Z', firstResponseAt: '2026-03-05T11:00Z' }) // 03-05, +5 h
const L4 = await insertLead('L4', { campaignId: CW, ownerId: alice, status: 'converted', createdAt: '2026-03-06T01:00Z', firstResponseAt: '2026-03-06T02:00Z' }) // 03-06, +1 h
const L5 = await insertLead('L5', { campaignId: CE, ownerId: bob, status: 'converted', createdAt: '2026-03-10T03:00Z', firstResponseAt: '2026-03-10T06:00Z' }) // 03-10, +3 h
await insertLead('L6', { campaignId: CE, ownerId: bob, status: 'disqualified', createdAt: '2026-03-11T00:00Z', firstResponseAt: '2026-03-11T04:00Z' }) // 03-11, +4 h
const L7 = await insertLead('L7', { campaignId: CT, ownerId: bob, status: 'converted', createdAt: '2026-03-12T02:00Z', firstResponseAt: '2026-03-12T08:00Z' }) // 03-12, +6 h
const L8 = await insertLead('L8', { campaignId: CT, ownerId: bob, status: 'converted', createdAt: '2026-03-16T02:00Z', firstResponseAt: '2026-03-16T12:00Z' }) // 03-16, +10 h
// Near midnight: L9 is 03-04 in Shanghai but 03-03 (outside) in UTC; L10 is 03-18 (outside) in
// Shanghai but 03-17 in UTC; L12 is 03-10 in Shanghai but 03-09 in UTC.
await insertLead('L9', { campaignId: CP, ownerId: carol, status: 'new', createdAt: '2026-03-03T17:00Z' }) // 03-04 01:00
await insertLead('L10', { campaignId: CP, ownerId: carol, status: 'contacted', createdAt: '2026-03-17T16:30Z', firstResponseAt: '2026-03-18T00:30Z' }) // 03-18 00:30
await insertLead('L11', { campaignId: CP, ownerId: carol, status: 'qualified', createdAt: '2026-03-13T07:00Z', firstResponseAt: '2026-03-13T08:30Z' }) // 03-13, +1.5 h
const L12 = await insertLead('L12', { campaignId: CP, ownerId: carol, status: 'converted', createdAt: '2026-03-09T17:30Z', firstResponseAt: '2026-03-09T18:00Z' }) // 03-10 01:30, +0.5 h
// Outside the period: L13 in the week of 03-02 but before `from`; L14 in February (its opportunity
// is won inside the period); L16 after `to`. L15 has no campaign.
await insertLead('L13', { campaignId: CT, ownerId: bob, status: 'contacted', createdAt: '2026-03-03T02:00Z', firstResponseAt: '2026-03-03T03:00Z' }) // 03-03 10:00
const L14 = await insertLead('L14', { campaignId: CW, ownerId: alice, status: 'converted', createdAt: '2026-02-20T02:00Z', firstResponseAt: '2026-02-20T04:00Z' }) // 02-20
await insertLead('L15', { campaignId: null, ownerId: alice, status: 'contacted', createdAt: '2026-03-08T04:00Z', firstResponseAt: '2026-03-08T08:30Z' }) // 03-08, +4.5 h
await insertLead('L16', { campaignId: CE, ownerId: bob, status: 'new', createdAt: '2026-03-30T02:00Z' }) // 03-30

//                                      lead  campaign  owner  stage     created (UTC)       closed (UTC)        lead → won
await insertOpportunity('O1', { leadId: L4, campaignId: CW, ownerId: alice, stage: 'won', createdAt: '2026-03-06T03:00Z', closedAt: '2026-03-12T13:00Z' }) // 6.5 d from L4
await insertOpportunity('O2', { leadId: L5, campaignId: CE, ownerId: bob, stage: 'lost', createdAt: '2026-03-10T05:00Z', closedAt: '2026-03-15T05:00Z' })
await insertOpportunity('O3', { leadId: L7, campaignId: CT, ownerId: bob, stage: 'won', createdAt: '2026-03-12T04:00Z', closedAt: '2026-03-16T14:00Z' }) // 4.5 d from L7
await insertOpportunity('O4', { leadId: L8, campaignId: CT, ownerId: bob, stage: 'proposal', createdAt: '2026-03-16T04:00Z', closedAt: null })
await insertOpportunity('O5', { leadId: L12, campaignId: CP, ownerId: carol, stage: 'won', createdAt: '2026-03-10T01:00Z', closedAt: '2026-03-13T05:30Z' }) // 3.5 d from L12
await insertOpportunity('O6', { leadId: L14, campaignId: CW, ownerId: alice, stage: 'won', createdAt: '2026-02-21T02:00Z', closedAt: '2026-03-05T20:00Z' }) // 13.75 d from L14 (03-06 04:00 local)
await insertOpportunity('O7', { leadId: null, campaignId: CP, ownerId: carol, stage: 'won', createdAt: '2026-03-07T02:00Z', closedAt: '2026-03-11T14:00Z' }) // 4.5 d from its own creation
await insertOpportunity('O8', { leadId: null, campaignId: null, ownerId: bob, stage: 'lost', createdAt: '2026-03-08T02:00Z', closedAt: '2026-03-09T02:00Z' })
await insertOpportunity('O9', { leadId: null, campaignId: CT, ownerId: alice, stage: 'lost', createdAt: '2026-02-01T02:00Z', closedAt: '2026-03-14T02:00Z' })
await insertOpportunity('O10', { leadId: null, campaignId: CP, ownerId: eve, stage: 'lost', createdAt: '2026-01-05T02:00Z', closedAt: '2026-02-10T02:00Z' })

await insertOrder({ ownerId: alice, campaignId: CW, amount: '1000.10', date: '2026-03-12', status: 'confirmed' })
await insertOrder({ ownerId: alice, campaignId: CW, amount: '500.00', date: '2026-03-06', status: 'confirmed' })
await insertOrder({ ownerId: bob, campaignId: CT, amount: '3000.00', date: '2026-03-16', status: 'confirmed' })
await insertOrder({ ownerId: bob, campaignId: CT, amount: '999.99', date: '2026-03-16', status: 'cancelled' })
await insertOrder({ ownerId: bob, campaignId: null, amount: '250.00', date: '2026-03-09', status: 'confirmed' })
await insertOrder({ ownerId: carol, campaignId: CP, amount: '1500.10', date: '2026-03-13', status: 'confirmed' })
await insertOrder({ ownerId: carol, campaignId: CP, amount: '777.00', date: '2026-03-18', status: 'confirmed' })
await insertOrder({ ownerId: aaron, campaignId: CP, amount: '1500.10', date: '2026-03-17', status: 'confirmed' })
await insertOrder({ ownerId: eve, campaignId: CP, amount: '900.00', date: '2026-02-28', status: 'confirmed' })

const PERIOD = 'from=2026-03-04&to=2026-03-17'
const get = (path: string, target = app) => target.inject({ url: `/api/v1/analytics/${path}`, headers: viewer })
const ok = async (path: string, target = app) => {
  const res = await get(path, target)
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}

const zeros = (n: number) => Array.from({ length: n }, () => 0)
const DAYS = ['04', '05', '06', '07', '08', '09', '10', '11', '12', '13', '14', '15', '16', '17'].map((d) => `2026-03-${d}`)

describe('GET /api/v1/analytics/lead-trend', () => {
  it('counts new leads per day in the company time zone, one series per type in scope, empty days as 0', async () => {
    // Shanghai days (index 0 = 03-04 … 13 = 03-17), leads with a campaign created in the period:
    //   paid_search: L9 03-04 (01:00 local), L12 03-10 (01:30 local), L11 03-13           → 3
    //   trade_show:  L7 03-12, L8 03-16                                                    → 2
    //   webinar:     L1 03-04, L2 + L3 03-05, L4 03-06                                     → 4
    //   email:       L5 03-10, L6 03-11 (the sub-campaign of CW)                           → 2
    //   content:     CC has no leads                                                       → 0
    // L10 (03-18 local), L13 (03-03), L14 (02-20), L16 (03-30) are outside; L15 has no campaign.
    expect(app.config.timeZone).toBe('Asia/Shanghai') // the default CRM_TIME_ZONE
    const body = await ok(`lead-trend?${PERIOD}&interval=day`)
    expect(body).toEqual({
      period: { from: '2026-03-04', to: '2026-03-17' },
      interval: 'day',
      buckets: DAYS,
      series: [
        { type: 'paid_search', counts: [1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0], total: 3 },
        { type: 'trade_show', counts: [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0], total: 2 },
        { type: 'webinar', counts: [1, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], total: 4 },
        { type: 'email', counts: [0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0], total: 2 },
        { type: 'content', counts: zeros(14), total: 0 },
      ],
      totals: [2, 2, 1, 0, 0, 0, 2, 1, 1, 1, 0, 0, 1, 0],
    })
  })

  it('puts a lead near midnight on its day in CRM_TIME_ZONE', async () => {
    // In UTC: L9 (03-03T17:00Z) falls before the period, L12 (03-09T17:30Z) on 03-09 instead of
    // 03-10, and L10 (03-17T16:30Z) on 03-17 inside it. paid_search: 03-09, 03-13, 03-17 → 3.
    const body = await ok(`lead-trend?${PERIOD}&interval=day`, utcApp)
    expect(body.buckets).toEqual(DAYS)
    expect(body.series[0]).toEqual({ type: 'paid_search', counts: [0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1], total: 3 })
    expect(body.totals).toEqual([1, 2, 1, 0, 0, 1, 1, 1, 1, 1, 0, 0, 1, 1])
  })

  it('counts per ISO week from the Monday before `from`, only leads inside the period', async () => {
    // Weeks of 03-02 (only 03-04 … 03-08 counted: L13 on 03-03 is left out), 03-09, 03-16 (03-16 … 03-17).
    //   paid_search: L9 | L12, L11 | —      trade_show: — | L7 | L8
    //   webinar:     L1-L4 | — | —          email: — | L5, L6 | —
    const body = await ok(`lead-trend?${PERIOD}&interval=week`)
    expect(body).toEqual({
      period: { from: '2026-03-04', to: '2026-03-17' },
      interval: 'week',
      buckets: ['2026-03-02', '2026-03-09', '2026-03-16'],
      series: [
        { type: 'paid_search', counts: [1, 2, 0], total: 3 },
        { type: 'trade_show', counts: [0, 1, 1], total: 2 },
        { type: 'webinar', counts: [4, 0, 0], total: 4 },
        { type: 'email', counts: [0, 2, 0], total: 2 },
        { type: 'content', counts: [0, 0, 0], total: 0 },
      ],
      totals: [5, 5, 1],
    })
  })

  it('counts per month, an empty month as 0', async () => {
    // 2026-02-15 … 2026-04-05 in Shanghai: February has L14 (webinar); March has every other lead
    // with a campaign (L1-L13, L16: paid_search L9-L12, trade_show L7 L8 L13, webinar L1-L4,
    // email L5 L6 L16); April 1-5 has none.
    const body = await ok('lead-trend?from=2026-02-15&to=2026-04-05&interval=month')
    expect(body.buckets).toEqual(['2026-02-01', '2026-03-01', '2026-04-01'])
    expect(body.series).toEqual([
      { type: 'paid_search', counts: [0, 4, 0], total: 4 },
      { type: 'trade_show', counts: [0, 3, 0], total: 3 },
      { type: 'webinar', counts: [1, 4, 0], total: 5 },
      { type: 'email', counts: [0, 3, 0], total: 3 },
      { type: 'content', counts: [0, 0, 0], total: 0 },
    ])
    expect(body.totals).toEqual([1, 14, 0])
  })

  it('narrows to a campaign type, a campaign with its sub-campaigns, or a campaign owner', async () => {
    const byType = await ok(`lead-trend?${PERIOD}&interval=week&type=webinar`)
    expect(byType.series).toEqual([{ type: 'webinar', counts: [4, 0, 0], total: 4 }])
    expect(byType.totals).toEqual([4, 0, 0])

    // CW and its email sub-campaign CE.
    const byCampaign = await ok(`lead-trend?${PERIOD}&interval=week&campaignId=${CW}`)
    expect(byCampaign.series).toEqual([
      { type: 'webinar', counts: [4, 0, 0], total: 4 },
      { type: 'email', counts: [0, 2, 0], total: 2 },
    ])
    expect(byCampaign.totals).toEqual([4, 2, 0])

    // Carol owns CP (paid_search) and CC (content, no leads).
    const byOwner = await ok(`lead-trend?${PERIOD}&interval=week&ownerId=${carol}`)
    expect(byOwner.series).toEqual([
      { type: 'paid_search', counts: [1, 2, 0], total: 3 },
      { type: 'content', counts: [0, 0, 0], total: 0 },
    ])

    const nothing = await ok(`lead-trend?${PERIOD}&interval=week&campaignId=${UNKNOWN_ID}`)
    expect(nothing).toMatchObject({ buckets: ['2026-03-02', '2026-03-09', '2026-03-16'], series: [], totals: [0, 0, 0] })
  })

  it('refuses more than 1,000 buckets naming `interval`, and a reversed period naming `from`', async () => {
    // 2024-01-01 + 999 days = 2026-09-26: exactly 1,000 days; one more is too many.
    expect((await get('lead-trend?from=2024-01-01&to=2026-09-26&interval=day')).statusCode).toBe(200)
    const tooMany = await get('lead-trend?from=2024-01-01&to=2026-09-27&interval=day')
    expect(tooMany.statusCode).toBe(400)
    expect(tooMany.json()).toMatchObject({ code: 'validation_failed', details: [{ field: 'interval' }] })
    // Ten years by week are 523 buckets.
    expect((await get('lead-trend?from=2016-03-19&to=2026-03-17&interval=week')).json().buckets).toHaveLength(523)

    const reversed = await get('lead-trend?from=2026-03-18&to=2026-03-17')
    expect(reversed.statusCode).toBe(400)
    expect(reversed.json()).toMatchObject({ code: 'validation_failed', details: [{ field: 'from' }] })
  })

  it('wants a token', async () => {
    expect((await app.inject({ url: `/api/v1/analytics/lead-trend?${PERIOD}` })).statusCode).toBe(401)
  })
})

const stages = (leads: number, qualified: number, opportunities: number, won: number, rates: (number | null)[]) => [
  { stage: 'leads', count: leads, rateFromPrevious: rates[0], rateFromFirst: rates[0] },
  { stage: 'qualified', count: qualified, rateFromPrevious: rates[1], rateFromFirst: rates[2] },
  { stage: 'opportunities', count: opportunities, rateFromPrevious: rates[3], rateFromFirst: rates[4] },
  { stage: 'won', count: won, rateFromPrevious: rates[5], rateFromFirst: rates[6] },
]

// Per type, the cohort of leads with a campaign created in the period (Shanghai):
//   paid_search L9 L11 L12: qualified L11 L12, opportunity L12 (O5 won)            → 3 2 1 1
//   trade_show  L7 L8:      qualified both, opportunities both, won L7 (O3)        → 2 2 2 1
//   webinar     L1-L4:      qualified L3 L4, opportunity L4 (O1 won)               → 4 2 1 1
//   email       L5 L6:      qualified L5, opportunity L5 (O2 lost)                 → 2 1 1 0
// The first stage's rateFromPrevious is itself ÷ itself.
const PAID_SEARCH = stages(3, 2, 1, 1, [100, 66.67, 66.67, 50, 33.33, 100, 33.33])
const TRADE_SHOW = stages(2, 2, 2, 1, [100, 100, 100, 100, 100, 50, 50])
const WEBINAR = stages(4, 2, 1, 1, [100, 50, 50, 50, 25, 100, 25])
const EMAIL = stages(2, 1, 1, 0, [100, 50, 50, 100, 50, 0, 0])

describe('GET /api/v1/analytics/funnel', () => {
  it('follows the period\'s leads to qualified, opportunity and won', async () => {
    // 11 leads; qualified 7 (7/11 = 63.64 %); opportunities 5 (5/7 = 71.43 %, 5/11 = 45.45 %);
    // won 3 (3/5 = 60 %, 3/11 = 27.27 %).
    expect(await ok(`funnel?${PERIOD}`)).toEqual({
      period: { from: '2026-03-04', to: '2026-03-17' },
      groupBy: 'none',
      groups: [{ key: null, label: null, stages: stages(11, 7, 5, 3, [100, 63.64, 63.64, 71.43, 45.45, 60, 27.27]) }],
    })
  })

  it('gives one funnel per campaign type in scope, an empty type with null rates', async () => {
    const body = await ok(`funnel?${PERIOD}&groupBy=type`)
    expect(body.groups).toEqual([
      { key: 'paid_search', label: null, stages: PAID_SEARCH },
      { key: 'trade_show', label: null, stages: TRADE_SHOW },
      { key: 'webinar', label: null, stages: WEBINAR },
      { key: 'email', label: null, stages: EMAIL },
      { key: 'content', label: null, stages: stages(0, 0, 0, 0, [null, null, null, null, null, null, null]) },
    ])
  })

  it('gives one funnel per campaign with leads, by leads then name', async () => {
    // CW 4, CP 3, then CT "Expo Shanghai" and CE "Webinar Follow-up Mail" with 2 each; CC has none.
    const body = await ok(`funnel?${PERIOD}&groupBy=campaign`)
    expect(body.groups).toEqual([
      { key: CW, label: 'Spring Webinar', stages: WEBINAR },
      { key: CP, label: 'Search Ads', stages: PAID_SEARCH },
      { key: CT, label: 'Expo Shanghai', stages: TRADE_SHOW },
      { key: CE, label: 'Webinar Follow-up Mail', stages: EMAIL },
    ])
  })

  it('narrows to a type, a campaign with its sub-campaigns, or a campaign owner', async () => {
    expect((await ok(`funnel?${PERIOD}&type=webinar`)).groups[0].stages).toEqual(WEBINAR)
    // CW + CE: L1-L6 → 6 leads, qualified L3 L4 L5, opportunities L4 L5, won L4.
    expect((await ok(`funnel?${PERIOD}&campaignId=${CW}`)).groups[0].stages)
      .toEqual(stages(6, 3, 2, 1, [100, 50, 50, 66.67, 33.33, 50, 16.67]))
    // Bob owns CE and CT: L5-L8 → 4 leads, qualified L5 L7 L8, opportunities the same, won L7.
    expect((await ok(`funnel?${PERIOD}&ownerId=${bob}`)).groups[0].stages)
      .toEqual(stages(4, 3, 3, 1, [100, 75, 75, 100, 75, 33.33, 25]))
  })

  it('counts the period in CRM_TIME_ZONE', async () => {
    // In UTC, L9 leaves the cohort and L10 (contacted) joins it: paid_search is L10 L11 L12.
    const body = await ok(`funnel?${PERIOD}&groupBy=type&type=paid_search`, utcApp)
    expect(body.groups).toEqual([{ key: 'paid_search', label: null, stages: PAID_SEARCH }])
  })
})

describe('GET /api/v1/analytics/team', () => {
  // Shanghai, 2026-03-04 … 2026-03-17, no filter (records without a campaign count):
  // Alice: leads L1 L2 L3 L4 L15 = 5; opportunities created O1 = 1; closed: O1 won, O6 won, O9 lost
  //   → wins 2, win rate 2/3 = 66.67 %; revenue 1000.10 + 500.00 = 1500.10;
  //   days lead → won: O1 6.5 (L4 03-06T01:00 → 03-12T13:00), O6 13.75 (L14 02-20T02:00 → 03-05T20:00)
  //   → median (6.5 + 13.75) / 2 = 10.125 → 10.1;
  //   first response hours: L2 2, L3 5, L4 1, L15 4.5 → 1, 2, 4.5, 5 → (2 + 4.5) / 2 = 3.25 → 3.3.
  // Bob: leads L5 L6 L7 L8 = 4; opportunities O2 O3 O4 O8 = 4; closed O3 won, O2 O8 lost → 1, 33.33 %;
  //   revenue 3000.00 + 250.00 (no campaign; the cancelled 999.99 is out) = 3250.00; days O3 4.5;
  //   first response L5 3, L6 4, L7 6, L8 10 → (4 + 6) / 2 = 5.0.
  // Carol: leads L9 L11 L12 = 3 (L10 is 03-18 local); opportunities O5 O7 = 2; wins O5 O7, no loss
  //   → 100 %; revenue 1500.10 (777.00 is dated 03-18); days O5 3.5 (L12 03-09T17:30 → 03-13T05:30),
  //   O7 4.5 (its creation 03-07T02:00 → 03-11T14:00) → 4.0; first response L11 1.5, L12 0.5 → 1.0.
  // Aaron: only an order of 1500.10; Eve: only records outside the period → no row.
  // Order: Bob 3250.00; then 1500.10 by wins: Alice 2 and Carol 2 (by name), Aaron 0.
  const ALICE = { ownerId: alice, name: 'Alice', leads: 5, opportunities: 1, wins: 2, winRate: 66.67, revenue: '1500.10', medianDaysLeadToWon: 10.1, medianFirstResponseHours: 3.3 }
  const BOB = { ownerId: bob, name: 'Bob', leads: 4, opportunities: 4, wins: 1, winRate: 33.33, revenue: '3250.00', medianDaysLeadToWon: 4.5, medianFirstResponseHours: 5 }
  const CAROL = { ownerId: carol, name: 'Carol', leads: 3, opportunities: 2, wins: 2, winRate: 100, revenue: '1500.10', medianDaysLeadToWon: 4, medianFirstResponseHours: 1 }
  const AARON = { ownerId: aaron, name: 'Aaron', leads: 0, opportunities: 0, wins: 0, winRate: null, revenue: '1500.10', medianDaysLeadToWon: null, medianFirstResponseHours: null }

  it('gives each salesperson\'s figures, by revenue, wins, then name', async () => {
    expect(await ok(`team?${PERIOD}`)).toEqual({ period: { from: '2026-03-04', to: '2026-03-17' }, members: [BOB, ALICE, CAROL, AARON] })
  })

  it('narrows to the records of a campaign type', async () => {
    // trade_show (CT): Bob L7 L8, O3 O4 created, O3 won, order 3000.00, first response 6 and 10 → 8.0;
    // Alice only lost O9 → win rate 0 / 1 = 0.
    expect((await ok(`team?${PERIOD}&type=trade_show`)).members).toEqual([
      { ownerId: bob, name: 'Bob', leads: 2, opportunities: 2, wins: 1, winRate: 100, revenue: '3000.00', medianDaysLeadToWon: 4.5, medianFirstResponseHours: 8 },
      { ownerId: alice, name: 'Alice', leads: 0, opportunities: 0, wins: 0, winRate: 0, revenue: '0.00', medianDaysLeadToWon: null, medianFirstResponseHours: null },
    ])
  })

  it('narrows to the records of a campaign and its sub-campaigns', async () => {
    // CW + CE: Alice L1-L4, O1 created, O1 O6 won, 1500.10, first response 1, 2, 5 → 2.0;
    // Bob L5 L6, O2 created and lost, first response 3, 4 → 3.5.
    expect((await ok(`team?${PERIOD}&campaignId=${CW}`)).members).toEqual([
      { ...ALICE, leads: 4, winRate: 100, medianFirstResponseHours: 2 },
      { ownerId: bob, name: 'Bob', leads: 2, opportunities: 1, wins: 0, winRate: 0, revenue: '0.00', medianDaysLeadToWon: null, medianFirstResponseHours: 3.5 },
    ])
  })

  it('keeps one salesperson with ownerId, with all their records (not the campaign owner\'s)', async () => {
    // Bob owns campaigns CE and CT, but here ownerId is the records' owner: his full row, incl.
    // the order and the lost opportunity without a campaign; nobody else's records on his campaigns.
    expect((await ok(`team?${PERIOD}&ownerId=${bob}`)).members).toEqual([BOB])
    expect((await ok(`team?${PERIOD}&ownerId=${eve}`)).members).toEqual([])
  })

  it('counts the period in CRM_TIME_ZONE', async () => {
    // In UTC Carol's leads are L10 L11 L12 (L9 is 03-03): first response 8, 1.5, 0.5 → 1.5.
    const body = await ok(`team?${PERIOD}&ownerId=${carol}`, utcApp)
    expect(body.members).toEqual([{ ...CAROL, medianFirstResponseHours: 1.5 }])
  })

  it('refuses a reversed period naming `from`', async () => {
    const res = await get('team?from=2026-03-18&to=2026-03-17')
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ details: [{ field: 'from' }] })
  })
})

describe('leads.first_response_at', () => {
  const firstResponseOf = async (id: string) =>
    (await sql<{ first_response_at: Date | null }>`SELECT first_response_at FROM leads WHERE id = ${id}`.execute(db)).rows[0]!.first_response_at
  const patch = (id: string, payload: Record<string, unknown>) =>
    app.inject({ method: 'PATCH', url: `/api/v1/leads/${id}`, headers: sales, payload })

  it('is set by the first status change and kept by later ones', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/v1/leads', headers: sales, payload: { name: 'Response clock', campaignId: CT } })
    expect(created.statusCode).toBe(201)
    const id = created.json().id
    expect(await firstResponseOf(id)).toBeNull()

    expect((await patch(id, { company: 'Clock Co' })).statusCode).toBe(200)
    expect(await firstResponseOf(id)).toBeNull()

    const before = Date.now()
    expect((await patch(id, { status: 'contacted' })).statusCode).toBe(200)
    const first = await firstResponseOf(id)
    expect(first).toBeInstanceOf(Date)
    expect(Math.abs(first!.getTime() - before)).toBeLessThan(60_000)

    expect((await patch(id, { status: 'qualified' })).statusCode).toBe(200)
    expect(await firstResponseOf(id)).toEqual(first)
  })
})
