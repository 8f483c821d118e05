import { ORDER_STATUSES } from '@yardstick/roi-core'
import Type from 'typebox'
import { SortField, SortOrder } from '../../lib/list-query.ts'
import { Money, MoneyInput } from '../../lib/money-input.ts'
import { PageQuery, Timestamp, Uuid } from '../../lib/schemas.ts'
import { ORDER_SORTS } from './orders.repository.ts'

const NullableUuid = Type.Union([Uuid, Type.Null()])
const CalendarDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' })
export const OrderStatusSchema = Type.Enum(ORDER_STATUSES, { description: 'confirmed or cancelled' })

export const OrderSchema = Type.Object({
  id: Uuid,
  number: Type.String({ description: 'SO-000001 unless given' }),
  accountId: NullableUuid,
  opportunityId: NullableUuid,
  campaignId: Type.Union([Uuid, Type.Null()], { description: 'The campaign credited with the revenue: the opportunity\'s when there is one' }),
  amount: Money,
  orderDate: CalendarDate,
  status: OrderStatusSchema,
  cancelledAt: Type.Union([Timestamp, Type.Null()]),
  ownerId: NullableUuid,
  createdAt: Timestamp,
  updatedAt: Timestamp,
}, { title: 'Order' })

export const OrderListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Search in the order number' })),
  status: Type.Optional(OrderStatusSchema),
  campaignId: Type.Optional(Uuid),
  accountId: Type.Optional(Uuid),
  opportunityId: Type.Optional(Uuid),
  ownerId: Type.Optional(Uuid),
  orderDateFrom: Type.Optional(CalendarDate),
  orderDateTo: Type.Optional(CalendarDate),
  sort: Type.Optional(SortField(ORDER_SORTS)),
  order: Type.Optional(SortOrder),
  ...PageQuery,
}, { additionalProperties: false })

export const CreateOrderBody = Type.Object({
  number: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'Generated (SO-000001) when left out; unique' })),
  amount: MoneyInput,
  orderDate: Type.Optional(CalendarDate),
  opportunityId: Type.Optional(NullableUuid),
  campaignId: Type.Optional(Type.Union([Uuid, Type.Null()], {
    description: 'Taken from the opportunity when there is one (and must match it if given); set directly otherwise',
  })),
  accountId: Type.Optional(Type.Union([Uuid, Type.Null()], { description: 'Defaults to the opportunity\'s account' })),
}, { additionalProperties: false })

export const UpdateOrderBody = Type.Object({
  amount: Type.Optional(MoneyInput),
  orderDate: Type.Optional(CalendarDate),
  campaignId: Type.Optional(Type.Union([Uuid, Type.Null()], { description: 'Only for an order without an opportunity' })),
  accountId: Type.Optional(NullableUuid),
}, { additionalProperties: false, minProperties: 1 })
