import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { i18n } from '../../i18n/index.ts'
import AttributionSettingsForm from './AttributionSettingsForm.vue'

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
const SETTINGS = { lookbackDays: 90, halfLifeDays: 7, updatedAt: '2026-03-01T08:00:00.000Z' }

async function fill(selector: string, value: string) {
  const input = document.querySelector<HTMLInputElement>(`input${selector}`)!
  input.value = value
  input.dispatchEvent(new Event('input'))
  input.dispatchEvent(new Event('blur'))
  await flushPromises()
}

const item = (selector: string) => document.querySelector(selector)!.closest('.el-form-item')!
const save = () => document.querySelector<HTMLButtonElement>('[data-test=attribution-save]')!

describe('the attribution settings form', () => {
  const fetch = vi.fn<(request: Request) => Promise<Response>>()
  let puts: unknown[]

  beforeEach(() => {
    i18n.global.locale.value = 'zh-CN'
    puts = []
    vi.stubGlobal('fetch', fetch)
    fetch.mockImplementation(async (request) => {
      if (request.method === 'GET') return json(200, SETTINGS)
      const body = await request.json() as typeof SETTINGS
      puts.push(body)
      return json(200, { ...body, updatedAt: '2026-03-02T08:00:00.000Z' })
    })
  })

  afterEach(() => {
    fetch.mockReset()
    vi.unstubAllGlobals()
    document.body.innerHTML = ''
  })

  async function mountForm() {
    const wrapper = mount(AttributionSettingsForm, { global: { plugins: [createPinia(), i18n] }, attachTo: document.body })
    await flushPromises()
    return wrapper
  }

  it('shows the saved values, explains them, and saves nothing until one changes', async () => {
    await mountForm()
    expect(document.querySelector<HTMLInputElement>('input[data-test=lookback-days]')!.value).toBe('90')
    expect(document.querySelector<HTMLInputElement>('input[data-test=half-life-days]')!.value).toBe('7')
    expect(document.body.textContent).toContain('商机创建前多少天内的触点计入归因')
    expect(document.body.textContent).toContain('早 7 天的触点权重为其 50%，早 14 天的为 25%')
    expect(save().disabled).toBe(true)
  })

  it('refuses a lookback beyond 3650 days or a half-life with three decimals, before calling the server', async () => {
    await mountForm()
    await fill('[data-test=lookback-days]', '3651')
    await fill('[data-test=half-life-days]', '1.234')
    save().click()
    for (let i = 0; i < 5; i++) await flushPromises()
    expect(puts).toEqual([])
    await vi.waitFor(() => expect(item('[data-test=lookback-days]').textContent).toContain('请输入 0 到 3650 之间的整数'))
    expect(item('[data-test=half-life-days]').textContent).toContain('最多两位小数')

    await fill('[data-test=half-life-days]', '0')
    save().click()
    for (let i = 0; i < 5; i++) await flushPromises()
    expect(puts).toEqual([])
    expect(item('[data-test=half-life-days]').textContent).toContain('请输入大于 0')
  })

  it('saves both values as numbers, with the recompute in progress shown, then confirms', async () => {
    const wrapper = await mountForm()
    let answer!: () => void
    fetch.mockImplementation(async (request) => {
      const body = await request.json() as typeof SETTINGS
      puts.push(body)
      await new Promise<void>((resolve) => (answer = resolve))
      return json(200, { ...body, updatedAt: '2026-03-02T08:00:00.000Z' })
    })
    await fill('[data-test=lookback-days]', '30')
    await fill('[data-test=half-life-days]', '3.5')
    expect(document.body.textContent).toContain('早 3.5 天的触点权重为其 50%，早 7 天的为 25%')
    save().click()
    for (let i = 0; i < 5; i++) await flushPromises()

    expect(puts).toEqual([{ lookbackDays: 30, halfLifeDays: 3.5 }])
    expect(wrapper.text()).toContain('正在重新计算所有归因…')
    answer()
    for (let i = 0; i < 5; i++) await flushPromises()
    expect(wrapper.text()).not.toContain('正在重新计算所有归因…')
    await vi.waitFor(() => expect(document.body.textContent).toContain('归因设置已保存，所有归因已重新计算'))
    expect(save().disabled).toBe(true)
  })

  it('shows the server\'s refusal at the field', async () => {
    await mountForm()
    fetch.mockImplementation(async () => json(400, {
      statusCode: 400, code: 'validation_failed', error: 'Bad Request', message: 'halfLifeDays: must be multiple of 0.01',
      details: [{ field: 'halfLifeDays', message: 'must be multiple of 0.01' }],
    }))
    await fill('[data-test=half-life-days]', '2.5')
    save().click()
    for (let i = 0; i < 5; i++) await flushPromises()
    await vi.waitFor(() => expect(item('[data-test=half-life-days]').textContent).toContain('must be multiple of 0.01'))
  })
})
