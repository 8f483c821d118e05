import { describe, expect, it } from 'vitest'
import { buildTestApp, bearer } from './helper.ts'
import type { Role } from '../src/lib/permissions.ts'

const { app, tokenFor } = await buildTestApp()
const admin = await tokenFor('admin')
const adminUser = (await app.inject({ url: '/api/v1/me', headers: bearer(admin) })).json()
const password = 'correct horse battery'

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'
const api = (method: Method, url: string, token: string, payload?: object) =>
  app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) })

interface CreatedToken { id: string; name: string; token: string; role: Role; lastUsedAt: string | null; revokedAt: string | null }

async function createToken(role: Role, name = `${role} integration`, by = admin): Promise<CreatedToken> {
  const res = await api('POST', '/api/v1/api-tokens', by, { name, role })
  expect(res.statusCode).toBe(201)
  return res.json()
}

const listTokens = async (query = ''): Promise<CreatedToken[]> => (await api('GET', `/api/v1/api-tokens${query}`, admin)).json().items

describe('POST /api/v1/api-tokens', () => {
  it('returns the token with its secret, which starts with ys_', async () => {
    const res = await api('POST', '/api/v1/api-tokens', admin, { name: ' Warehouse sync ', role: 'sales' })
    expect(res.statusCode).toBe(201)
    const body = res.json()
    expect(body).toMatchObject({ name: 'Warehouse sync', role: 'sales', createdBy: adminUser.id, expiresAt: null, lastUsedAt: null, revokedAt: null })
    expect(body.token).toMatch(/^ys_[A-Za-z0-9_-]{30,}$/)
    expect(body.tokenPrefix).toBe(body.token.slice(0, 10))
  })

  it('gives every token its own secret', async () => {
    const [a, b] = [await createToken('viewer', 'twin'), await createToken('viewer', 'twin')]
    expect(a.token).not.toBe(b.token)
  })

  it('accepts an expiry in the future', async () => {
    const expiresAt = new Date(Date.now() + 7 * 86_400_000).toISOString()
    const res = await api('POST', '/api/v1/api-tokens', admin, { name: 'Short-lived', role: 'viewer', expiresAt })
    expect(res.statusCode).toBe(201)
    expect(res.json().expiresAt).toBe(expiresAt)
    expect((await api('GET', '/api/v1/me', res.json().token)).statusCode).toBe(200)
  })

  it('rejects an expiry in the past with 400 naming expiresAt', async () => {
    const res = await api('POST', '/api/v1/api-tokens', admin, { name: 'Stale', role: 'viewer', expiresAt: new Date(Date.now() - 60_000).toISOString() })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'validation_failed', details: [{ field: 'expiresAt' }] })
    expect((await listTokens()).map((t) => t.name)).not.toContain('Stale')
  })

  it('rejects an unknown role and a missing name, naming both', async () => {
    const res = await api('POST', '/api/v1/api-tokens', admin, { role: 'owner' })
    expect(res.statusCode).toBe(400)
    expect(res.json().details.map((d: { field: string }) => d.field).sort()).toEqual(['name', 'role'])
  })

  it.each(['marketing', 'sales', 'viewer'] as const)('is forbidden to %s users', async (role) => {
    const res = await api('POST', '/api/v1/api-tokens', await tokenFor(role), { name: 'Mine', role: 'admin' })
    expect(res.statusCode).toBe(403)
  })

  it('is forbidden to a non-admin API token, which cannot mint itself more power', async () => {
    const sales = await createToken('sales')
    expect((await api('POST', '/api/v1/api-tokens', sales.token, { name: 'Escalated', role: 'admin' })).statusCode).toBe(403)
  })
})

describe('GET /api/v1/api-tokens', () => {
  it('lists tokens without their secrets', async () => {
    const created = await createToken('marketing', 'Listed')
    const res = await api('GET', '/api/v1/api-tokens', admin)
    expect(res.statusCode).toBe(200)
    const listed = res.json().items.find((t: { id: string }) => t.id === created.id)
    expect(listed).toMatchObject({ name: 'Listed', role: 'marketing', tokenPrefix: created.token.slice(0, 10) })
    expect(listed).not.toHaveProperty('token')
    expect(res.body).not.toContain(created.token)
  })

  it('leaves revoked tokens out unless includeRevoked is set', async () => {
    const created = await createToken('viewer', 'Revoked soon')
    await api('DELETE', `/api/v1/api-tokens/${created.id}`, admin)
    expect((await listTokens()).map((t) => t.id)).not.toContain(created.id)
    const withRevoked = await listTokens('?includeRevoked=true')
    expect(withRevoked.find((t) => t.id === created.id)?.revokedAt).toEqual(expect.any(String))
  })

  it.each(['marketing', 'sales', 'viewer'] as const)('is forbidden to %s users', async (role) => {
    expect((await api('GET', '/api/v1/api-tokens', await tokenFor(role))).statusCode).toBe(403)
  })
})

