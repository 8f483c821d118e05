import type { FastifyInstance } from 'fastify'
import { describe, expect, it } from 'vitest'
import { buildTestApp, bearer } from './helper.ts'
import type { Role } from '../src/lib/permissions.ts'

const { app, tokenFor } = await buildTestApp()
const admin = await tokenFor('admin')
const password = 'correct horse battery'

let addresses = 0
const freshAddress = () => `10.1.${Math.floor(++addresses / 250)}.${(addresses % 250) + 1}`

type Method = 'GET' | 'POST' | 'PATCH'
const call = (target: FastifyInstance, method: Method, url: string, token: string, payload?: object) =>
  target.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) })
const api = (method: Method, url: string, token: string, payload?: object) => call(app, method, url, token, payload)

const login = (email: string, pw: string, target = app) =>
  target.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: pw }, remoteAddress: freshAddress() })
const refresh = (refreshToken: string, target = app) =>
  target.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken }, remoteAddress: freshAddress() })

interface NewUser { email: string; name?: string; role?: Role; password?: string }

async function createUser(input: NewUser, target = app, token = admin) {
  const res = await call(target, 'POST', '/api/v1/users', token, { name: input.email, role: 'sales', password, ...input })
  expect(res.statusCode).toBe(201)
  return res.json().user as { id: string; email: string; name: string; role: Role; active: boolean }
}

async function session(email: string, pw = password, target = app): Promise<{ accessToken: string; refreshToken: string }> {
  const res = await login(email, pw, target)
  expect(res.statusCode).toBe(200)
  return res.json()
}

const nonAdmins: Role[] = ['marketing', 'sales', 'viewer']

describe('GET /api/v1/users/directory', () => {
  it('gives every role the names and roles of all users, deactivated ones too, and nothing more', async () => {
    const dora = await createUser({ email: 'directory.dora@example.com', name: 'Directory Dora', role: 'marketing' })
    await api('POST', `/api/v1/users/${dora.id}/deactivate`, admin)
    for (const role of nonAdmins) {
      const res = await api('GET', '/api/v1/users/directory', await tokenFor(role))
      expect(res.statusCode).toBe(200)
      const entry = res.json().items.find((u: { id: string }) => u.id === dora.id)
      expect(entry).toEqual({ id: dora.id, name: 'Directory Dora', role: 'marketing', active: false })
    }
    expect((await app.inject({ url: '/api/v1/users/directory' })).statusCode).toBe(401)
  })
})

describe('GET /api/v1/users', async () => {
  await createUser({ email: 'listy.alpha@example.com', name: 'Listy Alpha', role: 'marketing' })
  await createUser({ email: 'listy.beta@example.com', name: 'Listy Beta', role: 'sales' })
  const gamma = await createUser({ email: 'listy.gamma@example.com', name: 'Listy Gamma', role: 'marketing' })
  await api('POST', `/api/v1/users/${gamma.id}/deactivate`, admin)
  await createUser({ email: 'percent@example.com', name: 'Rate 100% Club', role: 'viewer' })

  const names = (res: { json(): { items: { name: string }[] } }) => res.json().items.map((u) => u.name)

  it('pages through users ordered by name, with the total of all matches', async () => {
    const res = await api('GET', '/api/v1/users?q=listy&limit=2&offset=1', admin)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ total: 3, limit: 2, offset: 1 })
    expect(names(res)).toEqual(['Listy Beta', 'Listy Gamma'])
  })

  it('defaults to the first 50 users', async () => {
    const res = await api('GET', '/api/v1/users', admin)
    expect(res.json()).toMatchObject({ limit: 50, offset: 0 })
    expect(res.json().total).toBeGreaterThanOrEqual(5)
  })

  it('searches name and email case-insensitively', async () => {
    expect(names(await api('GET', '/api/v1/users?q=LISTY%20b', admin))).toEqual(['Listy Beta'])
    expect(names(await api('GET', '/api/v1/users?q=gamma%40EXAMPLE', admin))).toEqual(['Listy Gamma'])
  })

  it('takes % and _ in the search literally', async () => {
    expect(names(await api('GET', '/api/v1/users?q=%25', admin))).toEqual(['Rate 100% Club'])
    expect(names(await api('GET', '/api/v1/users?q=listy_', admin))).toEqual([])
  })

  it('filters by role and by active', async () => {
    expect(names(await api('GET', '/api/v1/users?q=listy&role=marketing', admin))).toEqual(['Listy Alpha', 'Listy Gamma'])
    expect(names(await api('GET', '/api/v1/users?q=listy&active=false', admin))).toEqual(['Listy Gamma'])
    const active = await api('GET', '/api/v1/users?q=listy&role=marketing&active=true', admin)
    expect(names(active)).toEqual(['Listy Alpha'])
    expect(active.json().total).toBe(1)
  })

  it('rejects an unknown role filter naming the field', async () => {
    const res = await api('GET', '/api/v1/users?role=owner', admin)
    expect(res.statusCode).toBe(400)
    expect(res.json().details).toEqual([expect.objectContaining({ field: 'role' })])
  })

  it.each(nonAdmins)('is forbidden to %s users', async (role) => {
    const res = await api('GET', '/api/v1/users', await tokenFor(role))
    expect(res.statusCode).toBe(403)
    expect(res.json().code).toBe('forbidden')
  })

  it('needs a token', async () => {
    expect((await app.inject({ url: '/api/v1/users' })).statusCode).toBe(401)
  })
})

