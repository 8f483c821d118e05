import type { ColumnType } from 'kysely'

export const CONTACT_ROLES = [
  'decision_maker', 'economic_buyer', 'technical_buyer', 'evaluator', 'influencer', 'executive_sponsor', 'business_user', 'other',
] as const
export type ContactRole = (typeof CONTACT_ROLES)[number]

export interface OpportunityContactRolesTable {
  opportunity_id: string
  contact_id: string
  role: ContactRole
  is_primary: ColumnType<boolean, boolean | undefined, boolean>
  created_at: ColumnType<Date, Date | undefined, never>
}
