import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { logIn, screenshot } from './support/app.ts'
import { hasChromium, openBrowser, type Browser } from './support/chromium.ts'
import { apiToken, createUser, type User } from './support/users.ts'

const baseUrl = inject('baseUrl')

// A marketing manager keeps the dashboard open on one campaign; a salesperson wins its deal in
// another browser; the manager's figures move without a reload.
const CAMPAIGN = { name: '2026 深圳电子展', code: 'DASH-SZ-2026', type: 'trade_show', actualCost: '10000', expectedRevenue: '60000' }
const DEAL = { name: '鹏城电子 · 产线升级', amount: '30000' }

declare global {
  interface Window {
    /** Set by the test; gone if the page reloads. */
    yardstickDashboardMarker?: boolean
  }
}

async function post<T>(token: string, path: string, body: unknown): Promise<T> {
  const res = await fetch(`${baseUrl}/api/v1${path}`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

describe.skipIf(!hasChromium)('the ROI dashboard', () => {
  let manager: Browser
  let salesBrowser: Browser
  let marketing: User
  let sales: User
  let campaignId = ''
  let opportunityId = ''

  beforeAll(async () => {
    const admin = { email: inject('adminEmail'), password: inject('adminPassword') }
    marketing = await createUser(baseUrl, admin, { email: 'zhou.li@yardstick.test', name: '周丽', role: 'marketing', password: 'Dashboard-flow-1' })
    sales = await createUser(baseUrl, admin, { email: 'sun.hao@yardstick.test', name: '孙浩', role: 'sales', password: 'Dashboard-flow-2' })
    const marketingToken = await apiToken(baseUrl, marketing)
    campaignId = (await post<{ id: string }>(marketingToken, '/campaigns', CAMPAIGN)).id
    const lead = await post<{ id: string }>(marketingToken, '/leads', { name: '郑乐', company: '鹏城电子', campaignId })
    const salesToken = await apiToken(baseUrl, sales)
    opportunityId = (await post<{ id: string }>(salesToken, '/opportunities', { name: DEAL.name, amount: DEAL.amount, campaignId, leadId: lead.id })).id
    manager = await openBrowser()
    salesBrowser = await openBrowser()
    await logIn(manager.page, baseUrl, marketing.email, marketing.password)
    await logIn(salesBrowser.page, baseUrl, sales.email, sales.password)
  })
  afterAll(async () => {
    await manager?.close()
    await salesBrowser?.close()
  })

  const figure = (testId: string) => manager.page.getByTestId(testId).innerText()

  it('shows the campaign\'s spend, revenue and ROI for the period, filtered through the URL', async () => {
    const { page } = manager
    await page.goto(`${baseUrl}/dashboard?campaignId=${campaignId}`)
    await expect.poll(() => figure('kpi-cost'), { timeout: 10_000 }).toBe('¥10,000.00')
    expect(await figure('kpi-revenue')).toBe('¥0.00')
    expect(await figure('kpi-roi')).toBe('-100%')
    expect(await figure('kpi-leads')).toBe('1')
    await page.evaluate(() => { window.yardstickDashboardMarker = true })
    await screenshot(page, 'dashboard')
  })

  it('moves revenue and ROI on the open dashboard when a colleague wins the deal elsewhere', async () => {
    const { page } = salesBrowser
    await page.goto(`${baseUrl}/opportunities/${opportunityId}`)
    await page.getByTestId('opportunity-win').click()
    const win = page.getByRole('dialog', { name: `赢单：${DEAL.name}` })
    await win.getByRole('button', { name: '赢单' }).click()
    await expect.poll(() => page.getByText(/已赢单，并生成订单 \S+/).first().isVisible(), { timeout: 5_000 }).toBe(true)

    // Within 2 s of the win, as the issue asks, with room for a slow CI machine.
    await expect.poll(() => figure('kpi-revenue'), { timeout: 5_000 }).toBe('¥30,000.00')
    expect(await figure('kpi-roi')).toBe('200%')
    expect(await figure('kpi-won')).toBe('1')
    expect(await manager.page.evaluate(() => window.yardstickDashboardMarker)).toBe(true)
    expect(manager.pageErrors).toEqual([])
  })

  it('exports a table as CSV that Excel opens in Chinese, and a chart as PNG', async () => {
    const { page } = manager
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-channels-csv').click()])
    expect(csv.suggestedFilename()).toMatch(/^yardstick-channels-.*\.csv$/)
    const text = await readFile((await csv.path())!, 'utf8')
    expect(text.charCodeAt(0)).toBe(0xfeff)
    const [header, row] = text.slice(1).split('\r\n')
    expect(header).toContain('营销支出')
    expect(row).toContain('10000.00')
    expect(row).toContain('30000.00')

    const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-channels-png').click()])
    expect(png.suggestedFilename()).toMatch(/\.png$/)
    const bytes = await readFile((await png.path())!)
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  })

  it('counts a cost entered in the campaign\'s ledger, in another tab, on the open dashboard', async () => {
    const ledger = await manager.context.newPage()
    await ledger.goto(`${baseUrl}/campaigns/${campaignId}?tab=costs`)
    const tab = ledger.getByRole('tabpanel', { name: '费用明细' })
    await expect.poll(() => tab.getByTestId('cost-total').innerText(), { timeout: 10_000 }).toBe('¥10,000.00')
    await tab.getByRole('button', { name: '记一笔费用' }).click()
    const dialog = ledger.getByRole('dialog', { name: '记一笔费用' })
    await dialog.getByTestId('cost-amount').fill('5000')
    await dialog.getByTestId('cost-note').fill('展位搭建')
    await dialog.getByRole('button', { name: '保存' }).click()
    await expect.poll(() => tab.getByTestId('cost-total').innerText(), { timeout: 5_000 }).toBe('¥15,000.00')
    await screenshot(ledger, 'campaign-cost-ledger')
    await ledger.close()

    await expect.poll(() => figure('kpi-cost'), { timeout: 5_000 }).toBe('¥15,000.00')
    expect(await figure('kpi-roi')).toBe('100%')
  })
})
