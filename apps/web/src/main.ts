import { createPinia } from 'pinia'
import { createApp, watch } from 'vue'
import { installAuth } from './api/client.ts'
import App from './App.vue'
import { applyLocale, i18n, storedLocale } from './i18n/index.ts'
import { loginLocation, router } from './router.ts'
import { useSessionStore } from './stores/session.ts'
import './styles/main.css'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia).use(i18n)

const session = useSessionStore(pinia)
applyLocale(session.user?.locale ?? storedLocale())

installAuth({
  accessToken: () => session.accessToken,
  refresh: () => session.refresh(),
  sessionExpired: () => session.clear('expired'),
})

// Logged out here, in another tab, or by a refused refresh: leave the protected pages,
// and come back to the same place after logging in again.
watch(() => session.isAuthenticated, (authenticated, before) => {
  const current = router.currentRoute.value
  if (before && !authenticated && !current.meta.public) void router.replace(loginLocation(current.fullPath, session.endReason ?? 'expired'))
})

app.use(router)
app.mount('#app')

// The role or name may have changed since the last visit.
if (session.isAuthenticated) session.loadMe().catch(() => undefined)
