import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { PERMISSIONS, ROLE_PERMISSIONS, ROLES, type Permission } from '../../lib/permissions.ts'
import { CHANGE_ENTITIES, decodeChange, encodeChange, ENTITY_READ_PERMISSION, MAX_PAYLOAD_BYTES, mayReceive } from './events.service.ts'

describe('mayReceive', () => {
  it('sends a reader only the changes of entities its permissions let it read', () => {
    const ordersOnly = new Set<Permission>(['orders:read', 'orders:write'])
    expect(mayReceive(ordersOnly, { entity: 'order' })).toBe(true)
    expect(mayReceive(ordersOnly, { entity: 'lead' })).toBe(false)
    expect(mayReceive(ordersOnly, { entity: 'cost' })).toBe(false)
  })

  it('needs costs:read for costs and campaigns:read for touchpoints', () => {
    expect(mayReceive(new Set<Permission>(['campaigns:read']), { entity: 'touchpoint' })).toBe(true)
    expect(mayReceive(new Set<Permission>(['campaigns:read']), { entity: 'cost' })).toBe(false)
    expect(mayReceive(new Set<Permission>(['costs:read']), { entity: 'cost' })).toBe(true)
  })

  it('sends nobody an entity it does not know, not even an admin', () => {
    expect(mayReceive(ROLE_PERMISSIONS.admin, { entity: 'salary' })).toBe(false)
  })

  it('maps every entity to a read permission the policy knows, and lets each role receive what it may read', () => {
    for (const entity of CHANGE_ENTITIES) {
      const needed = ENTITY_READ_PERMISSION[entity]
      expect(PERMISSIONS).toContain(needed)
      expect(needed.endsWith(':read')).toBe(true)
      for (const role of ROLES) expect(mayReceive(ROLE_PERMISSIONS[role], { entity })).toBe(ROLE_PERMISSIONS[role].has(needed))
    }
  })
})

describe('encodeChange', () => {
  it('drops missing campaigns and repeats', () => {
    const payload = encodeChange({ entity: 'order', id: 'o1', action: 'update', campaignIds: ['c1', null, 'c1', undefined, 'c2'] }, 'e1', new Date(0))
    expect(JSON.parse(payload)).toEqual({ eventId: 'e1', entity: 'order', id: 'o1', action: 'update', campaignIds: ['c1', 'c2'], at: '1970-01-01T00:00:00.000Z' })
  })

  it('stays under the 8000 bytes pg_notify takes, sending null campaigns when there are too many to list', () => {
    const campaignIds = Array.from({ length: 1000 }, () => randomUUID())
    const payload = encodeChange({ entity: 'lead', id: null, action: 'assign', campaignIds })
    expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES)
    expect(JSON.parse(payload)).toMatchObject({ entity: 'lead', id: null, campaignIds: null })
  })
})

describe('decodeChange', () => {
  it('reads back what encodeChange wrote', () => {
    const payload = encodeChange({ entity: 'campaign', id: 'c1', action: 'create', campaignIds: ['c1'] }, 'e1', new Date(0))
    expect(decodeChange(payload)).toEqual({ eventId: 'e1', entity: 'campaign', id: 'c1', action: 'create', campaignIds: ['c1'], at: '1970-01-01T00:00:00.000Z' })
  })

  it('ignores payloads that are not change events', () => {
    for (const payload of ['', 'hello', '42', 'null', '{}', '{"eventId":"e","entity":"order","action":"create","at":"x","id":7,"campaignIds":[]}']) {
      expect(decodeChange(payload)).toBeNull()
    }
  })
})
