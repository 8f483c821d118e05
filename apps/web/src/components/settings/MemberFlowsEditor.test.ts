import { flushPromises, mount } from '@vue/test-utils'
import { ElMessageBox, ElSelect } from 'element-plus'
import { createPinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'
import { i18n } from '../../i18n/index.ts'
import MemberFlowsEditor from './MemberFlowsEditor.vue'

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

const EVENT = [
  { status: 'registered', position: 1, responded: true },
  { status: 'invited', position: 0, responded: false },
  { status: 'attended', position: 2, responded: true },
  { status: 'no_show', position: 3, responded: false },
]
const DIGITAL = [
  { status: 'sent', position: 0, responded: false },
  { status: 'clicked', position: 1, responded: true },
]

interface Put {
  path: string
  body: { statuses: { status: string; responded: boolean }[] }
}

async function settle() {
  for (let i = 0; i < 5; i++) await flushPromises()
}

const inputs = () => [...document.querySelectorAll<HTMLInputElement>('.el-table__body input[data-test=flow-status]')]
const names = () => inputs().map((input) => input.value)
const button = (test: string, row: number) => document.querySelectorAll<HTMLButtonElement>(`.el-table__body [data-test=${test}]`)[row]!
const saveButton = () => document.querySelector<HTMLButtonElement>('[data-test=flow-save]')!

async function type(input: HTMLInputElement, value: string) {
  input.value = value
  input.dispatchEvent(new Event('input'))
  await flushPromises()
}

describe('the member status flow editor', () => {
  const fetch = vi.fn<(request: Request) => Promise<Response>>()
  let puts: Put[]
  let answer: (put: Put) => Response

  beforeEach(() => {
    i18n.global.locale.value = 'zh-CN'
    puts = []
    answer = (put) => json(200, {
      campaignType: put.path.split('/').at(-1),
      statuses: put.body.statuses.map((s, position) => ({ ...s, position })),
    })
    vi.stubGlobal('fetch', fetch)
    fetch.mockImplementation(async (request) => {
      if (request.method === 'GET') {
        return json(200, { items: [{ campaignType: 'webinar', statuses: EVENT }, { campaignType: 'email', statuses: DIGITAL }] })
      }
      const put = { path: new URL(request.url, 'http://x').pathname, body: await request.json() as Put['body'] }
      puts.push(put)
      return answer(put)
    })
  })

  afterEach(() => {
    fetch.mockReset()
    vi.unstubAllGlobals()
    vi.restoreAllMocks()
    document.body.innerHTML = ''
  })

  async function mountEditor(url = '/settings/member-flows') {
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:any(.*)*', component: defineComponent({ render: () => h('div') }) }] })
    await router.push(url)
    const wrapper = mount(MemberFlowsEditor, { global: { plugins: [createPinia(), i18n, router] }, attachTo: document.body })
    await settle()
    return { wrapper, router }
  }

  it('shows the webinar flow in funnel order, with the glossary names of known statuses', async () => {
    await mountEditor()
    expect(names()).toEqual(['invited', 'registered', 'attended', 'no_show'])
    const rows = [...document.querySelectorAll('.el-table__body tr')]
    expect(rows[0]!.textContent).toContain('起始状态')
    expect(rows[0]!.textContent).toContain('已邀约')
    expect(rows[3]!.textContent).toContain('未到场')
    expect(saveButton().disabled).toBe(true)
  })

  it('opens the campaign type named in the URL', async () => {
    await mountEditor('/settings/member-flows?type=email')
    expect(names()).toEqual(['sent', 'clicked'])
  })

  it('moves a status down and up, and saves the new order', async () => {
    await mountEditor()
    button('flow-down', 0).click()
    await flushPromises()
    expect(names()).toEqual(['registered', 'invited', 'attended', 'no_show'])
    button('flow-up', 3).click()
    await flushPromises()
    expect(names()).toEqual(['registered', 'invited', 'no_show', 'attended'])
    expect(button('flow-up', 0).disabled).toBe(true)
    expect(button('flow-down', 3).disabled).toBe(true)

    saveButton().click()
    await settle()
    expect(puts).toEqual([{
      path: '/api/v1/member-status-flows/webinar',
      body: { statuses: [
        { status: 'registered', responded: true }, { status: 'invited', responded: false },
        { status: 'no_show', responded: false }, { status: 'attended', responded: true },
      ] },
    }])
    await vi.waitFor(() => expect(document.body.textContent).toContain('“线上研讨会”的成员状态流程已保存'))
    expect(saveButton().disabled).toBe(true)
  })

  it('adds a status counted as a response and removes another', async () => {
    await mountEditor()
    document.querySelector<HTMLButtonElement>('[data-test=flow-add]')!.click()
    await flushPromises()
    await type(inputs()[4]!, ' replay_watched ')
    document.querySelectorAll<HTMLElement>('.el-table__body [data-test=flow-responded]')[4]!.click()
    button('flow-remove', 3).click()
    await flushPromises()

    saveButton().click()
    await settle()
    expect(puts.map((put) => put.body)).toEqual([{ statuses: [
      { status: 'invited', responded: false }, { status: 'registered', responded: true },
      { status: 'attended', responded: true }, { status: 'replay_watched', responded: true },
    ] }])
  })

  it('points at a badly named or repeated status and an empty one, without calling the server', async () => {
    await mountEditor()
    await type(inputs()[1]!, 'Registered Now')
    await type(inputs()[2]!, 'invited')
    document.querySelector<HTMLButtonElement>('[data-test=flow-add]')!.click()
    await flushPromises()
    saveButton().click()
    await settle()

    expect(puts).toEqual([])
    const errors = [...document.querySelectorAll('.el-table__body tr')].map((tr) => tr.querySelector('[data-test=flow-status-error]')?.textContent ?? null)
    expect(errors).toEqual([
      '与其他状态重复',
      '只能包含小写字母、数字和下划线，以字母开头，最多 40 个字符',
      '与其他状态重复',
      null,
      '必填',
    ])
  })

  it('shows the server\'s 409 next to the form when members still have a removed status', async () => {
    await mountEditor()
    const message = 'members of webinar campaigns still have no_show (3 members); move them to another status first'
    answer = () => json(409, { statusCode: 409, code: 'conflict', error: 'Conflict', message: `statuses: ${message}`, details: [{ field: 'statuses', message }] })
    button('flow-remove', 3).click()
    await flushPromises()
    saveButton().click()
    await settle()

    const alert = document.querySelector('[data-test=flow-conflict]')!
    expect(alert.textContent).toContain('无法保存：仍有成员处于要移除的状态')
    expect(alert.textContent).toContain(message)
    // The edit stays on screen to be corrected.
    expect(names()).toEqual(['invited', 'registered', 'attended'])
  })

  it('shows the server\'s 400 at the status it names', async () => {
    await mountEditor()
    answer = () => json(400, {
      statusCode: 400, code: 'validation_failed', error: 'Bad Request', message: 'statuses[1].status: registered is listed twice',
      details: [{ field: 'statuses[1].status', message: 'registered is listed twice' }],
    })
    button('flow-down', 2).click()
    await flushPromises()
    saveButton().click()
    await settle()
    const rows = [...document.querySelectorAll('.el-table__body tr')]
    expect(rows[1]!.querySelector('[data-test=flow-status-error]')!.textContent).toContain('registered is listed twice')
    expect(rows[0]!.querySelector('[data-test=flow-status-error]')).toBeNull()
    // Changing that status clears the server's complaint.
    await type(inputs()[1]!, 'signed_up')
    expect(document.querySelectorAll('.el-table__body [data-test=flow-status-error]')).toHaveLength(0)
  })

  it('asks before switching the campaign type away from unsaved changes', async () => {
    const confirm = vi.spyOn(ElMessageBox, 'confirm')
    const { wrapper, router } = await mountEditor()
    const typeSelect = wrapper.findAllComponents(ElSelect).find((select) => select.attributes('data-test') === 'flow-type')!
    button('flow-remove', 0).click()
    await flushPromises()

    confirm.mockRejectedValueOnce('cancel')
    typeSelect.vm.$emit('update:modelValue', 'email')
    await settle()
    expect(names()).toEqual(['registered', 'attended', 'no_show'])

    confirm.mockResolvedValueOnce('confirm' as never)
    typeSelect.vm.$emit('update:modelValue', 'email')
    await settle()
    expect(names()).toEqual(['sent', 'clicked'])
    expect(router.currentRoute.value.query.type).toBe('email')
  })
})