describe('POST /api/v1/users', () => {
  it('creates a user who logs in with the given password, and returns no generated password', async () => {
    const res = await api('POST', '/api/v1/users', admin, { email: 'Grace@Example.com', name: ' Grace Hopper ', role: 'marketing', password: 'cobol forever' })
    expect(res.statusCode).toBe(201)
    const body = res.json()
    expect(body.generatedPassword).toBeUndefined()
    expect(body.user).toMatchObject({ email: 'grace@example.com', name: 'Grace Hopper', role: 'marketing', active: true, lastLoginAt: null })
    const loggedIn = await login('grace@example.com', 'cobol forever')
    expect(loggedIn.statusCode).toBe(200)
    expect(loggedIn.json().user.id).toBe(body.user.id)
  })

  it('generates a password when none is given, returns it once, and it logs in', async () => {
    const res = await api('POST', '/api/v1/users', admin, { email: 'generated@example.com', name: 'Gen', role: 'viewer' })
    expect(res.statusCode).toBe(201)
    const { user, generatedPassword } = res.json()
    expect(generatedPassword).toMatch(/^[A-Za-z0-9]{16}$/)
    const fetched = await api('GET', `/api/v1/users/${user.id}`, admin)
    expect(fetched.body).not.toContain(generatedPassword)
    expect((await login('generated@example.com', generatedPassword)).statusCode).toBe(200)
  })

  it('rejects an email another user has in another case with 409 naming email', async () => {
    await createUser({ email: 'twin@example.com' })
    const res = await api('POST', '/api/v1/users', admin, { email: 'TWIN@Example.COM', name: 'Twin', role: 'sales', password })
    expect(res.statusCode).toBe(409)
    expect(res.json()).toMatchObject({ code: 'conflict', details: [{ field: 'email' }] })
  })

  it('names every invalid field', async () => {
    const res = await api('POST', '/api/v1/users', admin, { email: 'nope', name: '', role: 'owner', password: 'short' })
    expect(res.statusCode).toBe(400)
    expect(res.json().details.map((d: { field: string }) => d.field).sort()).toEqual(['email', 'name', 'password', 'role'])
  })

  it.each(nonAdmins)('is forbidden to %s users', async (role) => {
    const res = await api('POST', '/api/v1/users', await tokenFor(role), { email: `by-${role}@example.com`, name: 'X', role: 'admin', password })
    expect(res.statusCode).toBe(403)
    expect((await login(`by-${role}@example.com`, password)).statusCode).toBe(401)
  })
})

