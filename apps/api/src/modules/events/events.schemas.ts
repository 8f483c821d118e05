import Type from 'typebox'
import { Timestamp, Uuid } from '../../lib/schemas.ts'
import { CHANGE_ENTITIES } from './events.service.ts'

export const ChangeEventSchema = Type.Object({
  eventId: Uuid,
  entity: Type.Union(CHANGE_ENTITIES.map((e) => Type.Literal(e)), { description: 'What kind of record changed' }),
  id: Type.Union([Uuid, Type.Null()], { description: 'The record; null when one event stands for several (a bulk assignment)' }),
  action: Type.String({ description: 'create, update, delete, cancel, win, lose, reopen, convert or assign' }),
  campaignIds: Type.Union([Type.Array(Uuid), Type.Null()], {
    description: 'Campaigns whose figures may have moved (before and after, when a record changed campaign); null: too many to list, refresh every campaign',
  }),
  at: Timestamp,
}, { title: 'ChangeEvent', description: 'The data of an `event: change`: ids only; fetch the record if you need it' })
