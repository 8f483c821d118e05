// `pnpm bench`: each figure beside a baseline measured in the same run, as a Markdown table.
import { load, printTable, startBenchServer, type Row } from './harness.ts'
import { attributionBenchmarks } from './attribution.ts'
import { roiChainBenchmarks } from './roi-chain.ts'

const server = await startBenchServer()
const rows: Row[] = []
try {
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
  await roiChainBenchmarks(server, rows)
  await attributionBenchmarks(server, rows)
} finally {
  await server.stop()
}
printTable(rows)