describe('GET /api/v1/users/:id', () => {
  it('returns the user', async () => {
    const user = await createUser({ email: 'fetched@example.com', name: 'Fetched', role: 'viewer' })
    const res = await api('GET', `/api/v1/users/${user.id}`, admin)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual(user)
  })

  it('answers 404 for an id no user has', async () => {
    const res = await api('GET', '/api/v1/users/00000000-0000-4000-8000-000000000000', admin)
    expect(res.statusCode).toBe(404)
    expect(res.json().code).toBe('not_found')
  })

  it('answers 400 for an id that is not a uuid', async () => {
    expect((await api('GET', '/api/v1/users/42', admin)).statusCode).toBe(400)
  })

  it.each(nonAdmins)('is forbidden to %s users', async (role) => {
    const user = await createUser({ email: `peek-${role}@example.com` })
    expect((await api('GET', `/api/v1/users/${user.id}`, await tokenFor(role))).statusCode).toBe(403)
  })
})

describe('PATCH /api/v1/users/:id', () => {
  it('changes name, email, role and locale, and keeps the change', async () => {
    const user = await createUser({ email: 'patchme@example.com', name: 'Patch Me', role: 'viewer' })
    const res = await api('PATCH', `/api/v1/users/${user.id}`, admin, { name: 'Patched', email: 'Patched@Example.com', role: 'marketing', locale: 'en' })
    expect(res.statusCode).toBe(200)
    const expected = { name: 'Patched', email: 'patched@example.com', role: 'marketing', locale: 'en', active: true }
    expect(res.json()).toMatchObject(expected)
    expect((await api('GET', `/api/v1/users/${user.id}`, admin)).json()).toMatchObject(expected)
    expect((await login('patched@example.com', password)).statusCode).toBe(200)
  })

  it('rejects an email another user has with 409 naming email, changing nothing', async () => {
    await createUser({ email: 'taken@example.com' })
    const user = await createUser({ email: 'wants-taken@example.com', name: 'Wants' })
    const res = await api('PATCH', `/api/v1/users/${user.id}`, admin, { email: 'Taken@example.com', name: 'Renamed' })
    expect(res.statusCode).toBe(409)
    expect(res.json()).toMatchObject({ code: 'conflict', details: [{ field: 'email' }] })
    expect((await api('GET', `/api/v1/users/${user.id}`, admin)).json()).toMatchObject({ email: 'wants-taken@example.com', name: 'Wants' })
  })

  it('rejects an empty patch and unknown fields', async () => {
    const user = await createUser({ email: 'empty-patch@example.com' })
    expect((await api('PATCH', `/api/v1/users/${user.id}`, admin, {})).statusCode).toBe(400)
    const unknown = await api('PATCH', `/api/v1/users/${user.id}`, admin, { password: 'sneaky password' })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().details).toEqual([expect.objectContaining({ field: 'password' })])
  })

  it('applies a demotion to the user\'s existing access token at once', async () => {
    const user = await createUser({ email: 'demoted@example.com', role: 'admin' })
    const { accessToken } = await session('demoted@example.com')
    expect((await api('GET', '/api/v1/users', accessToken)).statusCode).toBe(200)
    await api('PATCH', `/api/v1/users/${user.id}`, admin, { role: 'viewer' })
    expect((await api('GET', '/api/v1/users', accessToken)).statusCode).toBe(403)
  })

  it('deactivates with active: false, ending the user\'s sessions', async () => {
    const user = await createUser({ email: 'patch-off@example.com' })
    const { accessToken, refreshToken } = await session('patch-off@example.com')
    const res = await api('PATCH', `/api/v1/users/${user.id}`, admin, { active: false })
    expect(res.json().active).toBe(false)
    expect((await api('GET', '/api/v1/me', accessToken)).statusCode).toBe(401)
    expect((await refresh(refreshToken)).statusCode).toBe(401)
  })

  it('answers 404 for an id no user has', async () => {
    expect((await api('PATCH', '/api/v1/users/00000000-0000-4000-8000-000000000000', admin, { name: 'Nobody' })).statusCode).toBe(404)
  })

  it.each(nonAdmins)('is forbidden to %s users, who cannot promote themselves', async (role) => {
    const token = await tokenFor(role)
    const self = (await api('GET', '/api/v1/me', token)).json()
    const res = await api('PATCH', `/api/v1/users/${self.id}`, token, { role: 'admin' })
    expect(res.statusCode).toBe(403)
    expect((await api('GET', '/api/v1/me', token)).json().role).toBe(role)
  })
})

