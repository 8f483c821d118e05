import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import type { Campaign } from '../../api/types.ts'
import { i18n } from '../../i18n/index.ts'
import CampaignFormDialog from './CampaignFormDialog.vue'

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

const EXISTING: Campaign = {
  id: '11111111-1111-4111-8111-111111111111', name: '秋季展会', code: 'EXPO-AUTUMN', type: 'trade_show', status: 'active',
  startDate: '2026-09-01', endDate: '2026-09-03', budget: '50000.00', actualCost: '42000.00', expectedRevenue: '200000.00',
  description: null, parentId: null, ownerId: null, actualRevenue: '0.00', achievementPct: 0, roiPct: -100,
  createdAt: '2026-08-01T00:00:00.000Z', updatedAt: '2026-08-01T00:00:00.000Z',
}

function mountDialog(campaign: Campaign | null = null) {
  const Host = defineComponent({
    setup: () => {
      // An edit opens after mounting, as on the page: the form fills itself when it opens.
      const open = ref(campaign === null)
      if (campaign) setTimeout(() => (open.value = true))
      return () => h(CampaignFormDialog, { modelValue: open.value, 'onUpdate:modelValue': (v: boolean) => (open.value = v), campaign })
    },
  })
  return mount(Host, { global: { plugins: [createPinia(), i18n] }, attachTo: document.body })
}

async function fill(selector: string, value: string) {
  const input = document.querySelector<HTMLInputElement>(selector)!
  input.value = value
  input.dispatchEvent(new Event('input'))
  await flushPromises()
}

describe('the campaign form', () => {
  const fetch = vi.fn<(request: Request) => Promise<Response>>()

  beforeEach(() => {
    i18n.global.locale.value = 'zh-CN'
    vi.stubGlobal('fetch', fetch)
    // Lists behind the pickers (parent campaign, owners) answer empty.
    fetch.mockImplementation(async (request) => (request.method === 'GET' ? json(200, { items: [], total: 0, limit: 20, offset: 0 }) : json(500, {})))
  })

  afterEach(() => {
    fetch.mockReset()
    vi.unstubAllGlobals()
    document.body.innerHTML = ''
  })

  it('sends money as the strings typed, and shows the server\'s error at the field', async () => {
    mountDialog()
    await flushPromises()
    let sent: unknown
    fetch.mockImplementation(async (request) => {
      if (request.method !== 'POST') return json(200, { items: [], total: 0, limit: 20, offset: 0 })
      sent = await request.json()
      return json(409, { statusCode: 409, error: 'Conflict', code: 'conflict', message: 'taken', details: [{ field: 'code', message: 'is already taken' }] })
    })
    await fill('input[data-test=campaign-name]', '2026 春季展会')
    await fill('input[data-test=campaign-code]', 'EXPO-2026')
    await fill('input[data-test=campaign-cost]', '20000.5')
    await fill('input[data-test=campaign-expected]', '100000')
    document.querySelector<HTMLButtonElement>('[data-test=campaign-submit]')!.click()
    for (let i = 0; i < 5; i++) await flushPromises()

    expect(sent).toMatchObject({ name: '2026 春季展会', code: 'EXPO-2026', actualCost: '20000.5', expectedRevenue: '100000', budget: '0' })
    const codeItem = document.querySelector('input[data-test=campaign-code]')!.closest('.el-form-item')!
    await vi.waitFor(() => expect(codeItem.textContent).toContain('已被占用'))
  })

  it('shows an existing campaign\'s spend as the ledger\'s sum, read-only, and never sends it', async () => {
    mountDialog(EXISTING)
    await vi.waitFor(() => expect(document.querySelector<HTMLInputElement>('input[data-test=campaign-cost]')?.value).toBe('42000.00'))
    let sent: unknown
    fetch.mockImplementation(async (request) => {
      if (request.method !== 'PATCH') return json(200, { items: [], total: 0, limit: 20, offset: 0 })
      sent = await request.json()
      return json(200, EXISTING)
    })
    expect(document.querySelector<HTMLInputElement>('input[data-test=campaign-cost]')!.disabled).toBe(true)
    expect(document.body.textContent).toContain('营销支出由费用明细合计得出')
    document.querySelector<HTMLButtonElement>('[data-test=campaign-submit]')!.click()
    await vi.waitFor(() => expect(sent).toMatchObject({ name: '秋季展会', budget: '50000.00' }))
    expect(sent).not.toHaveProperty('actualCost')
  })

  it('refuses an amount with three decimals before calling the server', async () => {
    mountDialog()
    await flushPromises()
    await fill('input[data-test=campaign-name]', 'X')
    await fill('input[data-test=campaign-code]', 'X1')
    await fill('input[data-test=campaign-cost]', '1.234')
    document.querySelector<HTMLButtonElement>('[data-test=campaign-submit]')!.click()
    for (let i = 0; i < 5; i++) await flushPromises()
    expect(fetch.mock.calls.filter(([request]) => request.method === 'POST')).toHaveLength(0)
    const costItem = document.querySelector('input[data-test=campaign-cost]')!.closest('.el-form-item')!
    await vi.waitFor(() => expect(costItem.textContent).toContain('请输入金额，最多两位小数'))
  })
})
