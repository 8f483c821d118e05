import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { systemContext } from '../src/lib/context.ts'
import { overview } from '../src/modules/analytics/analytics.performance.service.ts'
import { createUser } from '../src/modules/users/users.service.ts'
import { insertAccount } from './crm-fixtures.ts'
import { bearer, buildTestApp } from './helper.ts'

const { app, db, database, tokenFor } = await buildTestApp()
const viewer = bearer(await tokenFor('viewer'))
const marketing = bearer(await tokenFor('marketing'))

const owner = async (name: string) => (await createUser(db, systemContext('test'), {
  email: `${name.toLowerCase()}@example.com`, name, role: 'marketing', password: 'correct horse battery',
})).user.id
const U1 = await owner('Ada')
const U2 = await owner('Bo')

async function campaign(fields: {
  name: string; code: string; type: string; ownerId: string; parentId?: string
  startDate?: string; endDate?: string; expectedRevenue: string; createdAt?: string
}): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    INSERT INTO campaigns (name, code, type, owner_id, parent_id, start_date, end_date, expected_revenue, created_at)
    VALUES (${fields.name}, ${fields.code}, ${fields.type}, ${fields.ownerId}, ${fields.parentId ?? null},
            ${fields.startDate ?? null}, ${fields.endDate ?? null}, ${fields.expectedRevenue}, ${fields.createdAt ?? '2025-06-01T00:00:00Z'})
    RETURNING id`.execute(db)
  return rows[0]!.id
}
const cost = (campaignId: string, spentOn: string, amount: string) =>
  sql`INSERT INTO campaign_costs (campaign_id, spent_on, category, amount) VALUES (${campaignId}, ${spentOn}, 'media', ${amount})`.execute(db)
async function lead(name: string, campaignId: string | null, createdAt: string, status = 'new'): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    INSERT INTO leads (name, campaign_id, created_at, status, disqualified_reason)
    VALUES (${name}, ${campaignId}, ${createdAt}, ${status}, ${status === 'disqualified' ? 'spam' : null})
    RETURNING id`.execute(db)
  return rows[0]!.id
}
async function opportunity(fields: {
  name: string; campaignId: string | null; accountId: string | null; leadId?: string
  stage: 'won' | 'lost' | 'proposal'; createdAt: string; closedAt?: string
}): Promise<string> {
  const probability = { won: 100, lost: 0, proposal: 50 }[fields.stage]
  const { rows } = await sql<{ id: string }>`
    INSERT INTO opportunities (name, campaign_id, account_id, lead_id, amount, stage, probability, created_at, closed_at)
    VALUES (${fields.name}, ${fields.campaignId}, ${fields.accountId}, ${fields.leadId ?? null}, 10000, ${fields.stage}, ${probability},
            ${fields.createdAt}, ${fields.closedAt ?? null})
    RETURNING id`.execute(db)
  if (fields.leadId) await sql`UPDATE leads SET converted_opportunity_id = ${rows[0]!.id} WHERE id = ${fields.leadId}`.execute(db)
  return rows[0]!.id
}
const order = (fields: { accountId: string; opportunityId: string | null; campaignId: string | null; date: string; amount: string; cancelled?: boolean }) =>
  sql`INSERT INTO orders (account_id, opportunity_id, campaign_id, order_date, amount, status, cancelled_at)
      VALUES (${fields.accountId}, ${fields.opportunityId}, ${fields.campaignId}, ${fields.date}, ${fields.amount},
              ${fields.cancelled ? 'cancelled' : 'confirmed'}, ${fields.cancelled ? fields.date : null})`.execute(db)

