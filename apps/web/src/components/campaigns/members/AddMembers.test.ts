import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import { i18n } from '../../../i18n/index.ts'
import AddMemberDialog from './AddMemberDialog.vue'
import ImportMembersDialog from './ImportMembersDialog.vue'
import { parseIds } from './member-import.ts'

const CAMPAIGN = '11111111-1111-4111-8111-111111111111'
const SOURCE = '22222222-2222-4222-8222-222222222222'
const LEAD = '33333333-3333-4333-8333-333333333333'
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
const FLOW = [
  { status: 'invited', position: 0, responded: false, count: 0 },
  { status: 'registered', position: 1, responded: true, count: 0 },
]

function mountDialog(component: typeof AddMemberDialog | typeof ImportMembersDialog, events: Record<string, (...args: never[]) => void> = {}) {
  const Host = defineComponent({
    setup: () => {
      const open = ref(false)
      // Opened after mounting, as the members tab does.
      setTimeout(() => (open.value = true))
      return () => h(component as typeof AddMemberDialog, { modelValue: open.value, 'onUpdate:modelValue': (v: boolean) => (open.value = v), campaignId: CAMPAIGN, statuses: FLOW, ...events })
    },
  })
  const wrapper = mount(Host, { global: { plugins: [createPinia(), i18n] }, attachTo: document.body })
  mounted.push(wrapper)
  return wrapper
}
const mounted: ReturnType<typeof mount>[] = []

async function pick(select: Element, option: string | RegExp) {
  const trigger = select.querySelector<HTMLElement>('.el-select__wrapper')!
  trigger.click()
  await flushPromises()
  const popper = document.getElementById(trigger.getAttribute('aria-describedby')!)!
  const item = [...popper.querySelectorAll<HTMLElement>('.el-select-dropdown__item')].find((li) => (typeof option === 'string' ? li.textContent?.trim() === option : option.test(li.textContent ?? '')))
  expect(item, `option ${option}`).toBeDefined()
  item!.click()
  await flushPromises()
}

/** The select with this label in the open dialog, once the dialog has rendered. */
async function selectLabelled(label: string): Promise<Element> {
  return vi.waitFor(() => {
    const field = document.querySelector(`.el-dialog [aria-label="${label}"]`)
    expect(field, label).not.toBeNull()
    return field!.closest('.el-select')!
  })
}

