import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { i18n } from '../i18n/index.ts'
import EntitySelect from './EntitySelect.vue'

const CAMPAIGN = '11111111-1111-4111-8111-111111111111'
const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } })

describe('the record picker', () => {
  const fetch = vi.fn<(request: Request) => Promise<Response>>()

  beforeEach(() => {
    i18n.global.locale.value = 'zh-CN'
    vi.stubGlobal('fetch', fetch)
    fetch.mockImplementation(async (request) => {
      const url = new URL(request.url, 'http://localhost')
      // The first page of campaigns does not hold the chosen one, as with many campaigns.
      if (url.pathname === '/api/v1/campaigns') return json({ items: [], total: 300, limit: 20, offset: 0 })
      if (url.pathname === `/api/v1/campaigns/${CAMPAIGN}`) return json({ id: CAMPAIGN, name: '2026 深圳电子展' })
      return new Response(null, { status: 404 })
    })
  })

  afterEach(() => {
    fetch.mockReset()
    vi.unstubAllGlobals()
    document.body.innerHTML = ''
  })

  it('shows the name of a record chosen before its name was known (a link or a shared URL)', async () => {
    const wrapper = mount(EntitySelect, { props: { kind: 'campaign', modelValue: CAMPAIGN }, global: { plugins: [createPinia(), i18n] }, attachTo: document.body })
    await flushPromises()
    await vi.waitFor(() => expect(wrapper.find('.el-select__placeholder').text()).toBe('2026 深圳电子展'))
    wrapper.unmount()
  })
})
