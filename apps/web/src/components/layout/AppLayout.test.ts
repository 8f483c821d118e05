import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import { i18n } from '../../i18n/index.ts'
import AppLayout from './AppLayout.vue'

function stubScreen(narrow: boolean) {
  vi.stubGlobal('matchMedia', (query: string) => ({
    matches: narrow, media: query, addEventListener: vi.fn(), removeEventListener: vi.fn(),
  }))
}

describe('the layout\'s sidebar', () => {
  beforeEach(() => {
    i18n.global.locale.value = 'zh-CN'
    localStorage.setItem('ys.session', JSON.stringify({
      accessToken: 'a', refreshToken: 'r',
      user: { id: 'u', email: 'x@y', name: 'X', role: 'marketing', active: true, locale: 'zh-CN', lastLoginAt: null, createdAt: '', updatedAt: '' },
    }))
    // The change feed the layout opens: never answering is enough here.
    vi.stubGlobal('fetch', vi.fn(() => new Promise(() => {})))
  })

  afterEach(() => {
    vi.unstubAllGlobals()
    localStorage.clear()
  })

  async function asideWidth() {
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { render: () => null } }] })
    const wrapper = mount(AppLayout, { global: { plugins: [createPinia(), i18n, router] } })
    await flushPromises()
    const width = wrapper.find('aside').attributes('style')
    wrapper.unmount()
    return width
  }

  it('is folded on a phone, whatever was chosen on a wide screen', async () => {
    stubScreen(true)
    expect(await asideWidth()).toContain('64px')
    expect(localStorage.getItem('ys.sidebar.collapsed')).toBeNull()
  })

  it('follows the remembered choice on a wide screen', async () => {
    stubScreen(false)
    expect(await asideWidth()).toContain('216px')
    localStorage.setItem('ys.sidebar.collapsed', '1')
    expect(await asideWidth()).toContain('64px')
  })
})
