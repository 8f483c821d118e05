import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { chooseRecord, kpi, logIn, openFromMenu, screenshot } from './support/app.ts'
import { hasChromium, openBrowser, type Browser } from './support/chromium.ts'
import { apiToken, createUser, type User } from './support/users.ts'

const baseUrl = inject('baseUrl')

// The story the product exists for: money spent on a campaign, a lead from it, a deal won,
// and the campaign's achievement and ROI on screen at once.
const CAMPAIGN = { name: '2026 上海工业博览会', code: 'EXPO-2026-SH', cost: '20000', expected: '100000' }
const LEAD = { name: '王小明', company: '星河科技', email: 'wang.xm@xinghe.example' }
const DEAL = '40000'

declare global {
  interface Window {
    /** Set by the test; gone if the page reloads. */
    yardstickE2eMarker?: boolean
  }
}

describe.skipIf(!hasChromium)('the campaign ROI flow', () => {
  let browser: Browser
  let me: User
  let campaignPath = ''
  beforeAll(async () => {
    const admin = { email: inject('adminEmail'), password: inject('adminPassword') }
    me = await createUser(baseUrl, admin, { email: 'chen.jing@yardstick.test', name: '陈静', role: 'admin', password: 'Campaign-flow-1' })
    browser = await openBrowser()
    await logIn(browser.page, baseUrl, me.email, me.password)
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('creates a campaign with its cost and expected revenue', async () => {
    const { page } = browser
    await openFromMenu(page, '市场活动', '/campaigns')
    await page.getByRole('button', { name: '新建市场活动' }).first().click()
    const dialog = page.getByRole('dialog', { name: '新建市场活动' })
    await dialog.getByLabel('活动名称').fill(CAMPAIGN.name)
    await dialog.getByLabel('活动编号').fill(CAMPAIGN.code)
    await dialog.getByLabel('营销支出').fill(CAMPAIGN.cost)
    await dialog.getByLabel('营销回报期望').fill(CAMPAIGN.expected)
    await dialog.getByRole('button', { name: '新建' }).click()

    await page.waitForURL(/\/campaigns\/[0-9a-f-]{36}$/)
    campaignPath = new URL(page.url()).pathname
    await expect.poll(() => kpi(page, '营销支出')).toBe('¥20,000.00')
    expect(await kpi(page, '营销回报期望')).toBe('¥100,000.00')
    expect(await kpi(page, '实际收益')).toBe('¥0.00')
    expect(await kpi(page, '达成比例')).toBe('0%')
    expect(await kpi(page, '投资回报率')).toBe('-100%')
  })

  it('creates a lead for the campaign and converts it into an account, a contact and an opportunity', async () => {
    const { page } = browser
    await openFromMenu(page, '线索', '/leads')
    await page.getByRole('button', { name: '新建线索' }).first().click()
    const dialog = page.getByRole('dialog', { name: '新建线索' })
    await dialog.getByLabel('姓名').fill(LEAD.name)
    await dialog.getByLabel('公司').fill(LEAD.company)
    await dialog.getByLabel('邮箱').fill(LEAD.email)
    await chooseRecord(page, dialog.getByLabel('来源活动'), CAMPAIGN.name)
    await dialog.getByRole('button', { name: '新建' }).click()
    await page.waitForURL(/\/leads\/[0-9a-f-]{36}$/)

    await page.getByRole('button', { name: '转化' }).click()
    const convert = page.getByRole('dialog', { name: `转化线索：${LEAD.name}` })
    // The new account takes the lead's company, the opportunity is named after it.
    await expect(convert.getByLabel('客户名称').inputValue()).resolves.toBe(LEAD.company)
    await expect(convert.getByLabel('商机名称').inputValue()).resolves.toBe(LEAD.company)
    await convert.getByLabel('商机金额').fill(DEAL)
    await convert.getByRole('button', { name: '转化' }).click()

    await page.waitForURL(/\/opportunities\/[0-9a-f-]{36}$/)
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe(LEAD.company)
    await screenshot(page, 'opportunity-detail')

    await openFromMenu(page, '客户', '/accounts')
    await expect.poll(() => page.getByRole('row').filter({ hasText: LEAD.company }).count()).toBe(1)
    await screenshot(page, 'accounts')
    await openFromMenu(page, '联系人', '/contacts')
    await expect.poll(() => page.getByRole('row').filter({ hasText: LEAD.name }).innerText()).toContain(LEAD.company)
    await screenshot(page, 'contacts')
    await page.getByRole('link', { name: LEAD.company }).click()
    await page.waitForURL(/\/accounts\/[0-9a-f-]{36}$/)
    await expect.poll(() => page.getByRole('link', { name: LEAD.name }).isVisible()).toBe(true)
    await screenshot(page, 'account-detail')

    await openFromMenu(page, '线索', '/leads')
    const lead = page.getByRole('row').filter({ hasText: LEAD.name })
    await expect.poll(() => lead.innerText()).toContain('已转化')
    await screenshot(page, 'leads')
    // The lead links to what it became.
    await lead.getByRole('link', { name: LEAD.name }).click()
    await page.waitForURL(/\/leads\/[0-9a-f-]{36}$/)
    await expect.poll(() => page.getByRole('link', { name: LEAD.company }).count()).toBeGreaterThanOrEqual(2)
    await screenshot(page, 'lead-detail')
  })

  it('wins the opportunity on the campaign page: revenue, achievement and ROI follow without a reload', async () => {
    const { page } = browser
    await openFromMenu(page, '市场活动', '/campaigns')
    await page.getByRole('link', { name: CAMPAIGN.name }).click()
    await page.waitForURL((url) => url.pathname === campaignPath)
    await expect.poll(() => kpi(page, '达成比例')).toBe('0%')
    await page.evaluate(() => { window.yardstickE2eMarker = true })

    const row = page.getByRole('tabpanel', { name: '销售机会' }).getByRole('row').filter({ hasText: LEAD.company })
    await row.getByRole('button', { name: '赢单' }).click()
    const win = page.getByRole('dialog', { name: `赢单：${LEAD.company}` })
    await expect(win.getByLabel('订单金额').inputValue()).resolves.toMatch(/^40000(\.00)?$/)
    await win.getByRole('button', { name: '赢单' }).click()
    await expect.poll(() => page.getByText(/已赢单，并生成订单 \S+/).isVisible()).toBe(true)

    await expect.poll(() => kpi(page, '实际收益'), { timeout: 10_000 }).toBe('¥40,000.00')
    expect(await kpi(page, '达成比例')).toBe('40%')
    expect(await kpi(page, '投资回报率')).toBe('100%')
    expect(await page.evaluate(() => window.yardstickE2eMarker)).toBe(true)
    await expect.poll(() => row.innerText()).toContain('赢单')
    await screenshot(page, 'campaign-detail')
  })

  it('shows the campaign in English after a language switch, and in Chinese after switching back', async () => {
    const { page } = browser
    await page.getByRole('button', { name: '用户菜单' }).click()
    await page.getByRole('menuitem', { name: 'English' }).click()
    await expect.poll(() => kpi(page, 'Achievement', 'Key figures')).toBe('40%')
    expect(await kpi(page, 'ROI', 'Key figures')).toBe('100%')
    expect(await kpi(page, 'Actual revenue', 'Key figures')).toBe('CN¥40,000.00')
    await expect(page.getByRole('navigation', { name: 'Main menu' }).getByRole('menuitem', { name: 'Campaigns' }).isVisible()).resolves.toBe(true)
    await screenshot(page, 'campaign-detail-en')

    await page.getByRole('button', { name: 'User menu' }).click()
    await page.getByRole('menuitem', { name: '简体中文' }).click()
    await expect.poll(() => kpi(page, '达成比例')).toBe('40%')
    await expect(page.getByRole('navigation', { name: '主菜单' }).getByRole('menuitem', { name: '市场活动' }).isVisible()).resolves.toBe(true)
  })

  it('shows an order entered elsewhere (an ERP, through the API) on the open campaign page within seconds', async () => {
    const { page } = browser
    expect(new URL(page.url()).pathname).toBe(campaignPath)
    await page.evaluate(() => { window.yardstickE2eMarker = true })
    const campaignId = campaignPath.split('/').pop()!
    const res = await fetch(`${baseUrl}/api/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await apiToken(baseUrl, me)}` },
      body: JSON.stringify({ amount: '10000', campaignId }),
    })
    expect(res.status).toBe(201)

    // Well inside the page's 30 s fallback poll: the server's change events carry it.
    await expect.poll(() => kpi(page, '实际收益'), { timeout: 8_000 }).toBe('¥50,000.00')
    expect(await kpi(page, '达成比例')).toBe('50%')
    expect(await kpi(page, '投资回报率')).toBe('150%')
    expect(await page.evaluate(() => window.yardstickE2eMarker)).toBe(true)
  })

  it('lists the campaign with its figures, the order and the won opportunity', async () => {
    const { page } = browser
    await openFromMenu(page, '市场活动', '/campaigns')
    const campaign = page.getByRole('row').filter({ hasText: CAMPAIGN.name })
    await expect.poll(() => campaign.innerText()).toMatch(/¥50,000\.00[\s\S]*50%[\s\S]*150%/)
    await screenshot(page, 'campaigns')

    await openFromMenu(page, '订单', '/orders')
    const order = page.getByRole('row').filter({ hasText: LEAD.company })
    await expect.poll(() => order.innerText()).toMatch(/¥40,000\.00[\s\S]*已确认|已确认[\s\S]*¥40,000\.00/)
    await screenshot(page, 'orders')
    await order.getByRole('link', { name: /^SO-/ }).click()
    await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/)
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toMatch(/^SO-/)
    await screenshot(page, 'order-detail')

    await openFromMenu(page, '销售机会', '/opportunities')
    await expect.poll(() => page.getByRole('row').filter({ hasText: LEAD.company }).innerText()).toContain('赢单')
    await screenshot(page, 'opportunities')
    await page.getByRole('radio', { name: '看板' }).click({ force: true })
    await page.waitForURL((url) => url.searchParams.get('view') === 'board')
    await expect.poll(() => page.getByText(LEAD.company).first().isVisible()).toBe(true)
    await screenshot(page, 'opportunities-board')
  })

  it('throws no uncaught errors in the page', () => {
    expect(browser.pageErrors).toEqual([])
  })
})
