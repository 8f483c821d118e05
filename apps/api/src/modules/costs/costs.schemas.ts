import Type from 'typebox'
import { Money, MoneyInput } from '../../lib/money-input.ts'
import { described, PageQuery, Timestamp, Uuid } from '../../lib/schemas.ts'
import { COST_CATEGORIES } from './costs.table.ts'

export const CostCategorySchema = Type.Enum(COST_CATEGORIES, { description: COST_CATEGORIES.join(', ') })
const CalendarDate = Type.String({ format: 'date', description: 'The day the money was spent, YYYY-MM-DD' })
const Note = Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])

export const CostEntrySchema = Type.Object({
  id: Uuid,
  campaignId: Uuid,
  date: CalendarDate,
  category: CostCategorySchema,
  amount: Money,
  note: Type.Union([Type.String(), Type.Null()]),
  createdBy: Type.Union([Uuid, Type.Null()]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
}, { $id: 'CostEntry', title: 'CostEntry' })

export const CreateCostBody = Type.Object({
  date: CalendarDate,
  category: CostCategorySchema,
  amount: described(MoneyInput, 'Greater than zero, at most two decimals, as a string ("12000.00") or a number'),
  note: Type.Optional(Note),
}, { additionalProperties: false })

export const UpdateCostBody = Type.Object({
  date: Type.Optional(CalendarDate),
  category: Type.Optional(CostCategorySchema),
  amount: Type.Optional(described(MoneyInput, 'Greater than zero, at most two decimals')),
  note: Type.Optional(Note),
}, { additionalProperties: false, minProperties: 1 })

export const CostParams = Type.Object({ id: Uuid, costId: Uuid })

export const CostListQuery = Type.Object({
  from: Type.Optional(Type.String({ format: 'date', description: 'Entries dated on or after this day' })),
  to: Type.Optional(Type.String({ format: 'date', description: 'Entries dated on or before this day' })),
  category: Type.Optional(CostCategorySchema),
  ...PageQuery,
}, { additionalProperties: false })

export const CostListSchema = Type.Object({
  items: Type.Array(Type.Ref('CostEntry'), { description: 'Newest date first' }),
  total: Type.Integer({ description: 'Entries matching the filters, ignoring limit and offset' }),
  limit: Type.Integer(),
  offset: Type.Integer(),
  amount: described(Money, 'Sum of the entries matching the filters; without filters, the campaign\'s actualCost'),
  byCategory: Type.Array(Type.Object({ category: CostCategorySchema, amount: Money, entries: Type.Integer() }), {
    description: 'The matching entries per category, largest first',
  }),
})
