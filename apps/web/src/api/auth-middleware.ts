import type { Middleware } from 'openapi-fetch'

export interface AuthHooks {
  /** The access token to send, or null when nobody is logged in. */
  accessToken(): string | null
  /**
   * Trades the refresh token for a new pair and returns the new access token;
   * null when the server refuses (the session is over); throws when the server is unreachable.
   */
  refresh(): Promise<string | null>
  /** The session is over: forget it and send the user to the login page. Called once per failed refresh. */
  sessionExpired(): void
}

/** These carry no bearer token, and their 401 means wrong credentials, not an expired session. */
const UNAUTHENTICATED_PATHS = new Set(['/api/v1/auth/login', '/api/v1/auth/refresh', '/api/v1/auth/logout'])

/**
 * Adds `Authorization: Bearer` to every call and, on a 401, refreshes the session once and
 * repeats the call with the new token. Concurrent 401s share one refresh: the server's refresh
 * tokens are single-use, and replaying one ends the whole session.
 */
export function createAuthMiddleware(hooks: AuthHooks): Middleware {
  // What a request needs to be sent again: a copy taken before its body was read, and the token it carried.
  const sent = new Map<string, { copy: Request; token: string }>()
  let refreshing: Promise<string | null> | null = null

  function refreshOnce(): Promise<string | null> {
    refreshing ??= hooks.refresh()
      .then((token) => {
        if (!token) hooks.sessionExpired()
        return token
      }, () => null) // unreachable server: keep the session; the caller sees the original 401
      .finally(() => {
        refreshing = null
      })
    return refreshing
  }

  return {
    onRequest({ request, schemaPath, id }) {
      if (UNAUTHENTICATED_PATHS.has(schemaPath)) return undefined
      const token = hooks.accessToken()
      if (!token) return undefined
      request.headers.set('Authorization', `Bearer ${token}`)
      sent.set(id, { copy: request.clone(), token })
      return request
    },

    async onResponse({ response, id, options }) {
      const entry = sent.get(id)
      sent.delete(id)
      if (!entry || response.status !== 401) return undefined

      const current = hooks.accessToken()
      if (!current) return undefined // logged out meanwhile
      // Another call may have refreshed while this one was in flight: then just use its token.
      const token = current !== entry.token ? current : await refreshOnce()
      if (!token) return undefined

      entry.copy.headers.set('Authorization', `Bearer ${token}`)
      const retried = await options.fetch(entry.copy)
      if (retried.status === 401 && hooks.accessToken() === token) hooks.sessionExpired()
      return retried
    },

    onError({ id }) {
      sent.delete(id)
      return undefined
    },
  }
}
