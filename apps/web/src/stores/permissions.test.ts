import { describe, expect, it } from 'vitest'
import { ROLE_PERMISSIONS as SERVER_ROLE_PERMISSIONS } from '../../../api/src/lib/permissions.ts'
import { PERMISSIONS, ROLE_PERMISSIONS, ROLES, roleCan } from './permissions.ts'

describe('the role permissions the UI uses', () => {
  it('mirror the server\'s, role by role', () => {
    expect(Object.keys(ROLE_PERMISSIONS).sort()).toEqual(Object.keys(SERVER_ROLE_PERMISSIONS).sort())
    for (const role of ROLES) {
      expect([...ROLE_PERMISSIONS[role]].sort(), role).toEqual([...SERVER_ROLE_PERMISSIONS[role]].sort())
    }
  })

  it('let only admins manage users and API tokens', () => {
    expect(ROLES.filter((role) => roleCan(role, 'users:manage'))).toEqual(['admin'])
    expect(ROLES.filter((role) => roleCan(role, 'api-tokens:manage'))).toEqual(['admin'])
  })

  it('let every role read the CRM records but the viewer write none', () => {
    for (const role of ROLES) expect(roleCan(role, 'campaigns:read')).toBe(true)
    expect(PERMISSIONS.filter((p) => p.endsWith(':write') && roleCan('viewer', p))).toEqual([])
  })

  it('let marketing write campaigns but not orders, and sales the reverse', () => {
    expect(roleCan('marketing', 'campaigns:write')).toBe(true)
    expect(roleCan('marketing', 'orders:write')).toBe(false)
    expect(roleCan('sales', 'orders:write')).toBe(true)
    expect(roleCan('sales', 'campaigns:write')).toBe(false)
  })

  it('allow nothing without a role', () => {
    expect(roleCan(null, 'campaigns:read')).toBe(false)
  })
})
