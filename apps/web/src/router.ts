import { createRouter, createWebHistory, type RouteLocationRaw, type RouteRecordRaw } from 'vue-router'
import type { MessageSchema } from './i18n/zh-CN.ts'
import type { EndReason } from './stores/session.ts'
import { useSessionStore } from './stores/session.ts'
import type { Permission } from './stores/permissions.ts'

type NavKey = `nav.${keyof MessageSchema['nav']}` | `settings.${keyof MessageSchema['settings']}` | `${'notFound' | 'forbidden' | 'login'}.title`

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without logging in. */
    public?: boolean
    /** What the role needs to open the page (hidden from the menu otherwise). */
    permission?: Permission
    /** The i18n key of the page title (browser tab). */
    title?: NavKey
  }
}

export const HOME = '/dashboard'

/** Only same-app paths: an open redirect would send a fresh session to another site. */
export function safeRedirect(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return HOME
  if (value === '/login' || value.startsWith('/login?') || value.startsWith('/login/')) return HOME
  return value
}

/** The login page, remembering where to return to when the session merely expired. */
export function loginLocation(currentPath: string, reason: EndReason): RouteLocationRaw {
  const query: Record<string, string> = { reason }
  if (reason === 'expired' && safeRedirect(currentPath) !== HOME) query.redirect = currentPath
  return { name: 'login', query }
}

// Each page is its own chunk: the login page does not carry the tables, and only the campaign page carries ECharts.

export const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('./pages/LoginPage.vue'), meta: { public: true, title: 'login.title' } },
  {
    path: '/',
    component: () => import('./components/layout/AppLayout.vue'),
    children: [
      { path: '', redirect: HOME },
      { path: 'dashboard', name: 'dashboard', component: () => import('./pages/DashboardPage.vue'), meta: { title: 'nav.dashboard' } },
      { path: 'campaigns', name: 'campaigns', component: () => import('./pages/campaigns/CampaignsPage.vue'), meta: { title: 'nav.campaigns', permission: 'campaigns:read' } },
      { path: 'campaigns/:id', name: 'campaign', component: () => import('./pages/campaigns/CampaignDetailPage.vue'), meta: { title: 'nav.campaigns', permission: 'campaigns:read' } },
      { path: 'attribution', name: 'attribution', component: () => import('./pages/attribution/ModelComparisonPage.vue'), meta: { title: 'nav.attribution', permission: 'campaigns:read' } },
      { path: 'leads', name: 'leads', component: () => import('./pages/leads/LeadsPage.vue'), meta: { title: 'nav.leads', permission: 'leads:read' } },
      { path: 'leads/:id', name: 'lead', component: () => import('./pages/leads/LeadDetailPage.vue'), meta: { title: 'nav.leads', permission: 'leads:read' } },
      { path: 'accounts', name: 'accounts', component: () => import('./pages/accounts/AccountsPage.vue'), meta: { title: 'nav.accounts', permission: 'accounts:read' } },
      { path: 'accounts/:id', name: 'account', component: () => import('./pages/accounts/AccountDetailPage.vue'), meta: { title: 'nav.accounts', permission: 'accounts:read' } },
      { path: 'contacts', name: 'contacts', component: () => import('./pages/contacts/ContactsPage.vue'), meta: { title: 'nav.contacts', permission: 'contacts:read' } },
      { path: 'contacts/:id', name: 'contact', component: () => import('./pages/contacts/ContactDetailPage.vue'), meta: { title: 'nav.contacts', permission: 'contacts:read' } },
      { path: 'opportunities', name: 'opportunities', component: () => import('./pages/opportunities/OpportunitiesPage.vue'), meta: { title: 'nav.opportunities', permission: 'opportunities:read' } },
      { path: 'opportunities/:id', name: 'opportunity', component: () => import('./pages/opportunities/OpportunityDetailPage.vue'), meta: { title: 'nav.opportunities', permission: 'opportunities:read' } },
      { path: 'orders', name: 'orders', component: () => import('./pages/orders/OrdersPage.vue'), meta: { title: 'nav.orders', permission: 'orders:read' } },
      { path: 'orders/:id', name: 'order', component: () => import('./pages/orders/OrderDetailPage.vue'), meta: { title: 'nav.orders', permission: 'orders:read' } },
      {
        path: 'settings',
        component: () => import('./pages/settings/SettingsPage.vue'),
        meta: { title: 'nav.settings' },
        children: [
          { path: '', name: 'settings', redirect: { name: 'settings-profile' } },
          { path: 'profile', name: 'settings-profile', component: () => import('./pages/settings/ProfilePage.vue'), meta: { title: 'settings.profile' } },
          { path: 'users', name: 'settings-users', component: () => import('./pages/settings/UsersPage.vue'), meta: { title: 'settings.users', permission: 'users:manage' } },
          { path: 'api-tokens', name: 'settings-api-tokens', component: () => import('./pages/settings/ApiTokensPage.vue'), meta: { title: 'settings.apiTokens', permission: 'api-tokens:manage' } },
          { path: 'attribution', name: 'settings-attribution', component: () => import('./pages/settings/AttributionSettingsPage.vue'), meta: { title: 'settings.attribution', permission: 'settings:manage' } },
          { path: 'member-flows', name: 'settings-member-flows', component: () => import('./pages/settings/MemberFlowsPage.vue'), meta: { title: 'settings.memberFlows', permission: 'settings:manage' } },
        ],
      },
      { path: 'forbidden', name: 'forbidden', component: () => import('./pages/ForbiddenPage.vue'), meta: { title: 'forbidden.title' } },
      { path: ':pathMatch(.*)*', name: 'not-found', component: () => import('./pages/NotFoundPage.vue'), meta: { title: 'notFound.title' } },
    ],
  },
]

export function createAppRouter(history = createWebHistory()) {
  const router = createRouter({
    history,
    routes,
    scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
  })

  router.beforeEach((to) => {
    const session = useSessionStore()
    if (to.meta.public) {
      if (to.name === 'login' && session.isAuthenticated) return safeRedirect(to.query.redirect)
      return true
    }
    if (!session.isAuthenticated) return { name: 'login', query: safeRedirect(to.fullPath) === HOME ? {} : { redirect: to.fullPath } }
    // A child inherits its parent's permission: matched covers the whole chain.
    for (const record of to.matched) {
      if (record.meta.permission && !session.can(record.meta.permission)) return { name: 'forbidden' }
    }
    return true
  })

  // After a deployment the old chunk names are gone: load the page afresh instead of failing.
  router.onError((error: unknown, to) => {
    if (error instanceof Error && /dynamically imported module|Importing a module script failed|Failed to fetch/i.test(error.message)) {
      window.location.assign(to.fullPath)
    }
  })

  return router
}

export const router = createAppRouter()
