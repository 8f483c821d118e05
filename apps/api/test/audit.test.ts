import { describe, expect, it } from 'vitest'
import { buildTestApp, bearer } from './helper.ts'

const { app, tokenFor } = await buildTestApp()
const admin = await tokenFor('admin')
const adminUser = (await app.inject({ url: '/api/v1/me', headers: bearer(admin) })).json()
const password = 'correct horse battery'

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'
const api = (method: Method, url: string, token: string, payload?: object) =>
  app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) })

interface AuditEntry {
  id: number
  occurredAt: string
  actorUserId: string | null
  actorTokenId: string | null
  actorLabel: string
  entity: string
  entityId: string
  action: string
  changes: Record<string, { before: unknown; after: unknown }>
  requestId: string | null
}

async function audit(query: Record<string, string | number> = {}) {
  const search = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]))
  const res = await api('GET', `/api/v1/audit?${search}`, admin)
  expect(res.statusCode).toBe(200)
  return res.json() as { items: AuditEntry[]; total: number; limit: number; offset: number }
}

/** The entries about one record, oldest first. */
const history = async (entityId: string) => (await audit({ entityId, limit: 500 })).items.reverse()

async function createUser(email: string, role = 'sales', token = admin) {
  const res = await api('POST', '/api/v1/users', token, { email, name: email, role, password })
  expect(res.statusCode).toBe(201)
  return { user: res.json().user as { id: string; email: string }, requestId: res.headers['x-request-id'] }
}

const session = async (email: string, pw = password) =>
  (await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: pw } })).json().accessToken as string

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('what the audit log records', () => {
  it('records a user created by an admin, with who, what, the new values and the request id', async () => {
    const { user, requestId } = await createUser('Audited@Example.com', 'marketing')
    const [entry, ...rest] = await history(user.id)
    expect(rest).toEqual([])
    expect(entry).toMatchObject({
      entity: 'user', entityId: user.id, action: 'create',
      actorUserId: adminUser.id, actorTokenId: null, actorLabel: adminUser.email, requestId,
    })
    expect(entry!.changes).toMatchObject({
      email: { before: null, after: 'audited@example.com' },
      role: { before: null, after: 'marketing' },
      active: { before: null, after: true },
    })
  })

  it('never records a password or its hash', async () => {
    const { user } = await createUser('secretive@example.com')
    await api('POST', `/api/v1/users/${user.id}/reset-password`, admin, { password: 'the reset password' })
    const generated = (await api('POST', `/api/v1/users/${user.id}/reset-password`, admin, {})).json().generatedPassword
    const token = await session('secretive@example.com', generated)
    await api('POST', '/api/v1/me/password', token, { oldPassword: generated, newPassword: 'the changed password' })

    const entries = await history(user.id)
    expect(entries.map((e) => e.action)).toEqual(['create', 'reset_password', 'reset_password', 'change_password'])
    const logged = JSON.stringify(entries)
    for (const secret of [password, 'the reset password', generated, 'the changed password', '$argon2']) {
      expect(logged).not.toContain(secret)
    }
    for (const entry of entries.slice(1)) {
      expect(entry.changes).toEqual({ password: { before: '[redacted]', after: '[redacted]' } })
    }
  })

  it('attributes a password change to the user who made it', async () => {
    const { user } = await createUser('self-service@example.com')
    const token = await session('self-service@example.com')
    await api('POST', '/api/v1/me/password', token, { oldPassword: password, newPassword: 'my own new password' })
    const entry = (await audit({ entityId: user.id, action: 'change_password' })).items[0]
    expect(entry).toMatchObject({ actorUserId: user.id, actorLabel: 'self-service@example.com' })
  })

  it('records only the fields an update changed, with before and after', async () => {
    const { user } = await createUser('before-after@example.com')
    await api('PATCH', `/api/v1/users/${user.id}`, admin, { name: 'After', role: 'sales', locale: 'en' })
    const entry = (await history(user.id)).at(-1)!
    expect(entry).toMatchObject({ action: 'update', actorUserId: adminUser.id })
    expect(entry.changes).toEqual({
      name: { before: 'before-after@example.com', after: 'After' },
      locale: { before: 'zh-CN', after: 'en' },
    })
  })

  it('records a change to my own profile as an update of my user', async () => {
    const { user } = await createUser('profile@example.com')
    const token = await session('profile@example.com')
    await api('PATCH', '/api/v1/me', token, { name: 'Profiled' })
    const entry = (await history(user.id)).at(-1)!
    expect(entry).toMatchObject({ action: 'update', actorUserId: user.id, changes: { name: { before: 'profile@example.com', after: 'Profiled' } } })
  })

  it('records a deactivation as its own action', async () => {
    const { user } = await createUser('deactivated@example.com')
    await api('POST', `/api/v1/users/${user.id}/deactivate`, admin)
    const entry = (await history(user.id)).at(-1)!
    expect(entry).toMatchObject({ action: 'deactivate', actorUserId: adminUser.id, changes: { active: { before: true, after: false } } })
  })

  it('records nothing for a write that was refused', async () => {
    const { user } = await createUser('refused@example.com')
    const sales = await tokenFor('sales')
    const before = (await audit()).total
    expect((await api('POST', '/api/v1/users', admin, { email: 'REFUSED@example.com', name: 'Dup', role: 'sales', password })).statusCode).toBe(409)
    expect((await api('PATCH', `/api/v1/users/${user.id}`, sales, { role: 'admin' })).statusCode).toBe(403)
    expect((await api('PATCH', `/api/v1/users/${user.id}`, admin, { name: 'Renamed', email: adminUser.email })).statusCode).toBe(409)
    expect((await audit()).total).toBe(before)
  })

  it('records creating and revoking an API token, without its secret', async () => {
    const created = (await api('POST', '/api/v1/api-tokens', admin, { name: 'Audited token', role: 'viewer' })).json()
    await api('DELETE', `/api/v1/api-tokens/${created.id}`, admin)
    const [create, revoke] = await history(created.id)
    expect(create).toMatchObject({
      entity: 'api_token', action: 'create', actorUserId: adminUser.id,
      changes: { name: { before: null, after: 'Audited token' }, role: { before: null, after: 'viewer' } },
    })
    expect(revoke).toMatchObject({ entity: 'api_token', action: 'revoke', changes: { revokedAt: { before: null, after: expect.any(String) } } })
    expect(JSON.stringify([create, revoke])).not.toContain(created.token)
  })

  it('attributes a write made with an API token to the token and the admin behind it', async () => {
    const integration = (await api('POST', '/api/v1/api-tokens', admin, { name: 'HR sync', role: 'admin' })).json()
    const { user } = await createUser('hired-by-script@example.com', 'viewer', integration.token)
    const [entry] = await history(user.id)
    expect(entry).toMatchObject({ action: 'create', actorUserId: adminUser.id, actorTokenId: integration.id, actorLabel: 'token:HR sync' })
  })
})

