import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { Page } from 'playwright-core'
import { choose, chooseRecord, logIn, openFromMenu, screenshot } from './support/app.ts'
import { hasChromium, openBrowser, type Browser } from './support/chromium.ts'
import { apiToken, createUser, type User } from './support/users.ts'

const baseUrl = inject('baseUrl')

// An admin tunes attribution and the webinar member flow, and a salesperson's deal gets its
// buying committee: a second contact with a role who becomes the primary one.
const ACCOUNT = '云杉精密制造'
const BUYER = { name: '周建国', title: '采购总监', email: 'zhou.jg@yunshan.example' }
const CTO = { name: '吴芳', title: '首席技术官', email: 'wu.fang@yunshan.example' }
const DEAL = '云杉 MES 升级'
const CAMPAIGN = { name: '2026 智能制造线上研讨会', code: 'WEB-2026-MES', type: 'webinar' }
const NEW_STATUS = 'replay_watched'

/**
 * Waits out a loading mask (it fades after the data arrived): `choose` clicks where the select
 * is, and would land on the fading mask. A class name, as the mask is transient.
 */
async function settled(page: Page): Promise<void> {
  await page.locator('.el-loading-mask:visible').first().waitFor({ state: 'detached', timeout: 8_000 }).catch(() => {})
}

interface Flow {
  campaignType: string
  statuses: { status: string; position: number; responded: boolean }[]
}

