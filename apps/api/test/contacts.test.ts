import { describe, expect, it } from 'vitest'
import { bearer, buildTestApp } from './helper.ts'

const { app, tokenFor } = await buildTestApp()
const sales = bearer(await tokenFor('sales'))
const marketing = bearer(await tokenFor('marketing'))

const account = (await app.inject({ method: 'POST', url: '/api/v1/accounts', headers: sales, payload: { name: 'Contact Co' } })).json()
const other = (await app.inject({ method: 'POST', url: '/api/v1/accounts', headers: sales, payload: { name: 'Other Co' } })).json()
const create = (payload: Record<string, unknown>, headers = sales) =>
  app.inject({ method: 'POST', url: '/api/v1/contacts', headers, payload })

describe('POST /api/v1/contacts', () => {
  it('creates a contact on an account', async () => {
    const res = await create({ name: 'Li Lei', accountId: account.id, email: 'li@contact.example', title: 'CTO' })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({ name: 'Li Lei', accountId: account.id, email: 'li@contact.example', title: 'CTO', phone: null })
  })

  it('names an unknown accountId and a malformed email', async () => {
    const unknown = await create({ name: 'X', accountId: '00000000-0000-4000-8000-000000000000' })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json()).toMatchObject({ code: 'invalid_reference', details: [{ field: 'accountId' }] })
    const email = await create({ name: 'X', email: 'not an email' })
    expect(email.statusCode).toBe(400)
    expect(email.json().details[0].field).toBe('email')
  })

  it('is forbidden to marketing', async () => {
    expect((await create({ name: 'Nope' }, marketing)).statusCode).toBe(403)
  })
})

describe('GET /api/v1/contacts', () => {
  it('filters by account and searches name and email', async () => {
    await create({ name: 'Han Meimei', accountId: other.id, email: 'han@other.example' })
    await create({ name: 'Zhang San', accountId: other.id, email: 'zs@other.example' })
    const byAccount = (await app.inject({ url: `/api/v1/contacts?accountId=${other.id}&sort=name`, headers: marketing })).json()
    expect(byAccount.total).toBe(2)
    expect(byAccount.items.map((c: { name: string }) => c.name)).toEqual(['Han Meimei', 'Zhang San'])
    const search = (await app.inject({ url: '/api/v1/contacts?q=ZS%40', headers: marketing })).json()
    expect(search.items.map((c: { name: string }) => c.name)).toEqual(['Zhang San'])
  })
})

describe('PATCH and DELETE /api/v1/contacts/:id', () => {
  it('moves a contact to another account and reads it back with its counts', async () => {
    const contact = (await create({ name: 'Mover', accountId: account.id })).json()
    const res = await app.inject({ method: 'PATCH', url: `/api/v1/contacts/${contact.id}`, headers: sales, payload: { accountId: other.id } })
    expect(res.statusCode).toBe(200)
    expect(res.json().accountId).toBe(other.id)
    const read = await app.inject({ url: `/api/v1/contacts/${contact.id}`, headers: sales })
    expect(read.json()).toMatchObject({ accountId: other.id, opportunityCount: 0 })
  })

  it('rejects an empty patch', async () => {
    const contact = (await create({ name: 'Still' })).json()
    const res = await app.inject({ method: 'PATCH', url: `/api/v1/contacts/${contact.id}`, headers: sales, payload: {} })
    expect(res.statusCode).toBe(400)
  })

  it('deletes a contact', async () => {
    const contact = (await create({ name: 'Gone' })).json()
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/contacts/${contact.id}`, headers: sales })).statusCode).toBe(204)
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/contacts/${contact.id}`, headers: sales })).statusCode).toBe(404)
  })
})
