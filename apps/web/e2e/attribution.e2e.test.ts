import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import path from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { ARTIFACTS, choose, logIn, openFromMenu, screenshot } from './support/app.ts'
import { hasChromium, openBrowser, type Browser } from './support/chromium.ts'
import { apiToken, createUser, type User } from './support/users.ts'

const baseUrl = inject('baseUrl')

// A channel programme with a launch event under it, and a white paper: one buyer met all three
// before the deal was won. The models share the 100,000.00 differently; the total stays the same.
const CHANNEL = { name: '2026 华东渠道推广', code: 'CH-2026-EAST', type: 'other', actualCost: '10000', expectedRevenue: '200000' }
const LAUNCH = { name: '2026 杭州新品发布会', code: 'CONF-2026-HZ', type: 'conference', actualCost: '20000', expectedRevenue: '150000' }
const PAPER = { name: '2026 智能工厂白皮书', code: 'CNT-2026-WP', type: 'content', actualCost: '5000', expectedRevenue: '0' }
const BUYER = { name: '陈思远', company: '远航物流', email: 'chen.sy@yuanhang.example' }
const GUEST = { name: '林晓', company: '青石软件', email: 'lin.xiao@qingshi.example' }
const DEAL = '100000'
const DAY = 86_400_000

/** A loading mask fading out would take the click meant for what is under it. */
async function settled(page: Page): Promise<void> {
  await page.locator('.el-loading-mask:visible').first().waitFor({ state: 'detached', timeout: 8_000 }).catch(() => {})
}

/**
 * `screenshot` for what lies below the fold (a tab of the campaign page): it waits as that one
 * does (and saves the top of the page), then the picture is retaken from the top of `from`.
 */
async function screenshotFrom(page: Page, from: Locator, name: string): Promise<void> {
  await screenshot(page, name)
  await from.evaluate((element) => element.scrollIntoView({ block: 'start' }))
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), animations: 'disabled', style: '.el-message { display: none !important; }' })
}