describe('POST /api/v1/users/:id/deactivate', () => {
  it('deactivates the user: their access token fails at once, their refresh tokens are revoked, and they cannot log in', async () => {
    const user = await createUser({ email: 'leaver@example.com' })
    const { accessToken, refreshToken } = await session('leaver@example.com')
    expect((await api('GET', '/api/v1/me', accessToken)).statusCode).toBe(200)

    const res = await api('POST', `/api/v1/users/${user.id}/deactivate`, admin)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ id: user.id, active: false })

    const me = await api('GET', '/api/v1/me', accessToken)
    expect(me.statusCode).toBe(401)
    expect(me.json().code).toBe('token_invalid')
    expect((await refresh(refreshToken)).statusCode).toBe(401)
    expect((await login('leaver@example.com', password)).statusCode).toBe(401)
  })

  it('lets a reactivated user log in again, but not with the tokens from before', async () => {
    const user = await createUser({ email: 'returner@example.com' })
    const before = await session('returner@example.com')
    await api('POST', `/api/v1/users/${user.id}/deactivate`, admin)
    await api('PATCH', `/api/v1/users/${user.id}`, admin, { active: true })

    expect((await api('GET', '/api/v1/me', before.accessToken)).statusCode).toBe(401)
    expect((await refresh(before.refreshToken)).statusCode).toBe(401)
    const after = await session('returner@example.com')
    expect((await api('GET', '/api/v1/me', after.accessToken)).statusCode).toBe(200)
  })

  it('answers 404 for an id no user has', async () => {
    expect((await api('POST', '/api/v1/users/00000000-0000-4000-8000-000000000000/deactivate', admin)).statusCode).toBe(404)
  })

  it.each(nonAdmins)('is forbidden to %s users', async (role) => {
    const user = await createUser({ email: `survivor-${role}@example.com` })
    expect((await api('POST', `/api/v1/users/${user.id}/deactivate`, await tokenFor(role))).statusCode).toBe(403)
    expect((await api('GET', `/api/v1/users/${user.id}`, admin)).json().active).toBe(true)
  })
})

describe('the last active admin', async () => {
  // A database of its own, so that the admins other tests create do not count.
  const lone = await buildTestApp()
  const firstAdmin = (await call(lone.app, 'GET', '/api/v1/me', await lone.tokenFor('admin'))).json()
  const firstToken = await lone.tokenFor('admin')

  it('cannot be deactivated (409 invalid_state naming active)', async () => {
    const res = await call(lone.app, 'POST', `/api/v1/users/${firstAdmin.id}/deactivate`, firstToken)
    expect(res.statusCode).toBe(409)
    expect(res.json()).toMatchObject({ code: 'invalid_state', details: [{ field: 'active' }] })
    expect((await call(lone.app, 'GET', '/api/v1/me', firstToken)).json().active).toBe(true)
  })

  it('cannot be demoted (409 invalid_state naming role)', async () => {
    const res = await call(lone.app, 'PATCH', `/api/v1/users/${firstAdmin.id}`, firstToken, { role: 'marketing' })
    expect(res.statusCode).toBe(409)
    expect(res.json()).toMatchObject({ code: 'invalid_state', details: [{ field: 'role' }] })
    expect((await call(lone.app, 'GET', '/api/v1/me', firstToken)).json().role).toBe('admin')
  })

  it('is protected even when deactivated admins exist', async () => {
    const former = await createUser({ email: 'former-admin@example.com', role: 'admin' }, lone.app, firstToken)
    expect((await call(lone.app, 'POST', `/api/v1/users/${former.id}/deactivate`, firstToken)).statusCode).toBe(200)
    expect((await call(lone.app, 'POST', `/api/v1/users/${firstAdmin.id}/deactivate`, firstToken)).statusCode).toBe(409)
  })

  it('can step down once another admin is active', async () => {
    const second = await createUser({ email: 'second-admin@example.com', role: 'admin' }, lone.app, firstToken)
    const secondToken = (await session('second-admin@example.com', password, lone.app)).accessToken
    const res = await call(lone.app, 'PATCH', `/api/v1/users/${firstAdmin.id}`, firstToken, { role: 'sales' })
    expect(res.statusCode).toBe(200)
    expect(res.json().role).toBe('sales')
    // Now the second admin is the last one.
    expect((await call(lone.app, 'POST', `/api/v1/users/${second.id}/deactivate`, secondToken)).statusCode).toBe(409)
  })
})

