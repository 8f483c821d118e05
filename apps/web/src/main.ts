import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { applyLocale, i18n, storedLocale } from './i18n/index.ts'
import { router } from './router.ts'
import { wireSession } from './session-wiring.ts'
import { useSessionStore } from './stores/session.ts'
import './styles/main.css'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia).use(i18n)

const session = useSessionStore(pinia)
applyLocale(session.user?.locale ?? storedLocale())

wireSession(session, router)

app.use(router)
app.mount('#app')

// The role or name may have changed since the last visit.
if (session.isAuthenticated) session.loadMe().catch(() => undefined)