describe.skipIf(!hasChromium)('campaign members, attribution models and the campaign tree', () => {
  let browser: Browser
  let me: User
  let call: <T>(method: string, path: string, body?: unknown) => Promise<T>
  const ids = { channel: '', launch: '', paper: '' }

  beforeAll(async () => {
    if (!baseUrl) return
    me = await createUser(baseUrl, { email: inject('adminEmail'), password: inject('adminPassword') }, {
      email: 'attribution.admin@yardstick.test', name: '归因管理员', role: 'admin', password: 'Attribution-flow-1',
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

    ids.channel = (await call<{ id: string }>('POST', '/campaigns', CHANNEL)).id
    ids.launch = (await call<{ id: string }>('POST', '/campaigns', { ...LAUNCH, parentId: ids.channel })).id
    ids.paper = (await call<{ id: string }>('POST', '/campaigns', PAPER)).id

    // The buyer came from the launch event (its primary source), after reading the white paper
    // and seeing the channel programme: three touches, the paper first and the launch last.
    const buyer = await call<{ id: string }>('POST', '/leads', { ...BUYER, campaignId: ids.launch })
    const touch = (campaignId: string, daysAgo: number, type: string) => call('POST', '/touchpoints', {
      personType: 'lead', personId: buyer.id, campaignId, type, occurredAt: new Date(Date.now() - daysAgo * DAY).toISOString(),
    })
    await touch(ids.paper, 20, 'form_submit')
    await touch(ids.channel, 10, 'ad_click')
    await touch(ids.launch, 2, 'event_attended')
    const { opportunityId } = await call<{ opportunityId: string }>('POST', `/leads/${buyer.id}/convert`, { opportunity: { name: `${BUYER.company} 仓储系统`, amount: DEAL } })
    await call('POST', `/opportunities/${opportunityId}/win`, {})

    // Someone to invite to the launch event.
    await call('POST', '/leads', GUEST)

    browser = await openBrowser()
    await logIn(browser.page, baseUrl, me.email, me.password)
  })

  afterAll(async () => {
    await browser?.close()
  })

  it('adds a lead to the launch event\'s members and moves it to a responded status: the funnel follows', async () => {
    const { page } = browser
    await page.goto(`${baseUrl}/campaigns/${ids.launch}`)
    await page.getByRole('tab', { name: '成员' }).click()
    const funnel = page.getByRole('figure', { name: /^成员状态漏斗：/ })
    await funnel.waitFor()
    await expect.poll(() => funnel.getAttribute('aria-label')).toBe('成员状态漏斗：已邀约 0、已报名 0、已签到 0、未到场 0')

    await page.getByRole('button', { name: '添加成员' }).first().click()
    const dialog = page.getByRole('dialog', { name: '添加活动成员' })
    const person = dialog.getByRole('combobox', { name: '选择线索' })
    await person.click({ force: true })
    await person.pressSequentially(GUEST.name)
    await page.getByRole('option', { name: new RegExp(`^${GUEST.name}`) }).click()
    await dialog.getByRole('button', { name: '添加成员' }).click()
    await expect.poll(() => page.getByText(`已将“${GUEST.name}”添加为活动成员`).isVisible()).toBe(true)
    // Its fading overlay would take the next click.
    await dialog.waitFor({ state: 'hidden' })

    const row = page.locator('.el-table__body').getByRole('row').filter({ hasText: GUEST.name })
    await expect.poll(() => row.innerText()).toContain(GUEST.company)
    await expect.poll(() => funnel.getAttribute('aria-label')).toBe('成员状态漏斗：已邀约 1、已报名 0、已签到 0、未到场 0')

    await settled(page)
    await choose(page, page.getByRole('combobox', { name: `${GUEST.name} 的状态` }), '已报名')
    await expect.poll(() => page.getByText(`“${GUEST.name}”的状态已改为“已报名”`).isVisible()).toBe(true)
    await expect.poll(() => funnel.getAttribute('aria-label')).toBe('成员状态漏斗：已邀约 0、已报名 1、已签到 0、未到场 0')
    await expect.poll(() => page.getByTestId('member-summary').innerText()).toBe('共 1 人 · 已响应 1 人 · 响应率 100%')
    // Responding is dated: the row says when.
    await expect.poll(async () => (await row.innerText()).match(/\d{4}年\d{1,2}月\d{1,2}日/g)?.length ?? 0).toBe(2)
    await screenshotFrom(page, page.getByRole('tablist'), 'campaign-members')

    await row.getByRole('button', { name: '状态历史' }).click()
    const history = page.getByRole('dialog', { name: `状态历史：${GUEST.name}` })
    await expect.poll(() => history.innerText()).toMatch(/已报名[\s\S]*操作人：归因管理员[\s\S]*已邀约/)
    await history.getByRole('button', { name: /关闭|Close/ }).click()
  })

  it('shows the channel programme\'s totals with its sub-campaign, and its revenue under the U-shaped model', async () => {
    const { page } = browser
    await page.goto(`${baseUrl}/campaigns/${ids.channel}`)
    const totals = page.getByRole('region', { name: '含子活动合计' })
    // Its own revenue is nothing (the deal's source is the launch event); with the launch event, 100,000.00.
    await totals.waitFor()
    await expect.poll(() => totals.innerText()).toContain('¥100,000.00')
    const text = await totals.innerText()
    expect(text).toContain('¥30,000.00') // spend of both
    expect(text).toContain('233.33%') // (100,000 − 30,000) ÷ 30,000
    expect(text).toContain('赢单 1 个')
    await screenshot(page, 'campaign-hierarchy')

    await page.getByRole('tab', { name: '归因' }).click()
    const table = page.getByTestId('attribution-table').locator('.el-table__body')
    await expect.poll(() => table.getByRole('row').count()).toBe(5)
    // Keep only the U-shaped model: the others are unticked in the picker.
    await settled(page)
    // The picker's own input is squeezed behind the tags: open it by its arrow, at the right end.
    const picker = page.getByTestId('model-select')
    const box = (await picker.boundingBox())!
    await picker.click({ position: { x: box.width - 14, y: box.height / 2 } })
    for (const name of ['主来源活动', '首次触点', '末次触点', '线性']) await page.getByRole('option', { name: new RegExp(`^${name}`) }).click()
    await page.keyboard.press('Escape')
    await expect.poll(() => table.getByRole('row').count()).toBe(1)
    // 40 % first touch (the paper), 20 % middle (this programme), 40 % last (the launch event).
    const uShaped = table.getByRole('row').filter({ hasText: 'U 型' })
    await expect.poll(() => uShaped.innerText()).toMatch(/¥20,000\.00[\s\S]*0\.20[\s\S]*100%/)
    await expect.poll(() => page.getByRole('figure', { name: /^各模型归因收益：/ }).getAttribute('aria-label')).toBe('各模型归因收益：U 型 ¥20,000.00')
    await screenshotFrom(page, page.getByRole('tablist'), 'campaign-attribution')
  })

  it('compares the models side by side, and every model adds up to the same total', async () => {
    const { page } = browser
    await openFromMenu(page, '模型对比', '/attribution')
    await expect.poll(() => page.getByTestId('comparison-chart').locator('canvas').count()).toBeGreaterThan(0)
    const chart = await page.getByRole('figure', { name: /^各活动归因收益：/ }).getAttribute('aria-label')
    expect(chart).toContain(`${PAPER.name}：主来源活动 ¥0.00、首次触点 ¥100,000.00、末次触点 ¥0.00、线性 ¥33,333.34、U 型 ¥40,000.00`)

    const row = (name: string) => page.getByTestId('comparison-table').locator('.el-table__body').getByRole('row').filter({ hasText: name })
    await row(CHANNEL.name).waitFor()
    // Linear: a third each, the cent left over to the earliest touch.
    await expect.poll(() => row(CHANNEL.name).innerText()).toMatch(/¥10,000\.00[\s\S]*¥33,333\.33[\s\S]*¥20,000\.00/)
    await expect.poll(() => row(LAUNCH.name).innerText()).toMatch(/¥100,000\.00[\s\S]*¥100,000\.00[\s\S]*¥33,333\.33[\s\S]*¥40,000\.00/)
    await expect.poll(() => page.getByTestId('totals-verdict').innerText()).toBe('各模型合计均等于总收益')
    const total = await page.getByTestId('total-revenue').innerText()
    const totals = page.getByTestId('comparison-totals').locator('.el-table__body').getByRole('row')
    await expect.poll(() => totals.count()).toBe(6)
    for (const line of await totals.allInnerTexts()) expect(line.split(/\s+/).filter((cell) => cell.startsWith('¥')).at(-1)).toBe(total)
    await screenshot(page, 'attribution-comparison')
  })

  it('shows the campaigns as a tree: the launch event under the channel programme', async () => {
    const { page } = browser
    await openFromMenu(page, '市场活动', '/campaigns')
    await page.getByRole('radio', { name: '树形' }).click({ force: true })
    await page.waitForURL((url) => url.searchParams.get('view') === 'tree')
    const body = page.locator('.el-table__body')
    const parent = body.getByRole('row').filter({ hasText: CHANNEL.name })
    await parent.waitFor()
    await expect.poll(() => parent.innerText()).toContain('1 个子活动')
    await expect(body.getByRole('row').filter({ hasText: LAUNCH.name }).isVisible()).resolves.toBe(false)

    await parent.locator('.el-table__expand-icon').click()
    await expect.poll(() => body.getByRole('row').filter({ hasText: LAUNCH.name }).isVisible()).toBe(true)
    await screenshot(page, 'campaigns-tree')
  })

  it('throws no uncaught errors in the page', () => {
    expect(browser.pageErrors).toEqual([])
  })
})