describe('two admins changing each other at the same moment', async () => {
  const race = await buildTestApp()
  const founderToken = await race.tokenFor('admin')
  const founder = (await call(race.app, 'GET', '/api/v1/me', founderToken)).json()
  const partner = await createUser({ email: 'partner-admin@example.com', role: 'admin' }, race.app, founderToken)
  const partnerToken = (await session('partner-admin@example.com', password, race.app)).accessToken

  it('both succeed when they rename each other', async () => {
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all([
        call(race.app, 'PATCH', `/api/v1/users/${partner.id}`, founderToken, { name: `Partner ${round}` }),
        call(race.app, 'PATCH', `/api/v1/users/${founder.id}`, partnerToken, { name: `Founder ${round}` }),
      ])
      expect(results.map((r) => r.statusCode)).toEqual([200, 200])
    }
  })

  it('cannot leave no active admin by deactivating each other', async () => {
    const results = await Promise.all([
      call(race.app, 'POST', `/api/v1/users/${partner.id}/deactivate`, founderToken),
      call(race.app, 'POST', `/api/v1/users/${founder.id}/deactivate`, partnerToken),
    ])
    const codes = results.map((r) => r.statusCode)
    expect(codes.filter((code) => code === 200)).toHaveLength(1)
    // The loser is refused (409), or was already deactivated when its request arrived (401).
    expect(codes.filter((code) => code === 409 || code === 401)).toHaveLength(1)
    const survivor = codes[0] === 200 ? founderToken : partnerToken
    const admins = await call(race.app, 'GET', '/api/v1/users?role=admin&active=true', survivor)
    expect(admins.json().total).toBe(1)
  })
})

describe('POST /api/v1/users/:id/reset-password', () => {
  it('sets the given password and ends the user\'s sessions', async () => {
    const user = await createUser({ email: 'forgot@example.com' })
    const before = await session('forgot@example.com')
    const res = await api('POST', `/api/v1/users/${user.id}/reset-password`, admin, { password: 'brand new secret' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({})
    expect((await api('GET', '/api/v1/me', before.accessToken)).statusCode).toBe(401)
    expect((await refresh(before.refreshToken)).statusCode).toBe(401)
    expect((await login('forgot@example.com', password)).statusCode).toBe(401)
    expect((await login('forgot@example.com', 'brand new secret')).statusCode).toBe(200)
  })

  it('generates a password when none is given, and it logs in', async () => {
    const user = await createUser({ email: 'forgot-again@example.com' })
    const res = await api('POST', `/api/v1/users/${user.id}/reset-password`, admin, {})
    const { generatedPassword } = res.json()
    expect(generatedPassword).toMatch(/^[A-Za-z0-9]{16}$/)
    expect((await login('forgot-again@example.com', generatedPassword)).statusCode).toBe(200)
    expect((await login('forgot-again@example.com', password)).statusCode).toBe(401)
  })

  it('rejects a password shorter than 8 characters naming password', async () => {
    const user = await createUser({ email: 'short-reset@example.com' })
    const res = await api('POST', `/api/v1/users/${user.id}/reset-password`, admin, { password: 'short' })
    expect(res.statusCode).toBe(400)
    expect(res.json().details).toEqual([expect.objectContaining({ field: 'password' })])
  })

  it('answers 404 for an id no user has', async () => {
    expect((await api('POST', '/api/v1/users/00000000-0000-4000-8000-000000000000/reset-password', admin, {})).statusCode).toBe(404)
  })

  it.each(nonAdmins)('is forbidden to %s users', async (role) => {
    const user = await createUser({ email: `victim-${role}@example.com` })
    const res = await api('POST', `/api/v1/users/${user.id}/reset-password`, await tokenFor(role), { password: 'taken over!' })
    expect(res.statusCode).toBe(403)
    expect((await login(`victim-${role}@example.com`, password)).statusCode).toBe(200)
  })
})

describe('GET /api/v1/me', () => {
  it('returns the signed-in user', async () => {
    const user = await createUser({ email: 'me@example.com', name: 'Me Myself', role: 'sales' })
    const { accessToken } = await session('me@example.com')
    const res = await api('GET', '/api/v1/me', accessToken)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ id: user.id, email: 'me@example.com', name: 'Me Myself', role: 'sales' })
  })
})