describe('GET /api/v1/audit', async () => {
  // A second admin whose writes the filters can tell apart from everyone else's.
  const { user: auditor } = await createUser('auditor@example.com', 'admin')
  const auditorToken = await session('auditor@example.com')
  const { user: first } = await createUser('filter-first@example.com', 'viewer', auditorToken)
  await sleep(20)
  await api('PATCH', `/api/v1/users/${first.id}`, auditorToken, { name: 'Filter First' })
  await sleep(20)
  const { user: second } = await createUser('filter-second@example.com', 'viewer', auditorToken)
  const byAuditor = (await audit({ actorUserId: auditor.id })).items

  it('lists entries newest first, with the total, limit and offset', async () => {
    const res = await audit()
    expect(res).toMatchObject({ limit: 50, offset: 0 })
    expect(res.total).toBeGreaterThanOrEqual(res.items.length)
    const ids = res.items.map((e) => e.id)
    expect(ids).toEqual([...ids].sort((a, b) => b - a))
  })

  it('filters by the acting user', async () => {
    expect(byAuditor.map((e) => [e.action, e.entityId])).toEqual([
      ['create', second.id],
      ['update', first.id],
      ['create', first.id],
    ])
  })

  it('filters by entity, entity id and action together', async () => {
    const res = await audit({ entity: 'user', entityId: first.id, action: 'update' })
    expect(res.total).toBe(1)
    expect(res.items[0]).toMatchObject({ entityId: first.id, action: 'update', changes: { name: { after: 'Filter First' } } })
    expect((await audit({ entity: 'api_token', entityId: first.id })).total).toBe(0)
    expect((await audit({ entity: 'api_token' })).items.every((e) => e.entity === 'api_token')).toBe(true)
  })

  it('filters by time: from is inclusive, to is exclusive', async () => {
    const update = byAuditor[1]!
    const since = await audit({ actorUserId: auditor.id, from: update.occurredAt })
    expect(since.items.map((e) => e.action)).toEqual(['create', 'update'])
    const until = await audit({ actorUserId: auditor.id, to: update.occurredAt })
    expect(until.items.map((e) => [e.action, e.entityId])).toEqual([['create', first.id]])
    const between = await audit({ actorUserId: auditor.id, from: update.occurredAt, to: byAuditor[0]!.occurredAt })
    expect(between.items.map((e) => e.action)).toEqual(['update'])
  })

  it('pages through the matching entries', async () => {
    const page = await audit({ actorUserId: auditor.id, limit: 2, offset: 1 })
    expect(page).toMatchObject({ total: 3, limit: 2, offset: 1 })
    expect(page.items.map((e) => e.id)).toEqual(byAuditor.slice(1).map((e) => e.id))
    expect((await audit({ actorUserId: auditor.id, limit: 2, offset: 3 })).items).toEqual([])
  })

  it('rejects a malformed actorUserId or time, naming the field', async () => {
    for (const [field, value] of [['actorUserId', 'someone'], ['from', 'yesterday'], ['limit', '0']]) {
      const res = await api('GET', `/api/v1/audit?${field}=${value}`, admin)
      expect(res.statusCode).toBe(400)
      expect(res.json().details).toEqual([expect.objectContaining({ field })])
    }
  })

  it.each(['marketing', 'sales', 'viewer'] as const)('is forbidden to %s users', async (role) => {
    const res = await api('GET', '/api/v1/audit', await tokenFor(role))
    expect(res.statusCode).toBe(403)
    expect(res.json().code).toBe('forbidden')
  })

  it('is forbidden to a non-admin API token', async () => {
    const viewer = (await api('POST', '/api/v1/api-tokens', admin, { name: 'Reader', role: 'viewer' })).json()
    expect((await api('GET', '/api/v1/audit', viewer.token)).statusCode).toBe(403)
  })

  it('needs a token', async () => {
    expect((await app.inject({ url: '/api/v1/audit' })).statusCode).toBe(401)
  })
})