/*
 * The fixture. The period is March 2026 (31 days), so the previous period is 2026-01-29..02-28;
 * Time zone Asia/Shanghai (UTC+8): March begins at 2026-02-28T16:00Z.
 *
 * Campaigns
 *   P  paid_search  Ada  "Spring search"              run 02-15..04-15 (60 days), expected 10,000.00
 *   S  paid_search  Bo   "Spring search retargeting"  sub-campaign of P, starts 03-10, no end, expected 3,000.00
 *   W  webinar      Bo   "Product webinar"            no dates, created 2026-02-28T17:30Z (03-01 in Shanghai), expected 5,000.00
 *   X  email        Ada  "Newsletter"                 nothing at all
 * Costs: P 4,000.00 on 03-05, 2,000.00 on 02-20, 1,000.00 on 2025-12-15, 9,999.00 on 04-02 (after);
 *        S 1,000.00 on 03-12; W 2,500.00 on 03-01, 500.00 on 01-15.
 * Leads: L1 P 03-03 converted (→ O1) · L2 P 03-04 disqualified · L3 P 03-06 qualified · L4 S 03-15 converted (→ O3)
 *        L5 W 2026-02-28T17:00Z: 03-01 01:00 in Shanghai but 02-28 in UTC · L6 W 02-10 contacted · L9 W 2025-12-01
 *        L7 without a campaign 03-10.
 * Opportunities (account): O1 P (A1) created 03-03 won 03-10 · O2 P (A2) created 03-05 lost 03-20
 *        O3 S (A3) created 03-15 won 03-25 · O4 W (A2) created 02-05 won 02-25
 *        O5 P (A1) created 2025-10-01 won 2025-11-01 · O7 W (no account) created 03-20, open
 *        O6 without a campaign (A3) created 03-08 won 03-09.
 * Orders: R1 O1 P A1 03-10 8,000.00 · R2 O1 P A1 03-12 500.00 cancelled · R4 O3 S A3 03-25 3,000.00
 *        R5 O4 W A2 02-25 1,500.00 · R7 O5 P A1 2025-11-01 1,200.00 · R6 O6 (no campaign) A3 03-09 700.00
 *        A1 orders again after its win, without opportunity or campaign: R3 2026-06-15 2,000.00, R8 2027-01-01 900.00.
 */
const P = await campaign({ name: 'Spring search', code: 'PS-1', type: 'paid_search', ownerId: U1, startDate: '2026-02-15', endDate: '2026-04-15', expectedRevenue: '10000' })
const S = await campaign({ name: 'Spring search retargeting', code: 'PS-1-RT', type: 'paid_search', ownerId: U2, parentId: P, startDate: '2026-03-10', expectedRevenue: '3000' })
const W = await campaign({ name: 'Product webinar', code: 'WB-1', type: 'webinar', ownerId: U2, expectedRevenue: '5000', createdAt: '2026-02-28T17:30:00Z' })
const X = await campaign({ name: 'Newsletter', code: 'EM-1', type: 'email', ownerId: U1, expectedRevenue: '0' })

await cost(P, '2026-03-05', '4000')
await cost(P, '2026-02-20', '2000')
await cost(P, '2025-12-15', '1000')
await cost(P, '2026-04-02', '9999')
await cost(S, '2026-03-12', '1000')
await cost(W, '2026-03-01', '2500')
await cost(W, '2026-01-15', '500')

const L1 = await lead('L1', P, '2026-03-03T02:00:00Z', 'converted')
await lead('L2', P, '2026-03-04T02:00:00Z', 'disqualified')
await lead('L3', P, '2026-03-06T02:00:00Z', 'qualified')
const L4 = await lead('L4', S, '2026-03-15T02:00:00Z', 'converted')
await lead('L5', W, '2026-02-28T17:00:00Z')
await lead('L6', W, '2026-02-10T02:00:00Z', 'contacted')
await lead('L7', null, '2026-03-10T02:00:00Z')
await lead('L9', W, '2025-12-01T02:00:00Z')

