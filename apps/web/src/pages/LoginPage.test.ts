import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import { i18n } from '../i18n/index.ts'
import LoginPage from './LoginPage.vue'

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })
const user = {
  id: '00000000-0000-4000-8000-000000000001', email: 'admin@localhost', name: '管理员', role: 'admin', active: true,
  locale: 'zh-CN', lastLoginAt: null, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
}

async function login(answer: () => Promise<Response>, query: Record<string, string> = {}) {
  const fetch = vi.fn(answer)
  vi.stubGlobal('fetch', fetch)
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/login', name: 'login', component: LoginPage },
      { path: '/:rest(.*)*', component: { template: '<p>elsewhere</p>' } },
    ],
  })
  await router.push({ path: '/login', query })
  const wrapper = mount(LoginPage, { global: { plugins: [createPinia(), i18n, router] }, attachTo: document.body })
  await wrapper.find('input[name="email"]').setValue('admin@localhost')
  await wrapper.find('input[name="password"]').setValue('not-the-password')
  await wrapper.find('form').trigger('submit')
  for (let i = 0; i < 5; i++) await flushPromises()
  return { wrapper, router, fetch }
}

const errorText = (wrapper: Awaited<ReturnType<typeof login>>['wrapper']) => wrapper.find('[role="alert"]').text()

describe('the login page', () => {
  beforeEach(() => {
    localStorage.clear()
    i18n.global.locale.value = 'zh-CN'
  })

  afterEach(() => {
    vi.unstubAllGlobals()
    document.body.innerHTML = ''
  })

  it('says the email or password is wrong on a 401', async () => {
    const { wrapper, fetch } = await login(async () => json(401, { statusCode: 401, error: 'Unauthorized', code: 'invalid_credentials', message: 'x' }))
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(errorText(wrapper)).toBe('邮箱或密码错误，请重新输入。')
    // The password is cleared for the next try; the email stays.
    expect((wrapper.find('input[name="password"]').element as HTMLInputElement).value).toBe('')
    expect((wrapper.find('input[name="email"]').element as HTMLInputElement).value).toBe('admin@localhost')
  })

  it('says the account is locked, with the minutes from Retry-After', async () => {
    const { wrapper } = await login(async () => json(429, { statusCode: 429, error: 'Too Many Requests', code: 'too_many_requests', message: 'x' }, { 'retry-after': '541' }))
    expect(errorText(wrapper)).toBe('登录失败次数过多，账号已暂时锁定，请 10 分钟后再试。')
  })

  it('says the server cannot be reached on a network error', async () => {
    const { wrapper } = await login(async () => { throw new TypeError('Failed to fetch') })
    expect(errorText(wrapper)).toBe('无法连接到服务器，请检查网络或稍后再试。')
  })

  it('says the server cannot be reached when it answers 503', async () => {
    const { wrapper } = await login(async () => json(503, { statusCode: 503, error: 'Service Unavailable', code: 'service_unavailable', message: 'db down' }))
    expect(errorText(wrapper)).toBe('无法连接到服务器，请检查网络或稍后再试。')
  })

  it('speaks English after a switch', async () => {
    i18n.global.locale.value = 'en'
    const { wrapper } = await login(async () => json(401, { statusCode: 401, error: 'Unauthorized', code: 'invalid_credentials', message: 'x' }))
    expect(errorText(wrapper)).toBe('Wrong email or password. Please try again.')
  })

  it('goes back to the page the user came from after logging in', async () => {
    const { router } = await login(async () => json(200, { accessToken: 'a', refreshToken: 'r', tokenType: 'Bearer', expiresIn: 900, user }), { redirect: '/campaigns?status=active' })
    expect(router.currentRoute.value.fullPath).toBe('/campaigns?status=active')
  })

  it('refuses to redirect to another site', async () => {
    const { router } = await login(async () => json(200, { accessToken: 'a', refreshToken: 'r', tokenType: 'Bearer', expiresIn: 900, user }), { redirect: '//evil.example/' })
    expect(router.currentRoute.value.fullPath).toBe('/dashboard')
  })

  it('asks for the email and password before calling the server', async () => {
    vi.stubGlobal('fetch', vi.fn())
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/login', component: LoginPage }] })
    await router.push('/login')
    const wrapper = mount(LoginPage, { global: { plugins: [createPinia(), i18n, router] }, attachTo: document.body })
    await wrapper.find('form').trigger('submit')
    for (let i = 0; i < 5; i++) await flushPromises()
    // Element Plus shows a field's message after a short debounce.
    await vi.waitFor(() => {
      expect(wrapper.text()).toContain('请输入邮箱')
      expect(wrapper.text()).toContain('请输入密码')
    })
    expect(fetch).not.toHaveBeenCalled()
  })
})
