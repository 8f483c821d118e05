import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { screenshot } from './support/app.ts'
import { hasChromium, openBrowser, type Browser } from './support/chromium.ts'

const baseUrl = inject('baseUrl')
const email = inject('adminEmail')
const password = inject('adminPassword')

describe.skipIf(!hasChromium)('the login page', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await openBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('is in Chinese and switches to English and back', async () => {
    const { page } = browser
    await page.goto(`${baseUrl}/login`)
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('登录')
    await screenshot(page, 'login')

    const language = page.getByRole('group', { name: '语言' })
    await language.getByRole('button', { name: 'English' }).click()
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Log in')
    await expect(page.getByLabel('Password', { exact: true }).isVisible()).resolves.toBe(true)
    await screenshot(page, 'login-en')

    await page.getByRole('group', { name: 'Language' }).getByRole('button', { name: '简体中文' }).click()
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('登录')
  })

  it('says the email or password is wrong and stays on the login page', async () => {
    const { page } = browser
    await page.goto(`${baseUrl}/login`)
    await page.getByLabel('邮箱').fill(email)
    await page.getByLabel('密码', { exact: true }).fill('not-the-password')
    await page.getByRole('button', { name: '登录' }).click()
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('邮箱或密码错误，请重新输入。')
    expect(new URL(page.url()).pathname).toBe('/login')
    // The wrong password is not left in the field for the next attempt.
    await expect(page.getByLabel('密码', { exact: true }).inputValue()).resolves.toBe('')
    await screenshot(page, 'login-wrong-password')
  })

  it('asks for the fields before sending anything', async () => {
    const { page } = browser
    await page.goto(`${baseUrl}/login`)
    await page.getByRole('button', { name: '登录' }).click()
    await expect.poll(() => page.getByText('请输入邮箱').isVisible()).toBe(true)
    await expect(page.getByText('请输入密码').isVisible()).resolves.toBe(true)
  })

  it('logs in and returns to the page the user asked for', async () => {
    const { page } = browser
    await page.goto(`${baseUrl}/campaigns`)
    await page.waitForURL((url) => url.pathname === '/login')
    await page.getByLabel('邮箱').fill(email)
    await page.getByLabel('密码', { exact: true }).fill(password)
    await page.getByRole('button', { name: '登录' }).click()
    await page.waitForURL((url) => url.pathname === '/campaigns')
    await expect(page.getByRole('heading', { name: '市场活动' }).isVisible()).resolves.toBe(true)
  })

  it('logs out from the user menu and says so', async () => {
    const { page } = browser
    await page.getByRole('button', { name: '用户菜单' }).click()
    await page.getByRole('menuitem', { name: '退出登录' }).click()
    await page.waitForURL((url) => url.pathname === '/login')
    await expect.poll(() => page.getByText('已退出登录。').isVisible()).toBe(true)
    // The session is gone: the app sends the user back to the login page.
    await page.goto(`${baseUrl}/campaigns`)
    await page.waitForURL((url) => url.pathname === '/login')
  })

  it('throws no uncaught errors in the page', () => {
    expect(browser.pageErrors).toEqual([])
  })
})
