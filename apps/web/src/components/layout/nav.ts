import { DataAnalysis, Odometer, OfficeBuilding, Promotion, Setting, Tickets, TrendCharts, User, Guide } from '@element-plus/icons-vue'
import type { Component } from 'vue'
import type { MessageSchema } from '../../i18n/zh-CN.ts'
import type { Permission } from '../../stores/permissions.ts'

export interface NavItem {
  path: string
  label: `nav.${keyof MessageSchema['nav']}`
  icon: Component
  /** Hidden from roles without it. */
  permission?: Permission
}

export const NAV_ITEMS: readonly NavItem[] = [
  { path: '/dashboard', label: 'nav.dashboard', icon: Odometer },
  { path: '/campaigns', label: 'nav.campaigns', icon: Promotion, permission: 'campaigns:read' },
  { path: '/attribution', label: 'nav.attribution', icon: DataAnalysis, permission: 'campaigns:read' },
  { path: '/leads', label: 'nav.leads', icon: Guide, permission: 'leads:read' },
  { path: '/accounts', label: 'nav.accounts', icon: OfficeBuilding, permission: 'accounts:read' },
  { path: '/contacts', label: 'nav.contacts', icon: User, permission: 'contacts:read' },
  { path: '/opportunities', label: 'nav.opportunities', icon: TrendCharts, permission: 'opportunities:read' },
  { path: '/orders', label: 'nav.orders', icon: Tickets, permission: 'orders:read' },
  { path: '/settings', label: 'nav.settings', icon: Setting },
]

export function visibleNavItems(can: (permission: Permission) => boolean): NavItem[] {
  return NAV_ITEMS.filter((item) => !item.permission || can(item.permission))
}

/** The menu entry a path belongs to: /campaigns/42 lights up /campaigns. */
export function activeNavPath(path: string): string {
  const match = NAV_ITEMS.find((item) => path === item.path || path.startsWith(`${item.path}/`))
  return match?.path ?? ''
}
