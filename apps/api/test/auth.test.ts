import { describe, expect, it } from 'vitest'
import { buildTestApp, bearer } from './helper.ts'
import { systemContext } from '../src/lib/context.ts'
import { createUser, updateUser } from '../src/modules/users/users.service.ts'

const { app, db } = await buildTestApp()
const password = 'correct horse battery'
const ada = (await createUser(db, systemContext('test'), { email: 'Ada@Example.com', name: 'Ada', role: 'sales', password })).user

// Each request comes from its own address unless a test says otherwise, so the per-IP
// limit on the auth routes only comes into play in the test about it.
let addresses = 0
const freshAddress = () => `10.0.${Math.floor(++addresses / 250)}.${(addresses % 250) + 1}`

const login = (email: string, pw: string, remoteAddress = freshAddress()) =>
  app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: pw }, remoteAddress })
const refresh = (refreshToken: string) =>
  app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken }, remoteAddress: freshAddress() })
const logout = (refreshToken: string) =>
  app.inject({ method: 'POST', url: '/api/v1/auth/logout', payload: { refreshToken }, remoteAddress: freshAddress() })
const me = (accessToken: string) => app.inject({ url: '/api/v1/me', headers: bearer(accessToken) })

async function session(email = 'ada@example.com', pw = password): Promise<{ accessToken: string; refreshToken: string }> {
  const res = await login(email, pw)
  expect(res.statusCode).toBe(200)
  return res.json()
}

async function newUser(email: string, role: 'sales' | 'viewer' = 'sales') {
  return (await createUser(db, systemContext('test'), { email, name: email, role, password })).user
}

describe('POST /api/v1/auth/login', () => {
  it('returns an access token, a refresh token and the user, matching the email case-insensitively', async () => {
    const res = await login('ada@example.COM', password)
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, user: { email: 'ada@example.com', role: 'sales' } })
    const me = await app.inject({ url: '/api/v1/me', headers: bearer(body.accessToken) })
    expect(me.json()).toMatchObject({ email: 'ada@example.com', name: 'Ada' })
  })

  it('records when the user last logged in', async () => {
    const { accessToken } = await session()
    const res = await me(accessToken)
    expect(Date.now() - new Date(res.json().lastLoginAt).getTime()).toBeLessThan(60_000)
  })

  it('answers a wrong email and a wrong password alike', async () => {
    const wrongPassword = await login('ada@example.com', 'not the password')
    const wrongEmail = await login('nobody@example.com', password)
    expect(wrongPassword.statusCode).toBe(401)
    expect(wrongEmail.statusCode).toBe(401)
    expect(wrongPassword.json()).toEqual(wrongEmail.json())
    expect(wrongPassword.json().code).toBe('invalid_credentials')
  })

  it('names every bad field of a malformed body', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'not-an-email', pasword: 'x' } })
    expect(res.statusCode).toBe(400)
    expect(res.json().details.map((d: { field: string }) => d.field).sort()).toEqual(['email', 'password', 'pasword'])
  })

  it('answers a deactivated user with the right password exactly like a wrong password', async () => {
    const gone = await newUser('gone@example.com')
    await updateUser(db, systemContext('test'), gone.id, { active: false })
    const deactivated = await login('gone@example.com', password)
    const wrongPassword = await login('ada@example.com', 'not the password either')
    expect(deactivated.statusCode).toBe(401)
    expect(deactivated.json()).toEqual(wrongPassword.json())
  })
})

describe('locking an email after failed logins', () => {
  it('locks an email after five failures: the next attempt, even with the right password, gets 429 with Retry-After', async () => {
    await newUser('locked@example.com')
    for (let i = 0; i < 5; i++) {
      expect((await login('locked@example.com', `wrong password ${i}`)).statusCode).toBe(401)
    }
    const res = await login('locked@example.com', password)
    expect(res.statusCode).toBe(429)
    expect(res.json().code).toBe('too_many_requests')
    const retryAfter = Number(res.headers['retry-after'])
    expect(retryAfter).toBeGreaterThan(14 * 60)
    expect(retryAfter).toBeLessThanOrEqual(15 * 60)
  })

  it('leaves other emails unaffected by the lock', async () => {
    await newUser('neighbour@example.com')
    for (let i = 0; i < 5; i++) await login('target@example.com', `wrong password ${i}`)
    expect((await login('target@example.com', password)).statusCode).toBe(429)
    expect((await login('neighbour@example.com', password)).statusCode).toBe(200)
  })

  it('counts failures against the email however it is cased', async () => {
    await newUser('cased@example.com')
    for (let i = 0; i < 5; i++) await login(i % 2 ? 'CASED@example.com' : 'Cased@Example.com', `wrong password ${i}`)
    expect((await login('cased@example.com', password)).statusCode).toBe(429)
  })

  it('does not lock before the fifth failure, and a successful login forgets earlier failures', async () => {
    await newUser('forgetful@example.com')
    for (let i = 0; i < 4; i++) await login('forgetful@example.com', `wrong password ${i}`)
    expect((await login('forgetful@example.com', password)).statusCode).toBe(200)
    for (let i = 0; i < 4; i++) await login('forgetful@example.com', `wrong password ${i}`)
    expect((await login('forgetful@example.com', password)).statusCode).toBe(200)
  })
})