const A1 = await insertAccount(db, 'Alpha')
const A2 = await insertAccount(db, 'Beta')
const A3 = await insertAccount(db, 'Gamma')
const O1 = await opportunity({ name: 'O1', campaignId: P, accountId: A1, leadId: L1, stage: 'won', createdAt: '2026-03-03T03:00:00Z', closedAt: '2026-03-10T02:00:00Z' })
await opportunity({ name: 'O2', campaignId: P, accountId: A2, stage: 'lost', createdAt: '2026-03-05T02:00:00Z', closedAt: '2026-03-20T02:00:00Z' })
const O3 = await opportunity({ name: 'O3', campaignId: S, accountId: A3, leadId: L4, stage: 'won', createdAt: '2026-03-15T03:00:00Z', closedAt: '2026-03-25T02:00:00Z' })
const O4 = await opportunity({ name: 'O4', campaignId: W, accountId: A2, stage: 'won', createdAt: '2026-02-05T02:00:00Z', closedAt: '2026-02-25T02:00:00Z' })
const O5 = await opportunity({ name: 'O5', campaignId: P, accountId: A1, stage: 'won', createdAt: '2025-10-01T02:00:00Z', closedAt: '2025-11-01T02:00:00Z' })
const O6 = await opportunity({ name: 'O6', campaignId: null, accountId: A3, stage: 'won', createdAt: '2026-03-08T02:00:00Z', closedAt: '2026-03-09T02:00:00Z' })
await opportunity({ name: 'O7', campaignId: W, accountId: null, stage: 'proposal', createdAt: '2026-03-20T02:00:00Z' })

await order({ accountId: A1, opportunityId: O1, campaignId: P, date: '2026-03-10', amount: '8000' })
await order({ accountId: A1, opportunityId: O1, campaignId: P, date: '2026-03-12', amount: '500', cancelled: true })
await order({ accountId: A3, opportunityId: O3, campaignId: S, date: '2026-03-25', amount: '3000' })
await order({ accountId: A2, opportunityId: O4, campaignId: W, date: '2026-02-25', amount: '1500' })
await order({ accountId: A1, opportunityId: O5, campaignId: P, date: '2025-11-01', amount: '1200' })
await order({ accountId: A3, opportunityId: O6, campaignId: null, date: '2026-03-09', amount: '700' })
await order({ accountId: A1, opportunityId: null, campaignId: null, date: '2026-06-15', amount: '2000' })
await order({ accountId: A1, opportunityId: null, campaignId: null, date: '2027-01-01', amount: '900' })

const MARCH = 'from=2026-03-01&to=2026-03-31'

async function get(path: string) {
  const res = await app.inject({ url: `/api/v1/analytics/${path}`, headers: viewer })
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}

