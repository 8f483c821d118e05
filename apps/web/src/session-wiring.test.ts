import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory } from 'vue-router'
import { createApiClient } from './api/client.ts'
import { createAppRouter } from './router.ts'
import { wireSession } from './session-wiring.ts'
import { useSessionStore } from './stores/session.ts'

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
const unauthorized = () => json(401, { statusCode: 401, error: 'Unauthorized', code: 'token_invalid', message: 'x' })

describe('the session wiring', () => {
  beforeEach(() => {
    localStorage.clear()
    localStorage.setItem('ys.session', JSON.stringify({
      accessToken: 'old', refreshToken: 'spent',
      user: { id: 'u', email: 'x@y', name: 'X', role: 'sales', active: true, locale: 'zh-CN', lastLoginAt: null, createdAt: '', updatedAt: '' },
    }))
    setActivePinia(createPinia())
  })

  afterEach(() => vi.unstubAllGlobals())

  it('sends the user to the login page, remembering the page, when the refresh is refused', async () => {
    // Every call is refused, the refresh included.
    vi.stubGlobal('fetch', vi.fn(async () => unauthorized()))
    const session = useSessionStore()
    const router = createAppRouter(createMemoryHistory())
    const client = createApiClient({ baseUrl: 'http://crm.test' })
    wireSession(session, router, client)
    await router.push('/settings/profile?tab=password')

    await client.GET('/api/v1/me')
    await flushPromises()
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('login'))

    expect(router.currentRoute.value.query).toEqual({ reason: 'expired', redirect: '/settings/profile?tab=password' })
    expect(session.isAuthenticated).toBe(false)
    expect(localStorage.getItem('ys.session')).toBeNull()
  })

  it('sends the user to the login page without a way back after logging out', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(null, { status: 204 })))
    const session = useSessionStore()
    const router = createAppRouter(createMemoryHistory())
    wireSession(session, router, createApiClient({ baseUrl: 'http://crm.test' }))
    await router.push('/settings/profile')

    await session.logout()
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('login'))
    expect(router.currentRoute.value.query).toEqual({ reason: 'loggedOut' })
  })
})
