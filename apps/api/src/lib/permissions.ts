export const ROLES = ['admin', 'marketing', 'sales', 'viewer'] as const
export type Role = (typeof ROLES)[number]

/** `<resource>:read` or `<resource>:write`; admin-only resources have a single `manage`. */
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

/**
 * What a route needs: `public` (no token), `authenticated` (any active user or token),
 * or one permission. Every /api/v1 route must declare one; the app refuses to start otherwise.
 */
export type Access = 'public' | 'authenticated' | Permission

const reads = PERMISSIONS.filter((p) => p.endsWith(':read') && p !== 'audit:read')

export const ROLE_PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = Object.freeze({
  admin: new Set<Permission>(PERMISSIONS),
  marketing: new Set<Permission>([...reads, 'campaigns:write', 'touchpoints:write', 'leads:write', 'costs:write']),
  sales: new Set<Permission>([...reads, 'leads:write', 'accounts:write', 'contacts:write', 'opportunities:write', 'orders:write']),
  viewer: new Set<Permission>(reads),
})

export function roleAllows(role: Role, access: Access): boolean {
  if (access === 'public' || access === 'authenticated') return true
  return ROLE_PERMISSIONS[role].has(access)
}
