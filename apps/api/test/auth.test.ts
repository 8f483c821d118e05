import { describe, expect, it } from 'vitest'
import { buildTestApp, bearer } from './helper.ts'
import { systemContext } from '../src/lib/context.ts'
import { createUser } from '../src/modules/users/users.service.ts'

const { app, db } = await buildTestApp()
const password = 'correct horse battery'
await createUser(db, systemContext('test'), { email: 'Ada@Example.com', name: 'Ada', role: 'sales', password })

const login = (email: string, pw: string) => app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: pw } })

describe('POST /api/v1/auth/login', () => {
  it('returns an access token, a refresh token and the user, matching the email case-insensitively', async () => {
    const res = await login('ada@example.COM', password)
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, user: { email: 'ada@example.com', role: 'sales' } })
    const me = await app.inject({ url: '/api/v1/me', headers: bearer(body.accessToken) })
    expect(me.json()).toMatchObject({ email: 'ada@example.com', name: 'Ada' })
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
})
