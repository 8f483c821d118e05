import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import { i18n } from '../../../i18n/index.ts'
import CostLedger from './CostLedger.vue'

const CAMPAIGN = '11111111-1111-4111-8111-111111111111'
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

const entry = (id: string, date: string, category: string, amount: string, note: string | null = null) => ({
  id, campaignId: CAMPAIGN, date, category, amount, note, createdBy: null, createdAt: '2026-03-01T08:00:00.000Z', updatedAt: '2026-03-01T08:00:00.000Z',
})
const BOOTH = entry('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaa1', '2026-03-02', 'venue', '12000.00', '展位费')
const ADS = entry('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbb1', '2026-03-01', 'media', '8000.50')

describe('the cost ledger tab', () => {
  const fetch = vi.fn<(request: Request) => Promise<Response>>()
  const sent: { method: string; path: string; query: string; body: unknown }[] = []
  let entries = [BOOTH, ADS]

  beforeEach(() => {
    i18n.global.locale.value = 'zh-CN'
    localStorage.setItem('ys.session', JSON.stringify({
      accessToken: 'a', refreshToken: 'r',
      user: { id: 'u', email: 'x@y', name: 'X', role: 'marketing', active: true, locale: 'zh-CN', lastLoginAt: null, createdAt: '', updatedAt: '' },
    }))
    entries = [BOOTH, ADS]
    sent.length = 0
    vi.stubGlobal('fetch', fetch)
    fetch.mockImplementation(async (request) => {
      const url = new URL(request.url, 'http://localhost')
      const body = request.method === 'GET' || request.method === 'DELETE' ? undefined : await request.json()
      sent.push({ method: request.method, path: url.pathname, query: url.search, body })
      const base = `/api/v1/campaigns/${CAMPAIGN}/costs`
      if (request.method === 'GET' && url.pathname === base) {
        const sum = entries.reduce((cents, e) => cents + Math.round(Number(e.amount) * 100), 0)
        const byCategory = entries.map((e) => ({ category: e.category, amount: e.amount, entries: 1 }))
        return json(200, { items: entries, total: entries.length, limit: 20, offset: 0, amount: (sum / 100).toFixed(2), byCategory })
      }
      if (request.method === 'POST' && url.pathname === base) {
        const created = { ...entry('cccccccc-cccc-4ccc-8ccc-ccccccccccc1', '', '', ''), ...(body as object) }
        entries = [created, ...entries]
        return json(201, created)
      }
      if (request.method === 'DELETE' && url.pathname === `${base}/${BOOTH.id}`) {
        entries = entries.filter((e) => e.id !== BOOTH.id)
        return new Response(null, { status: 204 })
      }
      if (url.pathname === '/api/v1/users/directory') return json(200, { items: [] })
      return json(404, { statusCode: 404, code: 'not_found', message: 'no' })
    })
  })

  const mounted: ReturnType<typeof mount>[] = []
  afterEach(() => {
    for (const wrapper of mounted.splice(0)) wrapper.unmount()
    fetch.mockReset()
    vi.unstubAllGlobals()
    localStorage.clear()
    document.body.innerHTML = ''
  })

  async function mountLedger() {
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { render: () => null } }] })
    const wrapper = mount(CostLedger, { props: { campaignId: CAMPAIGN, campaignCode: 'EXPO-SZ' }, global: { plugins: [createPinia(), i18n, router] }, attachTo: document.body })
    mounted.push(wrapper)
    await flushPromises()
    await vi.waitFor(() => expect(wrapper.text()).toContain('展位费'))
    return wrapper
  }

  it('lists the entries with their category and the ledger\'s total', async () => {
    const wrapper = await mountLedger()
    const rows = wrapper.findAll('.el-table__body tr')
    expect(rows).toHaveLength(2)
    expect(rows[0]!.text()).toContain('场地')
    expect(rows[0]!.text()).toContain('¥12,000.00')
    expect(rows[1]!.text()).toContain('媒体投放')
    expect(wrapper.find('[data-test=cost-total]').text()).toBe('¥20,000.50')
  })

  it('adds an entry with POST, then refreshes the total and tells the page', async () => {
    const wrapper = await mountLedger()
    await wrapper.find('[data-test=cost-add]').trigger('click')
    await flushPromises()
    const amount = document.querySelector<HTMLInputElement>('input[data-test=cost-amount]')!
    amount.value = '999.5'
    amount.dispatchEvent(new Event('input'))
    await flushPromises()
    document.querySelector<HTMLButtonElement>('[data-test=cost-save]')!.click()
    await vi.waitFor(() => expect(sent.find((r) => r.method === 'POST')?.body).toMatchObject({ category: 'media', amount: '999.5', note: null }))
    await vi.waitFor(() => expect(wrapper.find('[data-test=cost-total]').text()).toBe('¥21,000.00'))
    expect(wrapper.emitted('changed')).toHaveLength(1)
  })

  it('exports every entry of the ledger as a CSV Excel opens in Chinese', async () => {
    const names: string[] = []
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download)
    })
    const blobs: Blob[] = []
    const created = vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob)
      return 'blob:costs'
    })
    const revoked = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {})
    const wrapper = await mountLedger()
    await wrapper.find('[data-test=cost-export-csv]').trigger('click')
    await vi.waitFor(() => expect(names).toEqual(['yardstick-costs-expo-sz.csv']))
    // ignoreBOM keeps the byte order mark in the text instead of swallowing it.
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await blobs[0]!.arrayBuffer())
    expect(text).toBe('\uFEFF日期,类别,金额,备注,录入人\r\n2026-03-02,场地,12000.00,展位费,\r\n2026-03-01,媒体投放,8000.50,,\r\n')
    expect(sent.filter((r) => r.method === 'GET' && r.path.endsWith('/costs')).at(-1)!.query).toContain('limit=500')
    for (const spy of [click, created, revoked]) spy.mockRestore()
  })

  it('refuses a zero amount before sending anything', async () => {
    const wrapper = await mountLedger()
    await wrapper.find('[data-test=cost-add]').trigger('click')
    await flushPromises()
    const amount = document.querySelector<HTMLInputElement>('input[data-test=cost-amount]')!
    amount.value = '0'
    amount.dispatchEvent(new Event('input'))
    document.querySelector<HTMLButtonElement>('[data-test=cost-save]')!.click()
    await vi.waitFor(() => expect(document.body.textContent).toContain('金额必须大于 0'))
    expect(sent.some((r) => r.method === 'POST')).toBe(false)
  })
})
