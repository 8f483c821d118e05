import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { buildApp } from '../src/app.ts'
import { createDb, createPool } from '../src/db/database.ts'
import { systemContext } from '../src/lib/context.ts'
import { createOrderInTransaction } from '../src/modules/orders/orders.service.ts'
import { insertCampaign } from './crm-fixtures.ts'
import { bearer, buildTestApp, TEST_JWT_SECRET, testConfig } from './helper.ts'
import { openSse, type SseClient, type SseEvent } from './sse-client.ts'

// Two API processes on one database in all but name: each its own app, pool and LISTEN connection.
const { app: first, db, database, tokenFor } = await buildTestApp()
const secondPool = createPool(database.url, 5)
const second = await buildApp({ config: testConfig(), db: createDb(secondPool), pool: secondPool, jwtSecret: TEST_JWT_SECRET })
await second.ready()
afterAll(async () => {
  await second.close()
  await secondPool.end()
})
const firstUrl = await first.listen({ port: 0, host: '127.0.0.1' })

const sales = bearer(await tokenFor('sales'))
const viewerToken = await tokenFor('viewer')

const clients: SseClient[] = []
afterAll(() => {
  for (const client of clients) client.close()
})
async function subscribe(token = viewerToken, baseUrl = firstUrl): Promise<SseClient> {
  const client = await openSse(`${baseUrl}/api/v1/events`, token)
  clients.push(client)
  await client.next((e) => e.event === 'ready')
  return client
}

const data = (event: SseEvent) => JSON.parse(event.data) as Record<string, unknown>
const change = (entity: string, action: string, id?: string) => (event: SseEvent) =>
  event.event === 'change' && data(event).entity === entity && data(event).action === action && (id === undefined || data(event).id === id)

async function createOrderVia(app: FastifyInstance, payload: Record<string, unknown>): Promise<{ id: string }> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/orders', headers: sales, payload })
  expect(res.statusCode, res.body).toBe(201)
  return res.json()
}