describe('GET /api/v1/analytics/overview', () => {
  it('reports every figure against the equal period before', async () => {
    expect(await get(`overview?${MARCH}`)).toEqual({
      period: { from: '2026-03-01', to: '2026-03-31' },
      previousPeriod: { from: '2026-01-29', to: '2026-02-28' },
      model: 'primary_source',
      // March: P 4,000 + S 1,000 + W 2,500 = 7,500 (P's 9,999 on 04-02 is after). Before: P 2,000 on 02-20
      // (W's 500 on 01-15 is before 01-29). Change 5,500, 5,500 ÷ 2,000 = 275%.
      cost: { value: '7500.00', previous: '2000.00', change: '5500.00', changePct: 275 },
      // March: R1 8,000 + R4 3,000 (R2 cancelled, R6 without a campaign). Before: R5 1,500. 9,500 ÷ 1,500 = 633.33%.
      revenue: { value: '11000.00', previous: '1500.00', change: '9500.00', changePct: 633.33 },
      // March: P 10,000 × 31/60 = 5,166.666… → 5,166.67; S 3,000 all on 03-10; W 5,000 on 03-01 (its creation day
      // in Shanghai): 13,166.67. Before: P 10,000 × 14/60 = 2,333.33 (02-15..02-28). 10,833.34 ÷ 2,333.33 = 464.29%.
      expectedRevenue: { value: '13166.67', previous: '2333.33', change: '10833.34', changePct: 464.29 },
      // (11,000 − 7,500) ÷ 7,500 = 46.67%; (1,500 − 2,000) ÷ 2,000 = −25%; 71.67 points.
      roiPct: { value: 46.67, previous: -25, change: 71.67 },
      // 11,000 ÷ 13,166.67 = 83.54%; 1,500 ÷ 2,333.33 = 64.29%; 19.25 points.
      achievementPct: { value: 83.54, previous: 64.29, change: 19.25 },
      // March: L1 L2 L3 L4 L5 (L7 has no campaign). Before: L6.
      leads: { value: 5, previous: 1, change: 4, changePct: 400 },
      // March: O1 O2 O3 O7 (O6 has no campaign). Before: O4.
      opportunities: { value: 4, previous: 1, change: 3, changePct: 300 },
      // Won in March: O1, O3 (O6 has no campaign). Before: O4.
      wonDeals: { value: 2, previous: 1, change: 1, changePct: 100 },
    })
  })

  it('puts a timestamp on its day in the company time zone', async () => {
    const period = { from: '2026-03-01', to: '2026-03-31' }
    // L5 (2026-02-28T17:00Z) is on 03-01 in Shanghai and on 02-28 in UTC; so is W's creation day, which carries
    // its 5,000.00 of expected revenue: in UTC March has 5,166.67 + 3,000 and the period before 2,333.33 + 5,000.
    const shanghai = await get(`overview?${MARCH}`)
    const utc = await overview(db, database.pool, { period, timeZone: 'UTC' }, 'primary_source')
    expect([shanghai.leads.value, shanghai.leads.previous]).toEqual([5, 1])
    expect([utc.leads.value, utc.leads.previous]).toEqual([4, 2])
    expect([utc.expectedRevenue.value, utc.expectedRevenue.previous]).toEqual(['8166.67', '7333.33'])
  })

  it('narrows to a campaign type', async () => {
    // W only: cost 2,500 (before: 500 is on 01-15, outside); revenue 0 (before: R5 1,500); expected 5,000;
    // leads L5 (before L6); opportunities O7 (before O4); won none (before O4).
    expect(await get(`overview?${MARCH}&type=webinar`)).toMatchObject({
      cost: { value: '2500.00', previous: '0.00', change: '2500.00', changePct: null },
      revenue: { value: '0.00', previous: '1500.00', change: '-1500.00', changePct: -100 },
      expectedRevenue: { value: '5000.00', previous: '0.00' },
      // (0 − 2,500) ÷ 2,500 = −100%; no cost before. 0 ÷ 5,000 = 0%; no expected revenue before.
      roiPct: { value: -100, previous: null, change: null },
      achievementPct: { value: 0, previous: null, change: null },
      leads: { value: 1, previous: 1, change: 0, changePct: 0 },
      opportunities: { value: 1, previous: 1 },
      wonDeals: { value: 0, previous: 1, change: -1, changePct: -100 },
    })
  })

  it('narrows to a campaign with its sub-campaigns', async () => {
    // P and S: cost 4,000 + 1,000; revenue 8,000 + 3,000; expected 5,166.67 + 3,000;
    // leads L1 L2 L3 L4; opportunities O1 O2 O3; won O1 O3. Before: P's 2,000 and 2,333.33 only.
    expect(await get(`overview?${MARCH}&campaignId=${P}`)).toMatchObject({
      cost: { value: '5000.00', previous: '2000.00' },
      revenue: { value: '11000.00', previous: '0.00', changePct: null },
      expectedRevenue: { value: '8166.67', previous: '2333.33' },
      // (11,000 − 5,000) ÷ 5,000 = 120%; 11,000 ÷ 8,166.67 = 134.69%.
      roiPct: { value: 120, previous: -100, change: 220 },
      achievementPct: { value: 134.69, previous: 0, change: 134.69 },
      leads: { value: 4, previous: 0 },
      opportunities: { value: 3, previous: 0 },
      wonDeals: { value: 2, previous: 0 },
    })
    // The sub-campaign alone: cost 1,000, revenue R4 3,000, expected 3,000, L4, O3 won.
    expect(await get(`overview?${MARCH}&campaignId=${S}`)).toMatchObject({
      cost: { value: '1000.00', previous: '0.00' },
      revenue: { value: '3000.00' },
      expectedRevenue: { value: '3000.00' },
      roiPct: { value: 200 },
      achievementPct: { value: 100 },
      leads: { value: 1 },
      opportunities: { value: 1 },
      wonDeals: { value: 1 },
    })
  })

  it('narrows to the campaigns of one owner', async () => {
    // Bo owns S and W: cost 1,000 + 2,500; revenue R4 3,000 (before R5 1,500); leads L4 L5 (before L6);
    // opportunities O3 O7 (before O4); won O3 (before O4).
    expect(await get(`overview?${MARCH}&ownerId=${U2}`)).toMatchObject({
      cost: { value: '3500.00', previous: '0.00' },
      revenue: { value: '3000.00', previous: '1500.00', change: '1500.00', changePct: 100 },
      expectedRevenue: { value: '8000.00', previous: '0.00' },
      leads: { value: 2, previous: 1 },
      opportunities: { value: 2, previous: 1 },
      wonDeals: { value: 1, previous: 1, change: 0, changePct: 0 },
    })
    // Ada owns P and X.
    expect(await get(`overview?${MARCH}&ownerId=${U1}`)).toMatchObject({
      cost: { value: '4000.00', previous: '2000.00' },
      revenue: { value: '8000.00', previous: '0.00' },
      leads: { value: 3 },
      opportunities: { value: 2 },
      wonDeals: { value: 1 },
    })
  })

  it('rejects a period whose from is after its to, naming from, on every endpoint', async () => {
    for (const path of ['overview', 'channels', 'roi-views']) {
      const res = await app.inject({ url: `/api/v1/analytics/${path}?from=2026-03-31&to=2026-03-01`, headers: viewer })
      expect(res.statusCode).toBe(400)
      expect(res.json().details[0].field).toBe('from')
    }
  })
})

