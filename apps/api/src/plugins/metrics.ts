import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { createHash, timingSafeEqual } from 'node:crypto'
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import { DomainError } from '../errors.ts'
import { verifyRollups } from '../modules/rollups/rollups.service.ts'

/** The roll-up check reads every order: a scraper polling every few seconds must not run it each time. */
export const DRIFT_CHECK_INTERVAL_MS = 60_000

// CPU, memory, event loop and GC describe the process, not an app: one registry for them per
// process, however many apps it builds (the tests build dozens).
let processRegistry: Registry | undefined
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry()
    collectDefaultMetrics({ register: processRegistry })
  }
  return processRegistry
}

/** compute() at most once per interval; callers in between share its last result (or its run in flight). */
export function atMostEvery<T>(intervalMs: number, compute: () => Promise<T>): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | undefined
  return () => {
    if (!last || Date.now() - last.at >= intervalMs) last = { at: Date.now(), value: compute() }
    return last.value
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest()

/**
 * `GET /metrics` in Prometheus text format: request latencies by route, this process's pool and
 * event streams, roll-up drift, and the process's own metrics. Each app has its own registry.
 */
export default fp(async function metrics(app: FastifyInstance) {
  const registry = new Registry()
  const { pool, changeListener } = app

  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer a request, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [registry],
  })
  app.addHook('onResponse', async (request, reply) => {
    // An event stream lasts as long as its client stays: that is no latency.
    if (String(reply.raw.getHeader('content-type') ?? '').startsWith('text/event-stream')) return
    duration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    )
  })

  const gauge = (name: string, help: string, read: () => number | Promise<number>) => new Gauge({
    name, help, registers: [registry],
    async collect() {
      this.set(await read())
    },
  })
  gauge('yardstick_db_pool_connections', 'Connections open in this process\'s database pool', () => pool.totalCount)
  gauge('yardstick_db_pool_idle_connections', 'Open pool connections not in use', () => pool.idleCount)
  gauge('yardstick_db_pool_waiting_requests', 'Queries waiting for a free pool connection', () => pool.waitingCount)
  gauge('yardstick_db_pool_max_connections', 'The pool\'s size (DATABASE_POOL_SIZE)', () => pool.options.max ?? 10)
  gauge('yardstick_events_listening', '1 while this process LISTENs for change events, 0 while it reconnects', () => (changeListener.listening ? 1 : 0))
  gauge('yardstick_events_streams', 'Open event streams (GET /api/v1/events) served by this process', () => changeListener.subscriberCount)

  const driftingCampaigns = atMostEvery(DRIFT_CHECK_INTERVAL_MS, async () => {
    try {
      return (await verifyRollups(app.db)).campaigns.length
    } catch (error) {
      app.log.warn({ err: error }, 'metrics: the roll-up check failed')
      return Number.NaN
    }
  })
  gauge(
    'yardstick_rollup_drift_campaigns',
    'Campaigns whose stored revenue differs from a recompute from their orders (checked at most once a minute; NaN when the check failed). Anything above 0 wants POST /api/v1/admin/rollups/rebuild.',
    driftingCampaigns,
  )

  const token = app.config.metricsToken === null ? null : digest(app.config.metricsToken)
  app.get('/metrics', {
    config: { access: 'public', rateLimit: false },
    schema: { hide: true },
  }, async (request, reply) => {
    if (token) {
      const sent = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1]
      if (!sent || !timingSafeEqual(digest(sent), token)) {
        throw new DomainError(401, 'unauthorized', 'Send the metrics token: Authorization: Bearer <METRICS_TOKEN>', undefined, { 'www-authenticate': 'Bearer' })
      }
    }
    const text = `${await registry.metrics()}\n${await processMetrics().metrics()}`
    return reply.header('content-type', registry.contentType).header('cache-control', 'no-store').send(text)
  })
}, { name: 'metrics', dependencies: ['db', 'change-listener'] })
