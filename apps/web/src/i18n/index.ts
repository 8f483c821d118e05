import { createI18n } from 'vue-i18n'
import en from './en.ts'
import zhCN, { type MessageSchema } from './zh-CN.ts'

export const LOCALES = ['zh-CN', 'en'] as const
export type AppLocale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: AppLocale = 'zh-CN'

const STORAGE_KEY = 'ys.locale'

declare module 'vue-i18n' {
  // Typed keys: t('nav.campaign') with a typo fails vue-tsc.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  export interface DefineLocaleMessage extends MessageSchema {}
}

export function isAppLocale(value: unknown): value is AppLocale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

/** The locale chosen on this browser before, or Chinese. */
export function storedLocale(): AppLocale {
  try {
    const value = localStorage.getItem(STORAGE_KEY)
    return isAppLocale(value) ? value : DEFAULT_LOCALE
  } catch {
    return DEFAULT_LOCALE
  }
}

export function createAppI18n(locale: AppLocale = storedLocale()) {
  return createI18n({
    legacy: false,
    locale,
    fallbackLocale: DEFAULT_LOCALE,
    messages: { 'zh-CN': zhCN, en },
    missingWarn: import.meta.env.DEV,
    fallbackWarn: false,
  })
}

export type AppI18n = ReturnType<typeof createAppI18n>

export const i18n: AppI18n = createAppI18n()

/** Switches the UI language and remembers it on this browser (the server copy is the session's job). */
export function applyLocale(locale: AppLocale, instance: AppI18n = i18n): void {
  instance.global.locale.value = locale
  try {
    localStorage.setItem(STORAGE_KEY, locale)
  } catch {
    // Private mode or storage full: the choice lasts for this page only.
  }
  if (typeof document !== 'undefined') document.documentElement.lang = locale
}

/** t() outside components (stores, the API client, the router). */
export const t = i18n.global.t