describe('GET /api/v1/events', () => {
  it('opens an event stream that starts with a retry hint and a ready event', async () => {
    const client = await subscribe()
    expect(client.status).toBe(200)
    expect(client.headers.get('content-type')).toMatch(/^text\/event-stream/)
    expect(client.headers.get('cache-control')).toContain('no-cache')
    expect(client.headers.get('x-request-id')).toBeTruthy()
    expect(client.events[0]).toMatchObject({ retry: 3000 })
    expect(client.events[1]).toMatchObject({ event: 'ready', data: JSON.stringify({ live: true }) })
  })

  it('tells a viewer on one API process about an order created through another, within 2 seconds', async () => {
    const client = await subscribe()
    const campaignId = await insertCampaign(db)
    const started = Date.now()
    const order = await createOrderVia(second, { amount: '120.00', campaignId })
    const event = await client.next(change('order', 'create', order.id), 2_000)
    expect(Date.now() - started).toBeLessThan(2_000)
    expect(event.id).toBe(data(event).eventId)
    expect(data(event)).toEqual({ eventId: expect.any(String), entity: 'order', id: order.id, action: 'create', campaignIds: [campaignId], at: expect.any(String) })
  })

  it('answers 401 to an anonymous caller', async () => {
    const res = await first.inject({ url: '/api/v1/events' })
    expect(res.statusCode).toBe(401)
    expect(res.json()).toMatchObject({ code: 'unauthorized' })
  })

  it('sends nothing for a write that rolled back', async () => {
    const client = await subscribe()
    const campaignId = await insertCampaign(db)
    let rolledBack: string | undefined
    await expect(db.transaction().execute(async (trx) => {
      rolledBack = (await createOrderInTransaction(trx, systemContext('test'), { amountCents: 5_000n, campaignId })).id
      throw new Error('the caller gives up')
    })).rejects.toThrow('the caller gives up')
    // Notifications arrive in commit order: once this one is here, the other would have been too.
    const committed = await createOrderVia(first, { amount: '70.00', campaignId })
    await client.next(change('order', 'create', committed.id))
    expect(rolledBack).toBeDefined()
    expect(client.events.filter((e) => e.event === 'change' && data(e).id === rolledBack)).toEqual([])
  })

  it('names both campaigns when an opportunity moves to another one, and announces the order of a win', async () => {
    const client = await subscribe()
    const [from, to] = [await insertCampaign(db), await insertCampaign(db)]
    const created = await second.inject({ method: 'POST', url: '/api/v1/opportunities', headers: sales, payload: { name: 'Relinked', amount: '900.00', campaignId: from } })
    const opportunityId = created.json().id as string
    await client.next(change('opportunity', 'create', opportunityId))

    await second.inject({ method: 'PATCH', url: `/api/v1/opportunities/${opportunityId}`, headers: sales, payload: { campaignId: to } })
    expect(data(await client.next(change('opportunity', 'update', opportunityId))).campaignIds).toEqual([from, to])

    const won = await second.inject({ method: 'POST', url: `/api/v1/opportunities/${opportunityId}/win`, headers: sales, payload: {} })
    expect(won.statusCode, won.body).toBe(201)
    expect(data(await client.next(change('opportunity', 'win', opportunityId))).campaignIds).toEqual([to])
    expect(data(await client.next(change('order', 'create', won.json().id))).campaignIds).toEqual([to])
  })

  it('sends one event without ids for a bulk assignment of many leads', async () => {
    const client = await subscribe()
    const campaignId = await insertCampaign(db)
    const leadIds: string[] = []
    for (let i = 0; i < 3; i++) {
      const res = await first.inject({ method: 'POST', url: '/api/v1/leads', headers: sales, payload: { name: `Lead ${i}`, campaignId, ownerId: null } })
      leadIds.push(res.json().id)
    }
    const assigned = await first.inject({ method: 'POST', url: '/api/v1/leads/bulk-assign', headers: sales, payload: { leadIds, ownerId: null } })
    expect(assigned.json()).toEqual({ updated: 0 })
    const owner = await first.inject({ url: '/api/v1/me', headers: sales })
    await first.inject({ method: 'POST', url: '/api/v1/leads/bulk-assign', headers: sales, payload: { leadIds, ownerId: owner.json().id } })
    const event = await client.next(change('lead', 'assign'))
    expect(data(event)).toMatchObject({ id: null, campaignIds: [campaignId] })
    expect(client.events.filter(change('lead', 'assign'))).toHaveLength(1)
  })

  it('listens again after its database connection is terminated, tells clients to resync, and delivers again', async () => {
    const client = await subscribe()
    const { rows } = await sql<{ pid: number }>`
      SELECT pg_terminate_backend(pid) AS terminated, pid FROM pg_stat_activity
      WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()`.execute(db)
    // One LISTEN connection per API process.
    expect(rows).toHaveLength(2)

    await client.next((e) => e.event === 'resync', 10_000)
    expect(first.changeListener.listening).toBe(true)
    const campaignId = await insertCampaign(db)
    const order = await createOrderVia(second, { amount: '33.00', campaignId })
    await client.next(change('order', 'create', order.id), 2_000)
  })

  it('lets go of a stream whose client went away', async () => {
    const before = first.changeListener.subscriberCount
    const client = await subscribe()
    expect(first.changeListener.subscriberCount).toBe(before + 1)
    client.close()
    await expect.poll(() => first.changeListener.subscriberCount, { timeout: 2_000 }).toBe(before)
  })

  it('ends open streams when the app closes, so that closing does not hang', async () => {
    const pool = createPool(database.url, 2)
    const third = await buildApp({ config: testConfig(), db: createDb(pool), pool, jwtSecret: TEST_JWT_SECRET })
    const url = await third.listen({ port: 0, host: '127.0.0.1' })
    const client = await subscribe(viewerToken, url)
    const started = Date.now()
    await third.close()
    await client.closed
    expect(Date.now() - started).toBeLessThan(2_000)
    await pool.end()
  })
})

describe('an API process that cannot LISTEN', () => {
  it('starts all the same and warns that live updates are off', async () => {
    const lines: string[] = []
    const pool = createPool('postgres://nobody@127.0.0.1:1/nothing', 1)
    const app = await buildApp({
      config: testConfig({ LOG_LEVEL: 'warn' }), db: createDb(pool), pool, jwtSecret: TEST_JWT_SECRET, logStream: { write: (line) => lines.push(line) },
    })
    await app.ready()
    expect(app.changeListener.listening).toBe(false)
    expect(lines.join('')).toContain('live change events are off')
    await app.close()
    await pool.end()
  })
})