describe('adding campaign members', () => {
  const fetch = vi.fn<(request: Request) => Promise<Response>>()
  const posted: { path: string; body: unknown }[] = []
  let answer: () => Response

  beforeEach(() => {
    i18n.global.locale.value = 'zh-CN'
    posted.length = 0
    vi.stubGlobal('fetch', fetch)
    fetch.mockImplementation(async (request) => {
      const url = new URL(request.url, 'http://localhost')
      if (request.method === 'POST') {
        posted.push({ path: url.pathname, body: await request.json() })
        return answer()
      }
      if (url.pathname === '/api/v1/leads') {
        const lead = { id: LEAD, name: '王小明', company: '星河科技', email: 'wang@example.com' }
        return json(200, { items: [lead], total: url.searchParams.get('status') === 'qualified' ? 37 : 120, limit: 20, offset: 0 })
      }
      if (url.pathname === '/api/v1/campaigns') return json(200, { items: [{ id: SOURCE, name: '2026 春季展会' }], total: 1, limit: 20, offset: 0 })
      return json(200, { items: [], total: 0, limit: 20, offset: 0 })
    })
  })

  afterEach(() => {
    // Unmounted first: no search or count may run after fetch is restored.
    for (const wrapper of mounted.splice(0)) wrapper.unmount()
    fetch.mockReset()
    vi.unstubAllGlobals()
    document.body.innerHTML = ''
  })

  it('adds the lead picked by search at the status chosen', async () => {
    const added = vi.fn()
    mountDialog(AddMemberDialog, { onAdded: added })
    await flushPromises()
    answer = () => json(201, { id: 'm1', name: '王小明' })
    await pick(await selectLabelled('选择线索'), /王小明/)
    await pick(await selectLabelled('初始状态'), '已报名')
    document.querySelector<HTMLButtonElement>('[data-test=member-add-submit]')!.click()
    await vi.waitFor(() => expect(added).toHaveBeenCalled())
    expect(posted).toEqual([{ path: `/api/v1/campaigns/${CAMPAIGN}/members`, body: { personType: 'lead', personId: LEAD, status: 'registered' } }])
  })

  it('says at the field when the person is a member already', async () => {
    mountDialog(AddMemberDialog)
    await flushPromises()
    answer = () => json(409, { statusCode: 409, error: 'Conflict', code: 'conflict', message: 'personId: this lead is already a member of the campaign', details: [{ field: 'personId', message: 'this lead is already a member of the campaign' }] })
    await pick(await selectLabelled('选择线索'), /王小明/)
    document.querySelector<HTMLButtonElement>('[data-test=member-add-submit]')!.click()
    await vi.waitFor(() => expect(document.querySelector('.el-dialog .el-form-item.is-error')?.textContent).toContain('已是本活动的成员'))
  })

  it('imports every lead of a source campaign with a lead status, after saying how many match', async () => {
    const imported = vi.fn()
    mountDialog(ImportMembersDialog, { onImported: imported })
    await flushPromises()
    answer = () => json(200, { added: 35, alreadyMembers: 2 })
    await pick(await selectLabelled('来源活动'), '2026 春季展会')
    await pick(await selectLabelled('线索状态'), '已确认')
    await vi.waitFor(() => expect(document.querySelector('[data-test=import-matching]')!.textContent).toContain('符合条件：37 人'))
    document.querySelector<HTMLButtonElement>('[data-test=member-import-submit]')!.click()
    await vi.waitFor(() => expect(imported).toHaveBeenCalledWith({ added: 35, alreadyMembers: 2 }))
    expect(posted[0]).toEqual({ path: `/api/v1/campaigns/${CAMPAIGN}/members/bulk`, body: { personType: 'lead', filter: { campaignId: SOURCE, status: 'qualified' } } })
  })

  it('imports pasted ids, and lists the ones the server does not know', async () => {
    mountDialog(ImportMembersDialog)
    await flushPromises()
    const byIds = await vi.waitFor(() => {
      const button = [...document.querySelectorAll<HTMLElement>('.el-dialog .el-radio-button')].find((b) => b.textContent?.trim() === '粘贴 ID')
      expect(button).toBeDefined()
      return button!
    })
    byIds.querySelector('input')!.click()
    await flushPromises()
    const area = document.querySelector<HTMLTextAreaElement>('.el-dialog textarea')!
    area.value = `${LEAD}\n${SOURCE.toUpperCase()}, ${LEAD}`
    area.dispatchEvent(new Event('input'))
    await flushPromises()
    expect(document.querySelector('.el-dialog')!.textContent).toContain('已识别 2 个 ID')
    answer = () => json(400, { statusCode: 400, error: 'Bad Request', code: 'invalid_reference', message: 'x', details: [{ field: 'personIds[1]', message: `no lead has id ${SOURCE}` }] })
    document.querySelector<HTMLButtonElement>('[data-test=member-import-submit]')!.click()
    await vi.waitFor(() => expect(document.querySelector('.el-dialog .el-alert')?.textContent).toContain(`以下 ID 不存在：${SOURCE}`))
    expect(posted[0]!.body).toEqual({ personType: 'lead', personIds: [LEAD, SOURCE] })
  })
})

describe('parseIds', () => {
  it('finds the distinct ids in pasted text, whatever separates them, and names what is not an id', () => {
    expect(parseIds(`${LEAD}\r\n${LEAD.toUpperCase()}；${SOURCE} foo,`)).toEqual({ ids: [LEAD, SOURCE], invalid: ['foo'] })
    expect(parseIds('  ')).toEqual({ ids: [], invalid: [] })
  })
})
