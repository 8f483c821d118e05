import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { choose, logIn, openFromMenu, screenshot } from './support/app.ts'
import { hasChromium, openBrowser, type Browser } from './support/chromium.ts'
import { createUser } from './support/users.ts'

const baseUrl = inject('baseUrl')
const ADMIN = { name: '赵敏', email: 'zhao.min@yardstick.test', password: 'Settings-admin-1' }

const MARKETER = { name: '李娜', email: 'li.na@yardstick.test', password: 'Marketing-pass-1' }

describe.skipIf(!hasChromium)('settings', () => {
  let browser: Browser
  beforeAll(async () => {
    await createUser(baseUrl, { email: inject('adminEmail'), password: inject('adminPassword') }, { ...ADMIN, role: 'admin' })
    browser = await openBrowser()
    await logIn(browser.page, baseUrl, ADMIN.email, ADMIN.password)
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('opens my profile, where I can rename myself', async () => {
    const { page } = browser
    await openFromMenu(page, '设置', '/settings/profile')
    await expect.poll(() => page.getByLabel('邮箱').inputValue()).toBe(ADMIN.email)
    await screenshot(page, 'settings-profile')

    await page.getByLabel('姓名').fill('赵小敏')
    await page.getByRole('button', { name: '保存' }).click()
    await expect.poll(() => page.getByText('个人资料已保存').isVisible()).toBe(true)
    await expect.poll(() => page.getByRole('button', { name: '用户菜单' }).innerText()).toContain('赵小敏')
  })

  it('lets an admin create a user with a role', async () => {
    const { page } = browser
    await page.getByRole('tab', { name: '用户管理' }).click()
    await page.waitForURL((url) => url.pathname === '/settings/users')
    await page.getByRole('button', { name: '新建用户' }).click()
    const dialog = page.getByRole('dialog', { name: '新建用户' })
    await dialog.getByLabel('邮箱').fill(MARKETER.email)
    await dialog.getByLabel('姓名').fill(MARKETER.name)
    await choose(page, dialog.getByLabel('角色'), '市场')
    await dialog.getByLabel('初始密码（选填）').fill(MARKETER.password)
    await dialog.getByRole('button', { name: '新建' }).click()
    const row = page.getByRole('row').filter({ hasText: MARKETER.email })
    await expect.poll(() => row.innerText()).toContain('市场')
    await screenshot(page, 'settings-users')
  })

  it('shows a new API token once; the token works until it is revoked', async () => {
    const { page } = browser
    await page.getByRole('tab', { name: 'API 令牌' }).click()
    await page.waitForURL((url) => url.pathname === '/settings/api-tokens')
    await page.getByRole('button', { name: '新建令牌' }).first().click()
    const dialog = page.getByRole('dialog', { name: '新建令牌' })
    await dialog.getByLabel('名称').fill('ERP 订单同步')
    await dialog.getByRole('button', { name: '新建' }).click()

    const shown = page.getByRole('dialog', { name: '令牌已创建' })
    const token = await shown.getByRole('textbox').inputValue()
    expect(token.length).toBeGreaterThan(20)
    const asErp = () => fetch(`${baseUrl}/api/v1/campaigns`, { headers: { authorization: `Bearer ${token}` } }).then((res) => res.status)
    await expect(asErp()).resolves.toBe(200)
    await screenshot(page, 'settings-token-created')
    await shown.getByRole('button', { name: '我已保存' }).click()
    await shown.waitFor({ state: 'hidden' })

    const row = page.getByRole('row').filter({ hasText: 'ERP 订单同步' })
    await expect.poll(() => row.innerText()).toContain('有效')
    await screenshot(page, 'settings-tokens')

    await row.getByRole('button', { name: '吊销' }).click()
    await page.getByRole('dialog', { name: '吊销' }).getByRole('button', { name: '吊销' }).click()
    await expect.poll(() => page.getByText('已吊销令牌“ERP 订单同步”').isVisible()).toBe(true)
    await expect(asErp()).resolves.toBe(401)
  })

  it('offers a marketing user neither user management nor API tokens', async () => {
    const { page } = browser
    await page.getByRole('button', { name: '用户菜单' }).click()
    await page.getByRole('menuitem', { name: '退出登录' }).click()
    await page.waitForURL((url) => url.pathname === '/login')
    await logIn(page, baseUrl, MARKETER.email, MARKETER.password)

    await openFromMenu(page, '设置', '/settings/profile')
    await expect(page.getByRole('tab').allInnerTexts()).resolves.toEqual(['个人资料'])
    await page.goto(`${baseUrl}/settings/users`)
    await expect.poll(() => page.getByRole('heading', { name: '无权访问' }).isVisible()).toBe(true)
  })

  it('throws no uncaught errors in the page', () => {
    expect(browser.pageErrors).toEqual([])
  })
})
