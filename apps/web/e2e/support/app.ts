import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { Locator, Page } from 'playwright-core'

export const ARTIFACTS = path.resolve(import.meta.dirname, '../artifacts')

/** Logs in through the login page and waits for the app to open. */
export async function logIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`)
  await page.getByLabel('邮箱').fill(email)
  await page.getByLabel('密码', { exact: true }).fill(password)
  await page.getByRole('button', { name: '登录' }).click()
  await page.waitForURL((url) => url.pathname !== '/login')
}

/** Opens a page from the sidebar, as a user does (no page load). */
export async function openFromMenu(page: Page, label: string, pathname: string): Promise<void> {
  await page.getByRole('navigation', { name: '主菜单' }).getByRole('menuitem', { name: label }).click()
  await page.waitForURL((url) => url.pathname === pathname)
}

/**
 * Picks an option in an Element Plus select, found by its label. The select shows its value or
 * placeholder over the input, so the click lands there, as a user's click does.
 */
export async function choose(page: Page, field: Locator, option: string): Promise<void> {
  await field.click({ force: true })
  await page.getByRole('option', { name: option, exact: true }).click()
}

/** Picks a record in a select that searches the server as the user types. */
export async function chooseRecord(page: Page, field: Locator, name: string): Promise<void> {
  await field.click({ force: true })
  await field.pressSequentially(name)
  await page.getByRole('option', { name, exact: true }).click()
}

/**
 * The figure under a KPI card's label on the campaign page, read as the user reads it:
 * the line after the label in the KPI section.
 */
export async function kpi(page: Page, label: string, region = '核心指标'): Promise<string> {
  const lines = (await page.getByRole('region', { name: region }).innerText()).split('\n').map((line) => line.trim()).filter(Boolean)
  const at = lines.indexOf(label)
  return at === -1 ? `(no KPI labelled ${label} in: ${lines.join(' | ')})` : lines[at + 1]!
}

/**
 * Saves what the user sees to e2e/artifacts/<name>.png once the page settled (no loading masks,
 * fonts loaded), leaving out the toasts of earlier steps. Not "network idle": the app keeps its
 * stream of change events open.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true })
  // Class names are fine here: they only keep transient things out of the picture.
  await page.locator('.el-loading-mask:visible').first().waitFor({ state: 'detached', timeout: 8_000 }).catch(() => {})
  await page.evaluate(async () => {
    await document.fonts.ready
    // The top of the page, whatever the steps before scrolled to.
    document.getElementById('main')?.scrollTo(0, 0)
  })
  // ECharts draws on a canvas and animates for a second: let the chart finish.
  if (await page.locator('canvas').count() > 0) await page.waitForTimeout(1_200)
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), animations: 'disabled', style: '.el-message { display: none !important; }' })
}
