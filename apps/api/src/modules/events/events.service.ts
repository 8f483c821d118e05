import type { Kysely, RawBuilder } from 'kysely'
import { randomUUID } from 'node:crypto'
import type { Database } from '../../db/database.ts'
import type { Permission } from '../../lib/permissions.ts'
import * as repo from './events.repository.ts'

/** The one channel every API process LISTENs on. */
export const CHANGE_CHANNEL = 'yardstick_changes'

export const CHANGE_ENTITIES = ['order', 'opportunity', 'lead', 'campaign', 'touchpoint', 'cost', 'account', 'contact'] as const
export type ChangeEntity = (typeof CHANGE_ENTITIES)[number]

export type ChangeAction = 'create' | 'update' | 'delete' | 'cancel' | 'win' | 'lose' | 'reopen' | 'convert' | 'assign'

/** What a role needs to be told about a change of each entity: the permission to read it. */
export const ENTITY_READ_PERMISSION: Readonly<Record<ChangeEntity, Permission>> = Object.freeze({
  order: 'orders:read',
  opportunity: 'opportunities:read',
  lead: 'leads:read',
  campaign: 'campaigns:read',
  touchpoint: 'campaigns:read',
  cost: 'costs:read',
  account: 'accounts:read',
  contact: 'contacts:read',
})

/** A write, as its service describes it. */
export interface Change {
  entity: ChangeEntity
  /** The record written; null when one event stands for several (a bulk assignment). */
  id: string | null
  action: ChangeAction
  /** Every campaign whose figures may have moved: before and after when a record changes campaign. Nulls are dropped. */
  campaignIds: ReadonlyArray<string | null | undefined>
}

/** A change as it travels through NOTIFY and reaches clients: ids only, never the record itself. */
export interface ChangeEvent {
  eventId: string
  entity: string
  id: string | null
  action: string
  /** null when there were too many to send: treat every campaign as changed. */
  campaignIds: string[] | null
  /** When the writing process published it (ISO 8601). */
  at: string
}

/** pg_notify refuses payloads of 8000 bytes or more. */
export const MAX_PAYLOAD_BYTES = 7999

/**
 * The NOTIFY payload of a change. Campaign ids are deduplicated; when they would not fit they
 * are replaced by null, which tells clients to refresh every campaign.
 *
 * @example
 * encodeChange({ entity: 'order', id: 'o1', action: 'create', campaignIds: ['c1', null, 'c1'] }, 'e1', new Date(0))
 * // '{"eventId":"e1","entity":"order","id":"o1","action":"create","campaignIds":["c1"],"at":"1970-01-01T00:00:00.000Z"}'
 */
export function encodeChange(change: Change, eventId: string = randomUUID(), at: Date = new Date()): string {
  const campaignIds = [...new Set(change.campaignIds.filter((id): id is string => typeof id === 'string'))]
  const event: ChangeEvent = { eventId, entity: change.entity, id: change.id, action: change.action, campaignIds, at: at.toISOString() }
  const payload = JSON.stringify(event)
  if (Buffer.byteLength(payload) <= MAX_PAYLOAD_BYTES) return payload
  return JSON.stringify({ ...event, campaignIds: null })
}

const isString = (value: unknown): value is string => typeof value === 'string'

/** The event in a NOTIFY payload, or null when the payload is not one (another writer on the channel). */
export function decodeChange(payload: string): ChangeEvent | null {
  let value: unknown
  try {
    value = JSON.parse(payload)
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null) return null
  const e = value as Record<string, unknown>
  const campaignIdsOk = e.campaignIds === null || (Array.isArray(e.campaignIds) && e.campaignIds.every(isString))
  if (!isString(e.eventId) || !isString(e.entity) || !isString(e.action) || !isString(e.at) || !campaignIdsOk) return null
  if (e.id !== null && !isString(e.id)) return null
  return { eventId: e.eventId, entity: e.entity, id: e.id, action: e.action, campaignIds: e.campaignIds as string[] | null, at: e.at }
}

/**
 * Whether a reader holding these permissions may be told about this change. Entities this
 * version does not know (sent by a newer process during a rolling upgrade) go to nobody.
 */
export function mayReceive(permissions: ReadonlySet<Permission>, event: Pick<ChangeEvent, 'entity'>): boolean {
  const needed = (ENTITY_READ_PERMISSION as Readonly<Record<string, Permission | undefined>>)[event.entity]
  return needed !== undefined && permissions.has(needed)
}

/**
 * Announces a write to every API process, in the writer's transaction: the event goes out when
 * the transaction commits and never when it rolls back, so no client hears of a change that did
 * not happen. Call once per write, next to its audit entry.
 */
export async function publishChange(trx: Kysely<Database>, change: Change): Promise<void> {
  await repo.notify(trx, CHANGE_CHANNEL, encodeChange(change))
}

/** publishChange as a statement, for a hot path that runs it together with its writes. */
export function changeStatement(change: Change): RawBuilder<unknown> {
  return repo.notifyStatement(CHANGE_CHANNEL, encodeChange(change))
}