describe('the per-address rate limit on POST /api/v1/auth/login', () => {
  it('answers the 21st request from one address within a minute with 429, while other addresses go on', async () => {
    await newUser('busy@example.com')
    const address = '203.0.113.7'
    for (let i = 0; i < 20; i++) {
      expect((await login('busy@example.com', password, address)).statusCode).toBe(200)
    }
    const limited = await login('busy@example.com', password, address)
    expect(limited.statusCode).toBe(429)
    expect(limited.json()).toMatchObject({ statusCode: 429, code: 'too_many_requests' })
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
    expect((await login('busy@example.com', password, '203.0.113.8')).statusCode).toBe(200)
  })
})

describe('POST /api/v1/auth/refresh', () => {
  it('returns a new token pair whose access token works', async () => {
    const first = await session()
    const res = await refresh(first.refreshToken)
    expect(res.statusCode).toBe(200)
    const second = res.json()
    expect(second).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, user: { id: ada.id } })
    expect(second.refreshToken).not.toBe(first.refreshToken)
    expect((await me(second.accessToken)).json().id).toBe(ada.id)
    expect((await refresh(second.refreshToken)).statusCode).toBe(200)
  })

  it('refuses a refresh token that was already exchanged', async () => {
    const { refreshToken } = await session()
    expect((await refresh(refreshToken)).statusCode).toBe(200)
    const again = await refresh(refreshToken)
    expect(again.statusCode).toBe(401)
    expect(again.json().code).toBe('token_invalid')
  })

  it('ends the whole session when a used refresh token is replayed, but not other sessions', async () => {
    const stolen = await session()
    const rotated = (await refresh(stolen.refreshToken)).json()
    const newest = (await refresh(rotated.refreshToken)).json()
    const otherDevice = await session()

    expect((await refresh(stolen.refreshToken)).statusCode).toBe(401)

    const afterReplay = await refresh(newest.refreshToken)
    expect(afterReplay.statusCode).toBe(401)
    expect(afterReplay.json().code).toBe('token_invalid')
    expect((await refresh(otherDevice.refreshToken)).statusCode).toBe(200)
  })

  it('refuses an unknown refresh token', async () => {
    const res = await refresh('not-a-token-we-ever-issued')
    expect(res.statusCode).toBe(401)
    expect(res.json().code).toBe('token_invalid')
  })
})

describe('POST /api/v1/auth/logout', () => {
  it('revokes the refresh token so it can no longer be exchanged', async () => {
    const { refreshToken } = await session()
    const res = await logout(refreshToken)
    expect(res.statusCode).toBe(204)
    expect((await refresh(refreshToken)).statusCode).toBe(401)
  })

  it('ends the session the token belongs to and no other', async () => {
    const first = await session()
    const rotated = (await refresh(first.refreshToken)).json()
    const otherDevice = await session()
    await logout(rotated.refreshToken)
    expect((await refresh(rotated.refreshToken)).statusCode).toBe(401)
    expect((await refresh(otherDevice.refreshToken)).statusCode).toBe(200)
  })

  it('answers 204 for a token it does not know, telling nothing', async () => {
    expect((await logout('not-a-token-we-ever-issued')).statusCode).toBe(204)
  })
})

describe('access tokens', () => {
  it('rejects an expired access token with 401 token_expired', async () => {
    const anHourAgo = Math.floor(Date.now() / 1000) - 3600
    const expired = app.jwt.sign({ sub: ada.id, role: 'sales', tv: 0, iat: anHourAgo })
    const res = await me(expired)
    expect(res.statusCode).toBe(401)
    expect(res.json().code).toBe('token_expired')
    expect(res.headers['www-authenticate']).toBe('Bearer')
  })

  it('rejects a token whose payload was altered with 401 token_invalid', async () => {
    const { accessToken } = await session()
    const [header, payload, signature] = accessToken.split('.')
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString())
    const forged = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')
    const res = await app.inject({ url: '/api/v1/users', headers: bearer(`${header}.${forged}.${signature}`) })
    expect(res.statusCode).toBe(401)
    expect(res.json().code).toBe('token_invalid')
  })

  it('rejects a token with a broken signature with 401 token_invalid', async () => {
    const { accessToken } = await session()
    const last = accessToken.at(-2) === 'A' ? 'B' : 'A'
    const res = await me(`${accessToken.slice(0, -2)}${last}${accessToken.at(-1)}`)
    expect(res.statusCode).toBe(401)
    expect(res.json().code).toBe('token_invalid')
  })

  it('asks for a token when none is sent', async () => {
    const res = await app.inject({ url: '/api/v1/me' })
    expect(res.statusCode).toBe(401)
    expect(res.json().code).toBe('unauthorized')
    expect(res.headers['www-authenticate']).toBe('Bearer')
  })

  it('rejects an Authorization header that is not "Bearer <token>"', async () => {
    const res = await app.inject({ url: '/api/v1/me', headers: { authorization: 'Basic YWRhOnB3' } })
    expect(res.statusCode).toBe(401)
    expect(res.json().code).toBe('token_invalid')
  })
})
