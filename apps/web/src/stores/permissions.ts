import type { components } from '../api/schema'

// A mirror of apps/api/src/lib/permissions.ts (a test keeps the two equal). The UI only uses it
// to hide what a role may not do; the server enforces it.

export type Role = components['schemas']['User']['role']
export const ROLES: readonly Role[] = ['admin', 'marketing', 'sales', 'viewer']

export const PERMISSIONS = [
  'users:manage', 'api-tokens:manage', 'settings:manage', 'audit:read',
  'campaigns:read', 'campaigns:write', 'touchpoints:write',
  'leads:read', 'leads:write',
  'costs:read', 'costs:write',
  'analytics:read',
  'accounts:read', 'accounts:write',
  'contacts:read', 'contacts:write',
  'opportunities:read', 'opportunities:write',
  'orders:read', 'orders:write',
] as const
export type Permission = (typeof PERMISSIONS)[number]

const reads = PERMISSIONS.filter((p) => p.endsWith(':read') && p !== 'audit:read')

export const ROLE_PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = Object.freeze({
  admin: new Set<Permission>(PERMISSIONS),
  marketing: new Set<Permission>([...reads, 'campaigns:write', 'touchpoints:write', 'leads:write', 'costs:write']),
  sales: new Set<Permission>([...reads, 'leads:write', 'accounts:write', 'contacts:write', 'opportunities:write', 'orders:write']),
  viewer: new Set<Permission>(reads),
})

export function roleCan(role: Role | null | undefined, permission: Permission): boolean {
  return role ? ROLE_PERMISSIONS[role].has(permission) : false
}
