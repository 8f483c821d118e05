import { flushPromises, mount } from '@vue/test-utils'
import { ElMessageBox, ElSelect } from 'element-plus'
import { createPinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { components } from '../../api/schema'
import { i18n } from '../../i18n/index.ts'
import EntitySelect from '../EntitySelect.vue'
import ContactRolesCard from './ContactRolesCard.vue'

type ContactRole = components['schemas']['ContactRole']

const OPPORTUNITY = '11111111-1111-4111-8111-111111111111'
const WANG = '22222222-2222-4222-8222-222222222222'
const LI = '33333333-3333-4333-8333-333333333333'
const ZHAO = '44444444-4444-4444-8444-444444444444'

const json = (status: number, body: unknown) => new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

const role = (contactId: string, name: string, value: ContactRole['role'], isPrimary: boolean): ContactRole => ({
  opportunityId: OPPORTUNITY, contactId, role: value, isPrimary, createdAt: '2026-03-01T08:00:00.000Z',
  contact: { name, email: `${name}@example.com`, title: '采购经理', accountId: null },
})

function logInAs(userRole: string) {
  localStorage.setItem('ys.session', JSON.stringify({
    accessToken: 'a', refreshToken: 'r',
    user: { id: 'u', email: 'x@y', name: 'X', role: userRole, active: true, locale: 'zh-CN', lastLoginAt: null, createdAt: '', updatedAt: '' },
  }))
}

interface Sent {
  method: string
  path: string
  body: unknown
}

describe('the contact roles card', () => {
  const fetch = vi.fn<(request: Request) => Promise<Response>>()
  let roles: ContactRole[]
  let sent: Sent[]

  beforeEach(() => {
    localStorage.clear()
    i18n.global.locale.value = 'zh-CN'
    roles = [role(WANG, '王伟', 'decision_maker', true), role(LI, '李娜', 'evaluator', false)]
    sent = []
    vi.stubGlobal('fetch', fetch)
    fetch.mockImplementation(async (request) => {
      const path = new URL(request.url, 'http://x').pathname
      if (request.method === 'GET' && path.endsWith('/contact-roles')) return json(200, { items: roles })
      if (request.method === 'GET' && path === '/api/v1/contacts') {
        return json(200, { items: [{ id: ZHAO, name: '赵敏' }], total: 1, limit: 20, offset: 0 })
      }
      if (request.method === 'GET') return json(404, { statusCode: 404, code: 'not_found', error: 'Not Found', message: 'nope' })
      const body = request.method === 'POST' ? await request.json() as { contactId: string; role: ContactRole['role']; isPrimary?: boolean } : null
      sent.push({ method: request.method, path, body })
      if (request.method === 'DELETE') return json(204, null)
      const existing = roles.find((r) => r.contactId === body!.contactId)
      return json(existing ? 200 : 201, { ...(existing ?? role(body!.contactId, '赵敏', body!.role, false)), role: body!.role, isPrimary: body!.isPrimary ?? existing?.isPrimary ?? false })
    })
  })

  afterEach(() => {
    fetch.mockReset()
    vi.unstubAllGlobals()
    vi.restoreAllMocks()
    document.body.innerHTML = ''
  })

  async function mountCard(userRole = 'sales') {
    logInAs(userRole)
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:any(.*)*', component: defineComponent({ render: () => h('div') }) }] })
    const wrapper = mount(ContactRolesCard, {
      props: { opportunityId: OPPORTUNITY, primaryContactId: WANG },
      global: { plugins: [createPinia(), i18n, router] },
      attachTo: document.body,
    })
    await flushPromises()
    return wrapper
  }

  const rowOf = (name: string) => [...document.querySelectorAll('.el-table__body tr')].find((tr) => tr.textContent?.includes(name))!

  it('lists the contacts with their role, title and email, the primary one marked', async () => {
    await mountCard()
    const wang = rowOf('王伟')
    expect(wang.querySelector('[data-test=contact-role-primary]')?.textContent).toContain('主要联系人')
    expect(wang.textContent).toContain('采购经理')
    expect(wang.textContent).toContain('王伟@example.com')
    expect(rowOf('李娜').querySelector('[data-test=contact-role-primary]')).toBeNull()
    expect(rowOf('李娜').querySelector('[data-test=contact-role-make-primary]')).not.toBeNull()
  })

  it('adds a contact with a role as the primary one, and tells the page the primary moved', async () => {
    const wrapper = await mountCard()
    document.querySelector<HTMLButtonElement>('[data-test=contact-role-add]')!.click()
    await flushPromises()
    wrapper.findComponent(EntitySelect).vm.$emit('update:modelValue', ZHAO)
    const roleSelect = wrapper.findAllComponents(ElSelect).find((select) => select.attributes('data-test') === 'contact-role-new-role')!
    roleSelect.vm.$emit('update:modelValue', 'technical_buyer')
    await flushPromises()
    document.querySelector<HTMLInputElement>('[data-test=contact-role-new-primary] input')!.click()
    await flushPromises()
    document.querySelector<HTMLButtonElement>('[data-test=contact-role-submit]')!.click()
    for (let i = 0; i < 5; i++) await flushPromises()

    expect(sent).toEqual([{ method: 'POST', path: `/api/v1/opportunities/${OPPORTUNITY}/contact-roles`, body: { contactId: ZHAO, role: 'technical_buyer', isPrimary: true } }])
    expect(wrapper.emitted('changed')).toHaveLength(1)
  })

  it('asks for a contact and a role before calling the server', async () => {
    await mountCard()
    document.querySelector<HTMLButtonElement>('[data-test=contact-role-add]')!.click()
    await flushPromises()
    document.querySelector<HTMLButtonElement>('[data-test=contact-role-submit]')!.click()
    for (let i = 0; i < 5; i++) await flushPromises()
    expect(sent).toEqual([])
    await vi.waitFor(() => expect(document.querySelectorAll('.el-dialog .el-form-item__error')).toHaveLength(2))
  })

  it('makes a contact primary keeping its role', async () => {
    const wrapper = await mountCard()
    rowOf('李娜').querySelector<HTMLButtonElement>('[data-test=contact-role-make-primary]')!.click()
    for (let i = 0; i < 5; i++) await flushPromises()
    expect(sent).toEqual([{ method: 'POST', path: `/api/v1/opportunities/${OPPORTUNITY}/contact-roles`, body: { contactId: LI, role: 'evaluator', isPrimary: true } }])
    expect(wrapper.emitted('changed')).toHaveLength(1)
  })

  it('changes a role in its row without touching who is primary', async () => {
    const wrapper = await mountCard()
    const select = wrapper.findAllComponents(ElSelect).filter((s) => s.attributes('data-test') === 'contact-role-role')
    expect(select).toHaveLength(2)
    select[1]!.vm.$emit('change', 'influencer')
    for (let i = 0; i < 5; i++) await flushPromises()
    expect(sent).toEqual([{ method: 'POST', path: `/api/v1/opportunities/${OPPORTUNITY}/contact-roles`, body: { contactId: LI, role: 'influencer' } }])
    expect(wrapper.emitted('changed')).toBeUndefined()
  })

  it('removes a contact once confirmed, and not when cancelled', async () => {
    const confirm = vi.spyOn(ElMessageBox, 'confirm')
    const wrapper = await mountCard()

    confirm.mockRejectedValueOnce('cancel')
    rowOf('王伟').querySelector<HTMLButtonElement>('[data-test=contact-role-remove]')!.click()
    for (let i = 0; i < 5; i++) await flushPromises()
    expect(sent).toEqual([])

    confirm.mockResolvedValueOnce('confirm' as never)
    rowOf('王伟').querySelector<HTMLButtonElement>('[data-test=contact-role-remove]')!.click()
    for (let i = 0; i < 5; i++) await flushPromises()
    // Removing the primary contact leaves the opportunity without one: the page refreshes it.
    expect(confirm.mock.calls[1]![0]).toContain('是主要联系人')
    expect(sent).toEqual([{ method: 'DELETE', path: `/api/v1/opportunities/${OPPORTUNITY}/contact-roles/${WANG}`, body: null }])
    expect(wrapper.emitted('changed')).toHaveLength(1)
  })

  it('shows no write actions to a role without opportunities:write', async () => {
    const wrapper = await mountCard('viewer')
    expect(rowOf('李娜').textContent).toContain('评估人')
    expect(document.querySelector('[data-test=contact-role-add]')).toBeNull()
    expect(document.querySelector('[data-test=contact-role-make-primary]')).toBeNull()
    expect(document.querySelector('[data-test=contact-role-remove]')).toBeNull()
    expect(wrapper.findAllComponents(ElSelect).filter((s) => s.attributes('data-test') === 'contact-role-role')).toHaveLength(0)
  })
})
