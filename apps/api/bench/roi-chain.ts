import { sql } from 'kysely'
import { load, percentiles, type BenchServer, type Row } from './harness.ts'

const CAMPAIGNS = 1_000

/** Campaigns for the write benchmarks and the list at scale, inserted directly (no audit). */
async function seedCampaigns(server: BenchServer): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    INSERT INTO campaigns (name, code, type, status, budget, actual_cost, expected_revenue)
    SELECT 'Bench ' || i, 'B' || i,
           (ARRAY['paid_search','trade_show','conference','traditional_ad','promotion','webinar','email','content','social','other'])[1 + i % 10],
           'active', 100000, 10000 + (i % 97) * 500, 200000 + (i % 89) * 1000
    FROM generate_series(1, ${CAMPAIGNS}) AS i
    RETURNING id
  `.execute(server.db)
  return rows.map((r) => r.id)
}

/** Order writes through the HTTP API: spread over all campaigns, all on one, and with no campaign (no roll-up). */
async function orderWrites(server: BenchServer, campaignIds: string[], rows: Row[]): Promise<void> {
  const headers = { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' }
  const post = (campaignOf: () => string | null) =>
    load({
      url: `${server.url}/api/v1/orders`,
      method: 'POST',
      headers,
      requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ amount: '1234.56', campaignId: campaignOf() }) }) }],
    })
  const withoutRollup = await post(() => null)
  const spread = await post(() => campaignIds[Math.floor(Math.random() * campaignIds.length)]!)
  const hot = await post(() => campaignIds[0]!)
  for (const [name, result, target] of [
    ['order writes/s, roll-up on, 1,000 campaigns', spread, '≥ 4,000/s; roll-up costs ≤ 15%'],
    ['order writes/s, roll-up on, one hot campaign', hot, '≥ 3,000/s'],
  ] as const) {
    rows.push({
      benchmark: `${name} (50 clients, errors ${result.errors})`,
      value: String(result.requestsPerSecond),
      baseline: `${withoutRollup.requestsPerSecond} (same writes, no campaign)`,
      ratio: (result.requestsPerSecond / withoutRollup.requestsPerSecond).toFixed(2),
      target,
    })
  }
}

/** Confirmed orders spread over the campaigns, inserted in SQL, then the slots rebuilt from them. */
async function seedOrders(server: BenchServer, count: number): Promise<void> {
  await sql`
    INSERT INTO orders (campaign_id, amount, order_date, status)
    SELECT c.ids[1 + (i % ${CAMPAIGNS})], (100 + (i % 9973))::numeric(18,2), current_date - (i % 365),
           CASE WHEN i % 20 = 0 THEN 'cancelled' ELSE 'confirmed' END
    FROM generate_series(1, ${count}) AS i,
         (SELECT array_agg(id ORDER BY id) AS ids FROM campaigns) AS c
  `.execute(server.db)
  // Settle what a bulk load leaves behind, or autovacuum would run during the measurement.
  await sql`VACUUM ANALYZE orders`.execute(server.db)
}

// The same figures as the list, computed the plain way: aggregating the orders on every read.
const PLAIN_AGGREGATE = sql`
  SELECT c.id, c.name, coalesce(o.revenue, 0) AS actual_revenue,
         (coalesce(o.revenue, 0) - c.actual_cost) / nullif(c.actual_cost, 0) AS roi
  FROM campaigns c
  LEFT JOIN (SELECT campaign_id, sum(amount) AS revenue FROM orders WHERE status = 'confirmed' GROUP BY campaign_id) o
    ON o.campaign_id = c.id
  ORDER BY roi DESC NULLS LAST, c.id
  LIMIT 50
`

async function time(samples: number, run: () => Promise<unknown>): Promise<number[]> {
  const ms: number[] = []
  for (let i = 0; i < samples; i++) {
    const start = process.hrtime.bigint()
    await run()
    ms.push(Number(process.hrtime.bigint() - start) / 1e6)
  }
  return ms
}

async function campaignList(server: BenchServer, rows: Row[]): Promise<void> {
  const headers = { authorization: `Bearer ${server.token}` }
  const list = async () => {
    const res = await fetch(`${server.url}/api/v1/campaigns?limit=50&sort=roi&order=desc`, { headers })
    if (res.status !== 200) throw new Error(`campaign list failed: ${res.status} ${await res.text()}`)
    return res.json()
  }
  const rebuild = () => fetch(`${server.url}/api/v1/admin/rollups/rebuild`, { method: 'POST', headers })
  const measure = async () => {
    await time(20, list) // warm-up
    return percentiles(await time(200, list))
  }
  await seedOrders(server, 1_000_000)
  await rebuild()
  await sql`VACUUM ANALYZE campaign_rollup_slots`.execute(server.db)
  const atOneMillion = await measure()
  await time(2, () => PLAIN_AGGREGATE.execute(server.db))
  const plain = percentiles(await time(20, () => PLAIN_AGGREGATE.execute(server.db)))
  rows.push({
    benchmark: 'campaign list with figures over HTTP, 1,000 campaigns, 1M orders: p50 / p95 ms',
    value: `${atOneMillion.p50.toFixed(1)} / ${atOneMillion.p95.toFixed(1)}`,
    baseline: `${plain.p50.toFixed(1)} / ${plain.p95.toFixed(1)} (plain aggregate over orders, SQL only)`,
    ratio: `${(plain.p95 / atOneMillion.p95).toFixed(1)}× faster`,
    target: 'p95 ≤ 20 ms; ≥ 10× faster',
  })

  await seedOrders(server, 1_000_000)
  await rebuild()
  await sql`VACUUM ANALYZE campaign_rollup_slots`.execute(server.db)
  const atTwoMillion = await measure()
  rows.push({
    benchmark: 'campaign list with figures, 2M orders: p50 / p95 ms',
    value: `${atTwoMillion.p50.toFixed(1)} / ${atTwoMillion.p95.toFixed(1)}`,
    baseline: `${atOneMillion.p95.toFixed(1)} (p95 at 1M)`,
    ratio: (atTwoMillion.p95 / atOneMillion.p95).toFixed(2),
    target: 'flat (≈ 1.0)',
  })
}

export async function roiChainBenchmarks(server: BenchServer, rows: Row[]): Promise<void> {
  const campaignIds = await seedCampaigns(server)
  await orderWrites(server, campaignIds, rows)
  await sql`TRUNCATE orders, campaign_rollup_slots, audit_log`.execute(server.db)
  await campaignList(server, rows)
}
