import type { ColumnType, Generated } from 'kysely'
import type { OrderStatus } from '@yardstick/roi-core'

export interface OrdersTable {
  id: Generated<string>
  /** SO-000001 from a sequence unless given. */
  number: Generated<string>
  account_id: string | null
  opportunity_id: string | null
  campaign_id: string | null
  /** numeric(18,2): read and written as decimal text, never as a float. */
  amount: string
  order_date: ColumnType<string, string | undefined, string>
  status: ColumnType<OrderStatus, OrderStatus | undefined, OrderStatus>
  cancelled_at: Date | null
  owner_id: string | null
  /** The coupon or promo code the order came with, as given. */
  tracking_code: string | null
  created_at: ColumnType<Date, Date | undefined, never>
  updated_at: ColumnType<Date, Date | undefined, Date>
}