describe.skipIf(!hasChromium)('contact roles, touchpoints and attribution settings', () => {
  let browser: Browser
  let me: User
  let call: <T>(method: string, path: string, body?: unknown) => Promise<T>
  const ids = { buyer: '', cto: '', opportunity: '' }
  // The files share one server: what this one changes in the settings is put back at the end.
  let settingsBefore: { lookbackDays: number; halfLifeDays: number }
  let webinarBefore: Flow['statuses']

  beforeAll(async () => {
    if (!baseUrl) return
    me = await createUser(baseUrl, { email: inject('adminEmail'), password: inject('adminPassword') }, {
      email: 'sun.li@yardstick.test', name: '孙丽', role: 'admin', password: 'Roles-settings-1',
    })
    const token = await apiToken(baseUrl, me)
    call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const res = await fetch(`${baseUrl}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
      return (res.status === 204 ? null : await res.json()) as T
    }
    settingsBefore = await call('GET', '/attribution/settings')
    webinarBefore = (await call<{ items: Flow[] }>('GET', '/member-status-flows')).items.find((flow) => flow.campaignType === 'webinar')!.statuses

    // The deal as sales entered it: an account, two of its people, an opportunity with the buyer as contact.
    const account = await call<{ id: string }>('POST', '/accounts', { name: ACCOUNT })
    ids.buyer = (await call<{ id: string }>('POST', '/contacts', { ...BUYER, accountId: account.id })).id
    ids.cto = (await call<{ id: string }>('POST', '/contacts', { ...CTO, accountId: account.id })).id
    ids.opportunity = (await call<{ id: string }>('POST', '/opportunities', { name: DEAL, amount: '260000', accountId: account.id, contactId: ids.buyer })).id
    // The CTO met the company at a webinar (an integration reported it).
    const campaign = await call<{ id: string }>('POST', '/campaigns', CAMPAIGN)
    await call('POST', '/touchpoints', {
      personType: 'contact', personId: ids.cto, campaignId: campaign.id, type: 'form_submit', occurredAt: '2026-03-10T02:30:00.000Z', externalId: 'hubspot-5521',
    })

    browser = await openBrowser()
    await logIn(browser.page, baseUrl, me.email, me.password)
  })

  afterAll(async () => {
    await browser?.close()
    if (!settingsBefore) return
    await call('PUT', '/attribution/settings', { lookbackDays: settingsBefore.lookbackDays, halfLifeDays: settingsBefore.halfLifeDays })
    await call('PUT', '/member-status-flows/webinar', { statuses: webinarBefore.map(({ status, responded }) => ({ status, responded })) })
  })

  it('saves a new lookback window, which is still there after a reload', async () => {
    const { page } = browser
    await openFromMenu(page, '设置', '/settings/profile')
    await page.getByRole('tab', { name: '归因设置' }).click()
    await page.waitForURL((url) => url.pathname === '/settings/attribution')
    const lookback = page.getByLabel('回溯窗口')
    await expect.poll(() => lookback.inputValue()).toBe(String(settingsBefore.lookbackDays))
    const next = settingsBefore.lookbackDays === 120 ? 60 : 120

    await lookback.fill(String(next))
    await expect.poll(() => page.getByText('按此设置，今天创建的商机计入').isVisible()).toBe(true)
    await page.getByRole('button', { name: '保存' }).click()
    await expect.poll(() => page.getByText('归因设置已保存，所有归因已重新计算').isVisible()).toBe(true)
    await screenshot(page, 'settings-attribution')

    await page.reload()
    await expect.poll(() => page.getByLabel('回溯窗口').inputValue()).toBe(String(next))
    await expect(call<{ lookbackDays: number }>('GET', '/attribution/settings')).resolves.toMatchObject({ lookbackDays: next })
  })

  it('adds a status counted as a response to the webinar flow', async () => {
    const { page } = browser
    await page.getByRole('tab', { name: '成员状态流程' }).click()
    await page.waitForURL((url) => url.pathname === '/settings/member-flows')
    const position = webinarBefore.length + 1
    const status = (n: number) => page.getByRole('textbox', { name: `第 ${n} 个状态`, exact: true })
    // The webinar flow opens first (events are where member statuses matter most).
    await expect.poll(() => status(webinarBefore.length).inputValue()).toBe(webinarBefore.at(-1)!.status)

    await page.getByRole('button', { name: '添加状态' }).click()
    await status(position).fill(NEW_STATUS)
    await page.getByRole('switch', { name: `第 ${position} 个状态计为响应` }).dispatchEvent('click')
    await page.getByRole('button', { name: '保存' }).click()
    await expect.poll(() => page.getByText('“线上研讨会”的成员状态流程已保存').isVisible()).toBe(true)
    await screenshot(page, 'settings-member-flows')

    // Another type's flow, then back: the saved webinar flow is read again from the server.
    await page.reload()
    await expect.poll(() => status(1).inputValue()).toBe(webinarBefore[0]!.status)
    await settled(page)
    await choose(page, page.getByRole('combobox', { name: '活动类型' }), '邮件营销')
    await page.waitForURL((url) => url.searchParams.get('type') === 'email')
    await choose(page, page.getByRole('combobox', { name: '活动类型' }), '线上研讨会')
    await expect.poll(() => status(position).inputValue()).toBe(NEW_STATUS)
    const webinar = (await call<{ items: Flow[] }>('GET', '/member-status-flows')).items.find((flow) => flow.campaignType === 'webinar')!
    expect(webinar.statuses.at(-1)).toEqual({ status: NEW_STATUS, position: webinarBefore.length, responded: true })
  })

  it('adds a second contact with a role to an opportunity and makes them the primary contact', async () => {
    const { page } = browser
    await openFromMenu(page, '销售机会', '/opportunities')
    await page.getByRole('link', { name: DEAL }).click()
    await page.waitForURL((url) => url.pathname === `/opportunities/${ids.opportunity}`)
    const card = page.getByTestId('contact-roles')
    const row = (name: string) => card.locator('.el-table__body').getByRole('row').filter({ hasText: name })
    // The opportunity's contact is its primary one.
    await expect.poll(() => row(BUYER.name).getByTestId('contact-role-primary').isVisible()).toBe(true)

    await card.getByRole('button', { name: '添加联系人' }).click()
    const dialog = page.getByRole('dialog', { name: '添加联系人' })
    await chooseRecord(page, dialog.getByRole('combobox', { name: '联系人' }), CTO.name)
    // The contact list closes over the role field below it: choose the role once it is gone.
    await page.getByRole('listbox', { name: '联系人' }).waitFor({ state: 'hidden' })
    await choose(page, dialog.getByRole('combobox', { name: '角色' }), '技术决策人')
    await dialog.getByRole('button', { name: '保存' }).click()
    await expect.poll(() => page.getByText(`已添加“${CTO.name}”`).isVisible()).toBe(true)
    await expect.poll(() => row(CTO.name).innerText()).toContain(CTO.title)
    expect(await row(CTO.name).innerText()).toContain('技术决策人')

    await row(CTO.name).getByRole('button', { name: '设为主要联系人' }).click()
    await expect.poll(() => page.getByText(`“${CTO.name}”现为主要联系人`).isVisible()).toBe(true)
    await expect.poll(() => row(CTO.name).getByTestId('contact-role-primary').isVisible()).toBe(true)
    await expect(row(BUYER.name).getByTestId('contact-role-primary').count()).resolves.toBe(0)
    // The opportunity's contact follows, on screen and on the server.
    await expect.poll(() => page.getByRole('link', { name: CTO.name }).count()).toBe(2)
    await expect(call<{ contactId: string }>('GET', `/opportunities/${ids.opportunity}`)).resolves.toMatchObject({ contactId: ids.cto })
    await screenshot(page, 'opportunity-contact-roles')
  })

  it('lists the new primary contact\'s touchpoints on their page', async () => {
    const { page } = browser
    await page.getByTestId('contact-roles').getByRole('link', { name: CTO.name }).click()
    await page.waitForURL((url) => url.pathname === `/contacts/${ids.cto}`)
    const touch = page.getByTestId('touchpoint')
    await expect.poll(() => touch.first().innerText()).toContain(CAMPAIGN.name)
    const text = await touch.first().innerText()
    expect(text).toContain('表单提交')
    expect(text).toContain('外部编号：hubspot-5521')
    await screenshot(page, 'contact-touchpoints')
  })

  it('throws no uncaught errors in the page', () => {
    expect(browser.pageErrors).toEqual([])
  })
})