describe('PATCH /api/v1/me', () => {
  it('changes my name and language', async () => {
    await createUser({ email: 'rename-me@example.com', name: 'Old Name' })
    const { accessToken } = await session('rename-me@example.com')
    const res = await api('PATCH', '/api/v1/me', accessToken, { name: 'New Name', locale: 'en' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ name: 'New Name', locale: 'en' })
    expect((await api('GET', '/api/v1/me', accessToken)).json()).toMatchObject({ name: 'New Name', locale: 'en' })
  })

  it('does not let me change my role, email or active flag', async () => {
    await createUser({ email: 'climber@example.com', role: 'viewer' })
    const { accessToken } = await session('climber@example.com')
    for (const patch of [{ role: 'admin' }, { email: 'ceo@example.com' }, { active: false }]) {
      const res = await api('PATCH', '/api/v1/me', accessToken, patch)
      expect(res.statusCode).toBe(400)
      expect(res.json().details).toEqual([expect.objectContaining({ field: Object.keys(patch)[0] })])
    }
    expect((await api('GET', '/api/v1/me', accessToken)).json()).toMatchObject({ role: 'viewer', email: 'climber@example.com', active: true })
  })
})

describe('POST /api/v1/me/password', () => {
  it('refuses a wrong old password with 400 naming oldPassword, keeping the password', async () => {
    await createUser({ email: 'careful@example.com' })
    const { accessToken } = await session('careful@example.com')
    const res = await api('POST', '/api/v1/me/password', accessToken, { oldPassword: 'not my password', newPassword: 'something else' })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'validation_failed', details: [{ field: 'oldPassword' }] })
    expect((await api('GET', '/api/v1/me', accessToken)).statusCode).toBe(200)
    expect((await login('careful@example.com', password)).statusCode).toBe(200)
    expect((await login('careful@example.com', 'something else')).statusCode).toBe(401)
  })

  it('changes the password: old access and refresh tokens stop working, the new password logs in', async () => {
    await createUser({ email: 'rotator@example.com' })
    const first = await session('rotator@example.com')
    const second = await session('rotator@example.com')
    const res = await api('POST', '/api/v1/me/password', first.accessToken, { oldPassword: password, newPassword: 'a fresh passphrase' })
    expect(res.statusCode).toBe(204)

    for (const old of [first, second]) {
      expect((await api('GET', '/api/v1/me', old.accessToken)).statusCode).toBe(401)
      expect((await refresh(old.refreshToken)).statusCode).toBe(401)
    }
    expect((await login('rotator@example.com', password)).statusCode).toBe(401)
    const after = await session('rotator@example.com', 'a fresh passphrase')
    expect((await api('GET', '/api/v1/me', after.accessToken)).statusCode).toBe(200)
  })

  it('rejects a new password equal to the old one or shorter than 8 characters, naming newPassword', async () => {
    await createUser({ email: 'lazy@example.com' })
    const { accessToken } = await session('lazy@example.com')
    for (const newPassword of [password, 'short']) {
      const res = await api('POST', '/api/v1/me/password', accessToken, { oldPassword: password, newPassword })
      expect(res.statusCode).toBe(400)
      expect(res.json().details).toEqual([expect.objectContaining({ field: 'newPassword' })])
    }
    expect((await api('GET', '/api/v1/me', accessToken)).statusCode).toBe(200)
  })
})
