import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { createMemoryHistory } from 'vue-router'
import { createAppRouter, loginLocation, routes, safeRedirect } from './router.ts'

function logInAs(role: string) {
  localStorage.setItem('ys.session', JSON.stringify({
    accessToken: 'a', refreshToken: 'r',
    user: { id: 'u', email: 'x@y', name: 'X', role, active: true, locale: 'zh-CN', lastLoginAt: null, createdAt: '', updatedAt: '' },
  }))
}

describe('the router', () => {
  beforeEach(() => {
    localStorage.clear()
    setActivePinia(createPinia())
  })

  it('sends a visitor who is not logged in to the login page, remembering the page', async () => {
    const router = createAppRouter(createMemoryHistory())
    await router.push('/settings/profile?tab=1')
    expect(router.currentRoute.value.name).toBe('login')
    expect(router.currentRoute.value.query.redirect).toBe('/settings/profile?tab=1')
  })

  it('shows the no-access page for a page the role may not open', async () => {
    logInAs('viewer')
    const router = createAppRouter(createMemoryHistory())
    await router.push('/settings/users')
    expect(router.currentRoute.value.name).toBe('forbidden')
  })

  it('lets an admin open the users page', async () => {
    logInAs('admin')
    const router = createAppRouter(createMemoryHistory())
    await router.push('/settings/users')
    expect(router.currentRoute.value.name).toBe('settings-users')
  })

  it('sends a logged-in user away from the login page', async () => {
    logInAs('sales')
    const router = createAppRouter(createMemoryHistory())
    await router.push('/login?redirect=/leads')
    expect(router.currentRoute.value.fullPath).toBe('/leads')
  })

  it('gives every page a title for the browser tab', () => {
    const pages = (records: typeof routes): typeof routes => records.flatMap((r) => [r, ...pages(r.children ?? [])])
    const untitled = pages(routes).filter((r) => r.component && !r.children && !r.meta?.title).map((r) => r.path)
    expect(untitled).toEqual([])
  })

  it('only redirects within the app', () => {
    expect(safeRedirect('/campaigns/1')).toBe('/campaigns/1')
    expect(safeRedirect('//evil.example')).toBe('/dashboard')
    expect(safeRedirect('https://evil.example')).toBe('/dashboard')
    expect(safeRedirect('/\\evil.example')).toBe('/dashboard')
    expect(safeRedirect('/login')).toBe('/dashboard')
    expect(safeRedirect(undefined)).toBe('/dashboard')
  })

  it('remembers the page only when the session expired', () => {
    expect(loginLocation('/orders?page=2', 'expired')).toEqual({ name: 'login', query: { reason: 'expired', redirect: '/orders?page=2' } })
    expect(loginLocation('/orders', 'loggedOut')).toEqual({ name: 'login', query: { reason: 'loggedOut' } })
  })
})
