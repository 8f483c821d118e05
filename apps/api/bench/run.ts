// `pnpm bench`: each figure beside a baseline measured in the same run, as a Markdown table.
//
// BENCH_ONLY runs some parts alone: a comma-separated list of auth, roi-chain, attribution and
// analytics (all of them by default), e.g. `BENCH_ONLY=analytics npx tsx bench/run.ts`.
// SCALE (default 1) shrinks the analytics data alike, e.g. SCALE=0.01 to try the generator out.
import { load, printTable, startBenchServer, type Row } from './harness.ts'
import { analyticsBenchmarks } from './analytics.ts'
import { attributionBenchmarks } from './attribution.ts'
import { roiChainBenchmarks } from './roi-chain.ts'

const PARTS = ['auth', 'roi-chain', 'attribution', 'analytics'] as const
const only = (process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '')
const unknown = only.filter((s) => !(PARTS as readonly string[]).includes(s))
if (unknown.length > 0) throw new Error(`BENCH_ONLY: unknown part(s) ${unknown.join(', ')}; the parts are ${PARTS.join(', ')}`)
const runs = (part: (typeof PARTS)[number]) => only.length === 0 || only.includes(part)

const server = await startBenchServer()
const rows: Row[] = []
try {
  if (runs('auth')) {
    // Authentication on every request (JWT + cached user state) against the unauthenticated health check.
    const health = await load({ url: `${server.url}/api/v1/health` })
    const me = await load({ url: `${server.url}/api/v1/me`, headers: { authorization: `Bearer ${server.token}` } })
    rows.push({
      benchmark: 'GET /me req/s (auth + 1 query), 50 clients',
      value: String(me.requestsPerSecond),
      baseline: `${health.requestsPerSecond} (GET /health)`,
      ratio: (me.requestsPerSecond / health.requestsPerSecond).toFixed(2),
      target: 'auth costs ≤ 50%',
    })
  }
  if (runs('roi-chain')) await roiChainBenchmarks(server, rows)
  if (runs('attribution')) await attributionBenchmarks(server, rows)
  // Last: it empties the CRM tables and loads its own two years of history.
  if (runs('analytics')) await analyticsBenchmarks(server, rows)
} finally {
  await server.stop()
}
printTable(rows)
