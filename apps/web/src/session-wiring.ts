import { watch } from 'vue'
import type { Router } from 'vue-router'
import { installAuth, type ApiClient } from './api/client.ts'
import { loginLocation } from './router.ts'
import type { useSessionStore } from './stores/session.ts'

type Session = ReturnType<typeof useSessionStore>

/**
 * Connects the session to the API client and the router: the client sends the session's
 * token and refreshes it; when the session ends (a refused refresh, a logout here or in
 * another tab) the user leaves the protected pages for the login page, which brings them
 * back where they were after an expiry.
 */
export function wireSession(session: Session, router: Router, client?: ApiClient): void {
  installAuth({
    accessToken: () => session.accessToken,
    refresh: () => session.refresh(),
    sessionExpired: () => session.clear('expired'),
  }, client)

  watch(() => session.isAuthenticated, (authenticated, before) => {
    const current = router.currentRoute.value
    if (before && !authenticated && !current.meta.public) void router.replace(loginLocation(current.fullPath, session.endReason ?? 'expired'))
  })
}
