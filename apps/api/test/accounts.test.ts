import { describe, expect, it } from 'vitest'
import { bearer, buildTestApp } from './helper.ts'

const { app, tokenFor } = await buildTestApp()
const sales = bearer(await tokenFor('sales'))
const marketing = bearer(await tokenFor('marketing'))
const viewer = bearer(await tokenFor('viewer'))
const salesId = (await app.inject({ url: '/api/v1/me', headers: sales })).json().id as string

const create = (payload: Record<string, unknown>, headers = sales) =>
  app.inject({ method: 'POST', url: '/api/v1/accounts', headers, payload })
const list = (query: string, headers = viewer) => app.inject({ url: `/api/v1/accounts?${query}`, headers })

describe('POST /api/v1/accounts', () => {
  it('creates an account owned by the caller, with ISO timestamps', async () => {
    const res = await create({ name: '  Acme Ltd ', industry: 'Manufacturing', size: '200-500', region: 'East', website: 'https://acme.example' })
    expect(res.statusCode).toBe(201)
    const body = res.json()
    expect(body).toMatchObject({ name: 'Acme Ltd', industry: 'Manufacturing', size: '200-500', region: 'East', phone: null, ownerId: salesId })
    expect(new Date(body.createdAt).toISOString()).toBe(body.createdAt)
    expect(body.updatedAt).toBe(body.createdAt)
  })

  it('names a blank name and an unknown field, writing nothing', async () => {
    const before = (await list('q=zzz')).json().total
    const blank = await create({ name: '   ' })
    expect(blank.statusCode).toBe(400)
    expect(blank.json().details).toEqual([{ field: 'name', message: 'must not be blank' }])
    const unknown = await create({ name: 'zzz', colour: 'red' })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().details[0].field).toBe('colour')
    expect((await list('q=zzz')).json().total).toBe(before)
  })

  it('rejects an owner that is no user, naming ownerId', async () => {
    const res = await create({ name: 'Ghost owned', ownerId: '00000000-0000-4000-8000-000000000000' })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'invalid_reference', details: [{ field: 'ownerId' }] })
  })

  it('is forbidden to marketing and viewers', async () => {
    expect((await create({ name: 'Nope' }, marketing)).statusCode).toBe(403)
    expect((await create({ name: 'Nope' }, viewer)).statusCode).toBe(403)
  })
})

describe('GET /api/v1/accounts', () => {
  it('filters, searches by name, sorts and pages with a total', async () => {
    for (const [name, region] of [['Paging Alpha', 'North'], ['Paging Beta', 'South'], ['Paging Gamma', 'North'], ['paging delta', 'North']]) {
      expect((await create({ name, region, industry: 'Paging' })).statusCode).toBe(201)
    }
    const page1 = (await list('q=paging&region=North&sort=name&order=asc&limit=2')).json()
    expect(page1.total).toBe(3)
    expect(page1.items.map((a: { name: string }) => a.name)).toEqual(['Paging Alpha', 'paging delta'])
    expect(page1).toMatchObject({ limit: 2, offset: 0 })
    const page2 = (await list('q=paging&region=North&sort=name&order=asc&limit=2&offset=2')).json()
    expect(page2.items.map((a: { name: string }) => a.name)).toEqual(['Paging Gamma'])
    const desc = (await list('industry=Paging&sort=name&order=desc')).json()
    expect(desc.items.map((a: { name: string }) => a.name)).toEqual(['Paging Gamma', 'paging delta', 'Paging Beta', 'Paging Alpha'])
  })

  it('lists newest first without a sort', async () => {
    const items = (await list('industry=Paging')).json().items as { createdAt: string }[]
    const times = items.map((a) => a.createdAt)
    expect([...times].sort().reverse()).toEqual(times)
  })

  it('takes a search term with LIKE wildcards literally', async () => {
    await create({ name: '100% Cotton Co' })
    const res = (await list('q=100%25')).json()
    expect(res.items.map((a: { name: string }) => a.name)).toEqual(['100% Cotton Co'])
    expect((await list('q=%25%25%25')).json().total).toBe(0)
  })

  it('rejects an unknown sort field', async () => {
    const res = await list('sort=colour')
    expect(res.statusCode).toBe(400)
    expect(res.json().details[0].field).toBe('sort')
  })
})

describe('GET, PATCH and DELETE /api/v1/accounts/:id', () => {
  it('reads an account with its related counts', async () => {
    const account = (await create({ name: 'Counted' })).json()
    await app.inject({ method: 'POST', url: '/api/v1/contacts', headers: sales, payload: { name: 'Ann', accountId: account.id } })
    const res = await app.inject({ url: `/api/v1/accounts/${account.id}`, headers: viewer })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ id: account.id, contactCount: 1, opportunityCount: 0, orderCount: 0 })
  })

  it('updates only the fields sent, clears a field with null, and audits the change', async () => {
    const account = (await create({ name: 'Patchable', phone: '123', region: 'West' })).json()
    const res = await app.inject({ method: 'PATCH', url: `/api/v1/accounts/${account.id}`, headers: sales, payload: { phone: null, industry: 'Retail' } })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ name: 'Patchable', phone: null, industry: 'Retail', region: 'West' })
    const admin = bearer(await tokenFor('admin'))
    const audit = (await app.inject({ url: `/api/v1/audit?entity=account&entityId=${account.id}`, headers: admin })).json()
    expect(audit.items.map((e: { action: string }) => e.action)).toEqual(['update', 'create'])
    expect(audit.items[0].changes).toEqual({ phone: { before: '123', after: null }, industry: { before: null, after: 'Retail' } })
  })

  it('answers 404 for an unknown account', async () => {
    const res = await app.inject({ url: '/api/v1/accounts/00000000-0000-4000-8000-000000000000', headers: viewer })
    expect(res.statusCode).toBe(404)
  })

  it('deletes an unused account (204) and refuses one a contact still points at (409)', async () => {
    const unused = (await create({ name: 'Unused' })).json()
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/accounts/${unused.id}`, headers: sales })).statusCode).toBe(204)
    expect((await app.inject({ url: `/api/v1/accounts/${unused.id}`, headers: sales })).statusCode).toBe(404)

    const used = (await create({ name: 'Used' })).json()
    await app.inject({ method: 'POST', url: '/api/v1/contacts', headers: sales, payload: { name: 'Bob', accountId: used.id } })
    const res = await app.inject({ method: 'DELETE', url: `/api/v1/accounts/${used.id}`, headers: sales })
    expect(res.statusCode).toBe(409)
    expect(res.json().message).toMatch(/1 contacts/)
    expect((await app.inject({ url: `/api/v1/accounts/${used.id}`, headers: sales })).statusCode).toBe(200)
  })
})