describe('GET /api/v1/analytics/channels', () => {
  it('reports each campaign type in scope, by revenue, and the total', async () => {
    expect(await get(`channels?${MARCH}`)).toEqual({
      period: { from: '2026-03-01', to: '2026-03-31' },
      model: 'primary_source',
      channels: [
        {
          // P and S: cost 4,000 + 1,000; leads L1 L2 L3 L4, 3 valid (75%), 2 converted (50%);
          // opportunities O1 O2 O3; won O1 O3, lost O2: 2 ÷ 3 = 66.67%; revenue 8,000 + 3,000;
          // 5,000 ÷ 4 = 1,250.00 per lead, 5,000 ÷ 2 = 2,500.00 per win; (11,000 − 5,000) ÷ 5,000 = 120%.
          type: 'paid_search', campaigns: 2, cost: '5000.00', leads: 4, validLeadRate: 75, opportunities: 3, wins: 2,
          revenue: '11000.00', leadToOpportunityRate: 50, winRate: 66.67, costPerLead: '1250.00', costPerWon: '2500.00', roiPct: 120,
        },
        {
          // X has nothing: every rate is null. Before webinar: both have no revenue, so by type.
          type: 'email', campaigns: 1, cost: '0.00', leads: 0, validLeadRate: null, opportunities: 0, wins: 0,
          revenue: '0.00', leadToOpportunityRate: null, winRate: null, costPerLead: null, costPerWon: null, roiPct: null,
        },
        {
          // W: cost 2,500; L5 valid, not converted; O7 open; no closed deal: win rate null; 2,500 ÷ 1 per lead.
          type: 'webinar', campaigns: 1, cost: '2500.00', leads: 1, validLeadRate: 100, opportunities: 1, wins: 0,
          revenue: '0.00', leadToOpportunityRate: 0, winRate: null, costPerLead: '2500.00', costPerWon: null, roiPct: -100,
        },
      ],
      // 7,500; 5 leads, 4 valid (80%), 2 converted (40%); 4 opportunities; 2 won of 3 closed; 11,000;
      // 7,500 ÷ 5 = 1,500.00; 7,500 ÷ 2 = 3,750.00; 46.67%.
      total: {
        cost: '7500.00', leads: 5, validLeadRate: 80, opportunities: 4, wins: 2, revenue: '11000.00',
        leadToOpportunityRate: 40, winRate: 66.67, costPerLead: '1500.00', costPerWon: '3750.00', roiPct: 46.67,
      },
    })
  })

  it('has no channel and a zero total when no campaign is in scope', async () => {
    expect(await get(`channels?${MARCH}&type=conference`)).toMatchObject({
      channels: [],
      total: {
        cost: '0.00', leads: 0, validLeadRate: null, opportunities: 0, wins: 0, revenue: '0.00',
        leadToOpportunityRate: null, winRate: null, costPerLead: null, costPerWon: null, roiPct: null,
      },
    })
  })

  it('keeps only the types of the campaigns in scope', async () => {
    const res = await get(`channels?${MARCH}&campaignId=${S}`)
    expect(res.channels).toEqual([expect.objectContaining({ type: 'paid_search', campaigns: 1, cost: '1000.00', leads: 1, wins: 1, revenue: '3000.00', roiPct: 200 })])
    expect(res.total).toMatchObject({ cost: '1000.00', leads: 1, wins: 1, revenue: '3000.00', costPerLead: '1000.00', costPerWon: '1000.00' })
  })
})

