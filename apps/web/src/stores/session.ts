import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api } from '../api/client.ts'
import { ApiError, unwrap } from '../api/errors.ts'
import type { components } from '../api/schema'
import { applyLocale, type AppLocale } from '../i18n/index.ts'
import { roleCan, type Permission } from './permissions.ts'

export type User = components['schemas']['User']
type SessionResponse = { accessToken: string; refreshToken: string; user: User }

const STORAGE_KEY = 'ys.session'

/** Why the session ended, for the login page's message. */
export type EndReason = 'loggedOut' | 'expired' | 'passwordChanged'

interface StoredSession {
  accessToken: string
  refreshToken: string
  user: User
}

function readStored(): StoredSession | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY)
    if (!raw) return null
    const value = JSON.parse(raw) as Partial<StoredSession>
    if (typeof value.accessToken !== 'string' || typeof value.refreshToken !== 'string' || !value.user) return null
    return value as StoredSession
  } catch {
    return null
  }
}

function writeStored(session: StoredSession | null): void {
  try {
    if (session) localStorage.setItem(STORAGE_KEY, JSON.stringify(session))
    else localStorage.removeItem(STORAGE_KEY)
  } catch {
    // Storage unavailable: the session lasts as long as the page.
  }
}

/**
 * Who is logged in, with which tokens, and what their role may do. The tokens live in
 * localStorage so a reload or a second tab stays logged in; tabs follow each other's
 * refreshes and logouts through the storage event.
 */
export const useSessionStore = defineStore('session', () => {
  const initial = readStored()
  const user = ref<User | null>(initial?.user ?? null)
  const accessToken = ref<string | null>(initial?.accessToken ?? null)
  let refreshToken: string | null = initial?.refreshToken ?? null
  const endReason = ref<EndReason | null>(null)
  /** A language picked on the login page: it wins over the one saved with the user. */
  let chosenBeforeLogin: AppLocale | null = null

  const isAuthenticated = computed(() => accessToken.value !== null && user.value !== null)
  const role = computed(() => user.value?.role ?? null)

  /** Whether the signed-in user's role has the permission (mirrors the server). */
  function can(permission: Permission): boolean {
    return roleCan(role.value, permission)
  }

  function adopt(session: StoredSession): void {
    user.value = session.user
    accessToken.value = session.accessToken
    refreshToken = session.refreshToken
  }

  function start(session: SessionResponse): void {
    endReason.value = null
    const stored = { accessToken: session.accessToken, refreshToken: session.refreshToken, user: session.user }
    adopt(stored)
    writeStored(stored)
  }

  /** Forgets the session on this browser (every tab), without telling the server. */
  function clear(reason: EndReason = 'expired'): void {
    endReason.value = reason
    user.value = null
    accessToken.value = null
    refreshToken = null
    writeStored(null)
  }

  /** Throws ApiError: 401 wrong credentials, 429 locked out (retryAfterSeconds), 0/503 server down. */
  async function login(email: string, password: string): Promise<User> {
    const session = await unwrap(api.POST('/api/v1/auth/login', { body: { email, password } }))
    start(session)
    // The language follows the user from browser to browser, unless they just picked one.
    const chosen = chosenBeforeLogin
    chosenBeforeLogin = null
    if (chosen && chosen !== session.user.locale) await setLocale(chosen)
    else applyLocale(session.user.locale)
    return user.value ?? session.user
  }

  async function logout(reason: EndReason = 'loggedOut'): Promise<void> {
    const token = refreshToken
    clear(reason)
    if (!token) return
    try {
      await unwrap(api.POST('/api/v1/auth/logout', { body: { refreshToken: token } }))
    } catch {
      // Best effort: the refresh token expires on its own.
    }
  }

  /**
   * A new access token from the refresh token; null when the server ends the session.
   * Throws when the server cannot be reached, so a network blip does not log anyone out.
   */
  let refreshing: Promise<string | null> | null = null

  function refresh(): Promise<string | null> {
    // Callers in this tab (the API client, the change feed) share one refresh: a second
    // request with the same single-use refresh token would end the session.
    refreshing ??= refreshNow().finally(() => {
      refreshing = null
    })
    return refreshing
  }

  async function refreshNow(): Promise<string | null> {
    const run = async (): Promise<string | null> => {
      const stored = readStored()
      if (!stored) {
        clear('loggedOut')
        return null
      }
      // Another tab refreshed first: its refresh token replaced ours, which is now spent.
      if (stored.accessToken !== accessToken.value) {
        adopt(stored)
        return stored.accessToken
      }
      try {
        const session = await unwrap(api.POST('/api/v1/auth/refresh', { body: { refreshToken: stored.refreshToken } }))
        start(session)
        return session.accessToken
      } catch (error) {
        if (error instanceof ApiError && (error.status === 400 || error.status === 401)) return null
        throw error
      }
    }
    // One refresh at a time across tabs, where the browser can say so.
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined
    return locks ? locks.request('ys.session.refresh', run) : run()
  }

  function setUser(next: User): void {
    user.value = next
    if (accessToken.value && refreshToken) writeStored({ accessToken: accessToken.value, refreshToken, user: next })
  }

  /** Re-reads the user (role or name may have changed since login). */
  async function loadMe(): Promise<void> {
    if (!isAuthenticated.value) return
    setUser(await unwrap(api.GET('/api/v1/me')))
  }

  /** Switches the UI language and, when logged in, saves it as the user's language. */
  async function setLocale(locale: AppLocale): Promise<void> {
    applyLocale(locale)
    if (!isAuthenticated.value) chosenBeforeLogin = locale
    if (!isAuthenticated.value || user.value?.locale === locale) return
    try {
      setUser(await unwrap(api.PATCH('/api/v1/me', { body: { locale } })))
    } catch {
      // The choice still holds on this browser.
    }
  }

  if (typeof window !== 'undefined') {
    window.addEventListener('storage', (event) => {
      if (event.key !== STORAGE_KEY && event.key !== null) return
      const stored = readStored()
      if (stored) adopt(stored)
      else {
        endReason.value = 'loggedOut'
        user.value = null
        accessToken.value = null
        refreshToken = null
      }
    })
  }

  return { user, accessToken, isAuthenticated, endReason, role, can, login, logout, refresh, clear, setUser, loadMe, setLocale }
})