describe('using an API token as a Bearer token', () => {
  it('acts with the token\'s role: a viewer token may read but not create users', async () => {
    const viewer = await createToken('viewer')
    const res = await api('POST', '/api/v1/users', viewer.token, { email: 'via-viewer@example.com', name: 'X', role: 'admin', password })
    expect(res.statusCode).toBe(403)
    expect(res.json().code).toBe('forbidden')
    expect((await api('GET', '/api/v1/users', viewer.token)).statusCode).toBe(403)
  })

  it('acts for the admin who created it: a sales token reads /me as that admin', async () => {
    const sales = await createToken('sales')
    const res = await api('GET', '/api/v1/me', sales.token)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ id: adminUser.id, email: adminUser.email })
  })

  it('lets an admin token manage users', async () => {
    const full = await createToken('admin')
    const res = await api('POST', '/api/v1/users', full.token, { email: 'via-token@example.com', name: 'Via Token', role: 'viewer', password })
    expect(res.statusCode).toBe(201)
  })

  it('records when the token was last used', async () => {
    const created = await createToken('viewer', 'Used once')
    expect(created.lastUsedAt).toBeNull()
    const startedAt = Date.now()
    expect((await api('GET', '/api/v1/me', created.token)).statusCode).toBe(200)
    const listed = (await listTokens()).find((t) => t.id === created.id)!
    expect(new Date(listed.lastUsedAt!).getTime()).toBeGreaterThanOrEqual(startedAt - 1000)
  })

  it('cannot change the password of the admin it acts for', async () => {
    const full = await createToken('admin')
    const res = await api('POST', '/api/v1/me/password', full.token, { oldPassword: password, newPassword: 'taken over by a script' })
    expect(res.statusCode).toBe(403)
  })

  it('rejects a token that was never issued with 401 token_invalid', async () => {
    const res = await api('GET', '/api/v1/me', 'ys_thisTokenWasNeverIssuedByYardstick')
    expect(res.statusCode).toBe(401)
    expect(res.json().code).toBe('token_invalid')
  })

  it('stops working once its expiry has passed', async () => {
    const expiresAt = new Date(Date.now() + 1_000).toISOString()
    const res = await api('POST', '/api/v1/api-tokens', admin, { name: 'Blink', role: 'viewer', expiresAt })
    await new Promise((resolve) => setTimeout(resolve, 1_100))
    const me = await api('GET', '/api/v1/me', res.json().token)
    expect(me.statusCode).toBe(401)
    expect(me.json().code).toBe('token_invalid')
  })
})

describe('DELETE /api/v1/api-tokens/:id', () => {
  it('revokes the token: it fails at once, though it was just used', async () => {
    const created = await createToken('sales', 'Leaked')
    expect((await api('GET', '/api/v1/me', created.token)).statusCode).toBe(200)
    const res = await api('DELETE', `/api/v1/api-tokens/${created.id}`, admin)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ id: created.id, revokedAt: expect.any(String) })
    const after = await api('GET', '/api/v1/me', created.token)
    expect(after.statusCode).toBe(401)
    expect(after.json().code).toBe('token_invalid')
  })

  it('answers 409 invalid_state for a token already revoked', async () => {
    const created = await createToken('viewer')
    await api('DELETE', `/api/v1/api-tokens/${created.id}`, admin)
    const again = await api('DELETE', `/api/v1/api-tokens/${created.id}`, admin)
    expect(again.statusCode).toBe(409)
    expect(again.json().code).toBe('invalid_state')
  })

  it('answers 404 for an id no token has', async () => {
    const res = await api('DELETE', '/api/v1/api-tokens/00000000-0000-4000-8000-000000000000', admin)
    expect(res.statusCode).toBe(404)
    expect(res.json().code).toBe('not_found')
  })

  it.each(['marketing', 'sales', 'viewer'] as const)('is forbidden to %s users, and the token keeps working', async (role) => {
    const created = await createToken('viewer')
    expect((await api('DELETE', `/api/v1/api-tokens/${created.id}`, await tokenFor(role))).statusCode).toBe(403)
    expect((await api('GET', '/api/v1/me', created.token)).statusCode).toBe(200)
  })
})

describe('deactivating the admin who created a token', () => {
  it('disables the token at once', async () => {
    const creator = (await api('POST', '/api/v1/users', admin, { email: 'creator@example.com', name: 'Creator', role: 'admin', password })).json().user
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'creator@example.com', password } })
    const created = await createToken('viewer', 'Orphan', login.json().accessToken)
    expect(created).toMatchObject({ createdBy: creator.id })
    expect((await api('GET', '/api/v1/me', created.token)).statusCode).toBe(200)

    expect((await api('POST', `/api/v1/users/${creator.id}/deactivate`, admin)).statusCode).toBe(200)

    const after = await api('GET', '/api/v1/me', created.token)
    expect(after.statusCode).toBe(401)
    expect(after.json().code).toBe('token_invalid')
  })
})

describe('demoting the admin who created a token', () => {
  it('disables the token at once, so no token keeps more authority than its issuer', async () => {
    const creator = (await api('POST', '/api/v1/users', admin, { email: 'demoted@example.com', name: 'Demoted', role: 'admin', password })).json().user
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'demoted@example.com', password } })
    const created = await createToken('admin', 'Powerful', login.json().accessToken)
    expect((await api('GET', '/api/v1/users', created.token)).statusCode).toBe(200)

    expect((await api('PATCH', `/api/v1/users/${creator.id}`, admin, { role: 'viewer' })).statusCode).toBe(200)

    const after = await api('GET', '/api/v1/users', created.token)
    expect(after.statusCode).toBe(401)
    expect(after.json().code).toBe('token_invalid')
  })
})