describe('GET /api/v1/analytics/roi-views', () => {
  const none = { leads: 0, costPerLead: null, leadRoi: null }
  it('reports revenue ROI with its short, medium and long-term views, in total and per campaign', async () => {
    expect(await get(`roi-views?${MARCH}`)).toEqual({
      period: { from: '2026-03-01', to: '2026-03-31' },
      model: 'primary_source',
      horizonMonths: 12,
      total: {
        // Cost P 4,000 + S 1,000 + W 2,500 = 7,500; revenue R1 8,000 + R4 3,000 = 11,000: 3,500 ÷ 7,500 = 46.67%.
        cost: '7500.00', revenue: '11000.00', revenueRoiPct: 46.67,
        // L1..L5: 7,500 ÷ 5 = 1,500.00; 5 × 10,000 ÷ 7,500 = 6.67.
        short: { leads: 5, costPerLead: '1500.00', leadRoi: 6.67 },
        // O1 O2 O3 O7 created; L1 and L4 converted: 2 ÷ 5 = 40%; O1 O3 won, O2 lost: 66.67%;
        // O1 7 days after L1, O3 10 days after L4: 8.5; customers A1 A3: 2 × 10,000 ÷ 7,500 = 2.67.
        medium: { opportunities: 4, leadToOpportunityRate: 40, wins: 2, winRate: 66.67, avgDaysLeadToWon: 8.5, customersWon: 2, conversionRoi: 2.67 },
        // A1 from 03-10 to 2027-03-10: R1 8,000 + R3 2,000 + R8 900 = 10,900; A3 from 03-25: R4 3,000 (R6 is before).
        // 13,900 − 7,500 = 6,400 ÷ 7,500 = 85.33%.
        long: { lifetimeRevenue: '13900.00', lifetimeRoiPct: 85.33 },
      },
      campaigns: [
        {
          // 4,000; R1 8,000 (100%); L1 L2 L3: 1,333.33 each, 7.5 per 10,000; O1 O2 created, L1 converted (33.33%),
          // O1 won after 7 days, O2 lost (50%); A1: 2.5; A1 from 03-10: 10,900, (10,900 − 4,000) ÷ 4,000 = 172.5%.
          campaignId: P, name: 'Spring search', code: 'PS-1', type: 'paid_search',
          cost: '4000.00', revenue: '8000.00', revenueRoiPct: 100,
          short: { leads: 3, costPerLead: '1333.33', leadRoi: 7.5 },
          medium: { opportunities: 2, leadToOpportunityRate: 33.33, wins: 1, winRate: 50, avgDaysLeadToWon: 7, customersWon: 1, conversionRoi: 2.5 },
          long: { lifetimeRevenue: '10900.00', lifetimeRoiPct: 172.5 },
        },
        {
          // 1,000; R4 3,000 (200%); L4 converted to O3, won after 10 days; A3 from 03-25: 3,000 (200%).
          campaignId: S, name: 'Spring search retargeting', code: 'PS-1-RT', type: 'paid_search',
          cost: '1000.00', revenue: '3000.00', revenueRoiPct: 200,
          short: { leads: 1, costPerLead: '1000.00', leadRoi: 10 },
          medium: { opportunities: 1, leadToOpportunityRate: 100, wins: 1, winRate: 100, avgDaysLeadToWon: 10, customersWon: 1, conversionRoi: 10 },
          long: { lifetimeRevenue: '3000.00', lifetimeRoiPct: 200 },
        },
        {
          // No revenue: by name, Newsletter before Product webinar.
          campaignId: X, name: 'Newsletter', code: 'EM-1', type: 'email',
          cost: '0.00', revenue: '0.00', revenueRoiPct: null,
          short: none,
          medium: { opportunities: 0, leadToOpportunityRate: null, wins: 0, winRate: null, avgDaysLeadToWon: null, customersWon: 0, conversionRoi: null },
          long: { lifetimeRevenue: '0.00', lifetimeRoiPct: null },
        },
        {
          // 2,500 on 03-01; L5 (1 × 10,000 ÷ 2,500 = 4), not converted; O7 open; O4 was won in February.
          campaignId: W, name: 'Product webinar', code: 'WB-1', type: 'webinar',
          cost: '2500.00', revenue: '0.00', revenueRoiPct: -100,
          short: { leads: 1, costPerLead: '2500.00', leadRoi: 4 },
          medium: { opportunities: 1, leadToOpportunityRate: 0, wins: 0, winRate: null, avgDaysLeadToWon: null, customersWon: 0, conversionRoi: 0 },
          long: { lifetimeRevenue: '0.00', lifetimeRoiPct: -100 },
        },
      ],
    })
  })

  it('follows each won customer for horizonMonths', async () => {
    const lifetime = async (months: number) => {
      const res = await get(`roi-views?${MARCH}&horizonMonths=${months}`)
      expect(res.horizonMonths).toBe(months)
      return [res.total.long.lifetimeRevenue, res.campaigns[0].long.lifetimeRevenue]
    }
    // 1 month: A1 03-10..04-10 has R1 8,000 only, A3 R4 3,000. 4 months: A1 also R3 (06-15). 12: also R8 (2027-01-01).
    expect(await lifetime(1)).toEqual(['11000.00', '8000.00'])
    expect(await lifetime(4)).toEqual(['13000.00', '10000.00'])
    expect(await lifetime(12)).toEqual(['13900.00', '10900.00'])
  })

  it('counts a customer won by two campaigns once in the total', async () => {
    // O8 on W wins A1 again on 03-20: W gains a customer, the total keeps A1 once, from its first win (03-10).
    const O8 = await opportunity({ name: 'O8', campaignId: W, accountId: A1, stage: 'won', createdAt: '2026-03-18T02:00:00Z', closedAt: '2026-03-20T02:00:00Z' })
    try {
      const res = await get(`roi-views?${MARCH}`)
      expect(res.total.medium.customersWon).toBe(2)
      expect(res.total.long.lifetimeRevenue).toBe('13900.00')
      // W: A1 from 03-20 to 2027-03-20: R3 2,000 + R8 900 (R1 is before).
      expect(res.campaigns.find((c: { campaignId: string }) => c.campaignId === W).long.lifetimeRevenue).toBe('2900.00')
    } finally {
      await sql`DELETE FROM opportunities WHERE id = ${O8}`.execute(db)
    }
  })

  it('narrows the total and the campaigns to an owner', async () => {
    const res = await get(`roi-views?${MARCH}&ownerId=${U2}`)
    // Bo's S and W: cost 1,000 + 2,500; revenue R4; L4 L5; A3 → 3,000.
    expect(res.total).toMatchObject({ cost: '3500.00', revenue: '3000.00', short: { leads: 2 }, medium: { customersWon: 1 }, long: { lifetimeRevenue: '3000.00' } })
    expect(res.campaigns.map((c: { campaignId: string }) => c.campaignId)).toEqual([S, W])
  })
})

