import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { chromium, selectors, type BrowserContext, type Page } from 'playwright-core'

/** Debian's Chromium (apt-get install -y chromium): the tests never download a browser. */
export const CHROMIUM = '/usr/bin/chromium'
export const hasChromium = existsSync(CHROMIUM)
export const MISSING_CHROMIUM = `Chromium not found at ${CHROMIUM}: skipping the browser tests (apt-get install -y chromium)`

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync']

// The pages mark what tests hold on to with data-test (never styling hooks).
selectors.setTestIdAttribute('data-test')

export interface Browser {
  context: BrowserContext
  page: Page
  /** Uncaught exceptions in the page: a test fails when the app throws behind the user's back. */
  pageErrors: string[]
  close(): Promise<void>
}

/** A Chromium with a fresh profile, a desktop-sized window, Chinese and Beijing time as in the office. */
export async function openBrowser(): Promise<Browser> {
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'yardstick-e2e-chromium-'))
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  })
  // Fail with Playwright's own message (what it waited for) well before Vitest's test timeout.
  context.setDefaultTimeout(10_000)
  const page = context.pages()[0] ?? (await context.newPage())
  const pageErrors: string[] = []
  context.on('weberror', (error) => pageErrors.push(error.error().message))
  return {
    context,
    page,
    pageErrors,
    async close() {
      await context.close()
      await rm(userDataDir, { recursive: true, force: true })
    },
  }
}
