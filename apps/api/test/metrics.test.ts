import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import type { Db } from '../src/db/database.ts'
import { insertCampaign } from './crm-fixtures.ts'
import { bearer, buildTestApp } from './helper.ts'

const { app, db, tokenFor } = await buildTestApp()
const sales = bearer(await tokenFor('sales'))

const scrape = (headers: Record<string, string> = {}) => app.inject({ url: '/metrics', headers })

/** The value of the sample with exactly these labels, or undefined when there is none. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (!match || match[1] !== name) continue
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]))
    if (JSON.stringify(Object.entries(found).sort()) === JSON.stringify(Object.entries(labels).sort())) return Number(match[3])
  }
  return undefined
}

/** Adds to a campaign's stored revenue behind the API's back, as a bug or a manual edit would. */
async function tamper(database: Db, campaignId: string) {
  await sql`INSERT INTO campaign_rollup_slots (campaign_id, slot, revenue, order_count) VALUES (${campaignId}, 15, 1.00, 1)`.execute(database)
}

// First: the drift check runs on the first scrape and is then reused for a minute.
describe('GET /metrics roll-up drift', () => {
  it('reports how many campaigns drift, checking at most once a minute', async () => {
    await tamper(db, await insertCampaign(db))
    const first = (await scrape()).body
    expect(first).toContain('# TYPE yardstick_rollup_drift_campaigns gauge')
    expect(sample(first, 'yardstick_rollup_drift_campaigns')).toBe(1)

    await tamper(db, await insertCampaign(db))
    expect(sample((await scrape()).body, 'yardstick_rollup_drift_campaigns')).toBe(1)
    const verify = await app.inject({ url: '/api/v1/admin/rollups/verify', headers: bearer(await tokenFor('admin')) })
    expect(verify.json().campaigns).toHaveLength(2)
  })
})

describe('GET /metrics', () => {
  it('answers in the Prometheus text format without a token when METRICS_TOKEN is unset', async () => {
    const res = await scrape()
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/)
  })

  it('times requests by method, route pattern and status code', async () => {
    const campaignId = await insertCampaign(db)
    const order = (await app.inject({ method: 'POST', url: '/api/v1/orders', headers: sales, payload: { amount: '10.00', campaignId } })).json()
    await app.inject({ url: `/api/v1/orders/${order.id}`, headers: sales })
    await app.inject({ url: `/api/v1/orders/${order.id}`, headers: sales })
    await app.inject({ url: `/api/v1/orders/${randomUUID()}`, headers: sales })
    await app.inject({ url: '/api/v1/openapi.json' })

    const text = (await scrape()).body
    expect(text).toContain('# TYPE http_request_duration_seconds histogram')
    const count = (method: string, route: string, status: string) =>
      sample(text, 'http_request_duration_seconds_count', { method, route, status_code: status })
    expect(count('POST', '/api/v1/orders', '201')).toBe(1)
    expect(count('GET', '/api/v1/orders/:id', '200')).toBe(2)
    expect(count('GET', '/api/v1/orders/:id', '404')).toBe(1)
    expect(count('GET', '/api/v1/openapi.json', '200')).toBe(1)
    expect(sample(text, 'http_request_duration_seconds_sum', { method: 'GET', route: '/api/v1/orders/:id', status_code: '200' })).toBeGreaterThan(0)
    expect(sample(text, 'http_request_duration_seconds_bucket', { method: 'GET', route: '/api/v1/orders/:id', status_code: '200', le: '+Inf' })).toBe(2)
    // Patterns, not URLs: one series per route however many records are read.
    expect(text).not.toContain(order.id)
  })

  it('reports the database pool', async () => {
    const text = (await scrape()).body
    expect(sample(text, 'yardstick_db_pool_connections')).toBeGreaterThanOrEqual(1)
    expect(sample(text, 'yardstick_db_pool_idle_connections')).toBeGreaterThanOrEqual(0)
    expect(sample(text, 'yardstick_db_pool_waiting_requests')).toBe(0)
    expect(sample(text, 'yardstick_db_pool_max_connections')).toBe(10)
  })

  it('reports the LISTEN connection of live events and the open streams', async () => {
    const text = (await scrape()).body
    expect(sample(text, 'yardstick_events_listening')).toBe(1)
    expect(sample(text, 'yardstick_events_streams')).toBe(0)
  })

  it('includes the process metrics', async () => {
    const text = (await scrape()).body
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0)
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThanOrEqual(0)
    expect(text).toContain('# TYPE nodejs_heap_size_used_bytes gauge')
  })
})

describe('GET /metrics with METRICS_TOKEN set', async () => {
  const token = 'scrape-me-please-0123456789'
  const guarded = await buildTestApp({ METRICS_TOKEN: token })

  it('answers 401 without the token or with a wrong one', async () => {
    for (const headers of [{}, bearer('not-the-metrics-token'), { authorization: token }]) {
      const res = await guarded.app.inject({ url: '/metrics', headers })
      expect(res.statusCode).toBe(401)
      expect(res.json()).toMatchObject({ statusCode: 401, code: 'unauthorized' })
      expect(res.headers['www-authenticate']).toBe('Bearer')
      expect(res.body).not.toContain('http_request_duration_seconds')
    }
  })

  it('answers with the token', async () => {
    const res = await guarded.app.inject({ url: '/metrics', headers: bearer(token) })
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('yardstick_rollup_drift_campaigns')
  })

  it('leaves the API to its own tokens', async () => {
    expect((await guarded.app.inject({ url: '/api/v1/health' })).statusCode).toBe(200)
    expect((await guarded.app.inject({ url: '/api/v1/me', headers: bearer(token) })).statusCode).toBe(401)
  })
})
