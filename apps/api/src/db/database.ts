import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { ApiTokensTable } from '../modules/api-tokens/api-tokens.table.ts'
import type { LoginThrottleTable, RefreshTokensTable } from '../modules/auth/auth.table.ts'
import type { UsersTable } from '../modules/users/users.table.ts'
import type { AuditLogTable } from '../modules/audit/audit.table.ts'
import type { OpportunitiesTable } from '../modules/opportunities/opportunities.table.ts'
import type { OrdersTable } from '../modules/orders/orders.table.ts'
import type { CampaignRollupSlotsTable } from '../modules/rollups/rollups.table.ts'
import type { AccountsTable } from '../modules/accounts/accounts.table.ts'
import type { ContactsTable } from '../modules/contacts/contacts.table.ts'
import type { CampaignsTable } from '../modules/campaigns/campaigns.table.ts'
import type { LeadsTable } from '../modules/leads/leads.table.ts'
import type { TouchpointsTable } from '../modules/touchpoints/touchpoints.table.ts'
import type {
  CampaignMembersTable, CampaignMemberStatusHistoryTable, MemberStatusFlowsTable,
} from '../modules/campaign-members/campaign-members.table.ts'
import type { OpportunityContactRolesTable } from '../modules/contact-roles/contact-roles.table.ts'
import type { CampaignCostsTable } from '../modules/costs/costs.table.ts'
import type {
  AttributionBuiltTable, AttributionSettingsTable, AttributionStaleTable, AttributionTotalsTable, AttributionUnitsTable,
} from '../modules/attribution/attribution.table.ts'

/** The one typed view of the schema, assembled from each feature's `*.table.ts`. */
export interface Database {
  users: UsersTable
  refresh_tokens: RefreshTokensTable
  api_tokens: ApiTokensTable
  login_throttle: LoginThrottleTable
  audit_log: AuditLogTable
  opportunities: OpportunitiesTable
  orders: OrdersTable
  campaign_rollup_slots: CampaignRollupSlotsTable
  accounts: AccountsTable
  contacts: ContactsTable
  campaigns: CampaignsTable
  leads: LeadsTable
  touchpoints: TouchpointsTable
  member_status_flows: MemberStatusFlowsTable
  campaign_members: CampaignMembersTable
  campaign_member_status_history: CampaignMemberStatusHistoryTable
  opportunity_contact_roles: OpportunityContactRolesTable
  attribution_settings: AttributionSettingsTable
  attribution_stale: AttributionStaleTable
  attribution_units: AttributionUnitsTable
  attribution_totals: AttributionTotalsTable
  attribution_built: AttributionBuiltTable
  campaign_costs: CampaignCostsTable
}

export type Db = Kysely<Database>

// int8 (count(*), bigserial) fits a JS number for every count this app makes;
// numeric stays a string so money never passes through a float.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value))
// Calendar dates stay 'YYYY-MM-DD': a Date would shift them by the server's time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value)

export function createPool(connectionString: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: 5_000, idleTimeoutMillis: 30_000 })
  // An idle client losing its server (database restart) must not crash the process:
  // the pool drops it and the next query opens a new connection.
  pool.on('error', () => {})
  return pool
}

export function createDb(pool: pg.Pool): Db {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
}