describe('a model other than primary_source', () => {
  // A touch of W on L1's path before O1 was won: under first_touch O1's 8,000.00 (credited on its last order,
  // 03-10) goes to W. Every other path has no touch and stays with its own campaign.
  beforeAll(async () => {
    const touch = await app.inject({
      method: 'POST', url: '/api/v1/touchpoints', headers: marketing,
      payload: { personType: 'lead', personId: L1, campaignId: W, type: 'ad_click', occurredAt: '2026-03-01T02:00:00.000Z' },
    })
    expect(touch.statusCode, touch.body).toBe(201)
  })

  it('credits revenue in the overview as the attribution service computed it', async () => {
    const res = await get(`overview?${MARCH}&model=first_touch`)
    // Overall the same 11,000 (W 8,000 + S 3,000) and 1,500 before (R5 on W).
    expect(res).toMatchObject({ model: 'first_touch', revenue: { value: '11000.00', previous: '1500.00' }, cost: { value: '7500.00' } })
    // W alone now has O1's 8,000: (8,000 − 2,500) ÷ 2,500 = 220%; 8,000 ÷ 5,000 = 160%.
    expect(await get(`overview?${MARCH}&model=first_touch&type=webinar`)).toMatchObject({
      revenue: { value: '8000.00', previous: '1500.00' }, roiPct: { value: 220 }, achievementPct: { value: 160 },
    })
  })

  it('moves the revenue between channels', async () => {
    const res = await get(`channels?${MARCH}&model=first_touch`)
    // webinar 8,000 ((8,000 − 2,500) ÷ 2,500 = 220%), paid_search S's 3,000 ((3,000 − 5,000) ÷ 5,000 = −40%), email 0.
    expect(res.channels.map((c: { type: string; revenue: string; roiPct: number | null }) => [c.type, c.revenue, c.roiPct])).toEqual([
      ['webinar', '8000.00', 220], ['paid_search', '3000.00', -40], ['email', '0.00', null],
    ])
    expect(res.total).toMatchObject({ revenue: '11000.00', roiPct: 46.67 })
  })

  it('keeps the customers and lifetime revenue with the opportunities\' own campaigns', async () => {
    const res = await get(`roi-views?${MARCH}&model=first_touch`)
    expect(res.total.revenue).toBe('11000.00')
    const byId = new Map(res.campaigns.map((c: { campaignId: string }) => [c.campaignId, c]))
    // W: revenue 8,000 ((8,000 − 2,500) ÷ 2,500 = 220%) but no customer won; P keeps A1 and its 10,900.
    expect(byId.get(W)).toMatchObject({ revenue: '8000.00', revenueRoiPct: 220, medium: { customersWon: 0 }, long: { lifetimeRevenue: '0.00' } })
    expect(byId.get(P)).toMatchObject({ revenue: '0.00', revenueRoiPct: -100, medium: { customersWon: 1 }, long: { lifetimeRevenue: '10900.00' } })
    expect(res.campaigns.map((c: { campaignId: string }) => c.campaignId)).toEqual([W, S, X, P])
  })
})
