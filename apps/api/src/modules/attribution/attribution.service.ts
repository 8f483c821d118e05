import {
  ATTRIBUTION_MODELS, formatMoney, headlineFigures, parseMoney,
  type AttributionModel, type CampaignType,
} from '@yardstick/roi-core'
import { Kysely, PostgresDialect, type PostgresPoolClient } from 'kysely'
import type pg from 'pg'
import type { Database } from '../../db/database.ts'
import { invalidField, notFound } from '../../errors.ts'
import type { RequestContext } from '../../lib/context.ts'
import { centsFromDb } from '../../lib/money-input.ts'
import { inReadSnapshot } from '../../lib/snapshot.ts'
import { recordAudit } from '../audit/audit.service.ts'
import { decodeUnit, encodeUnit, SHARE_SCALE, TotalsDelta, unitCredits, type Unit } from './attribution.credits.ts'
import * as repo from './attribution.repository.ts'

/*
 * How attribution stays right: every write to orders, opportunities, contact roles and
 * touchpoints leaves a stale mark (statement-level triggers, same transaction). Before any
 * attribution read, the marks are drained: the units they name are recomputed with roi-core,
 * their old credits taken back from the totals and the new ones added. A settings change marks
 * everything. See docs/attribution.md.
 */

export interface AttributionSettingsView {
  lookbackDays: number
  halfLifeDays: number
  updatedAt: string
}

const toSettings = (row: Awaited<ReturnType<typeof repo.getSettings>>): AttributionSettingsView => ({
  lookbackDays: row.lookback_days,
  halfLifeDays: Number(row.half_life_days),
  updatedAt: row.updated_at.toISOString(),
})

export async function getSettings(db: Kysely<Database>): Promise<AttributionSettingsView> {
  return toSettings(await repo.getSettings(db))
}

/** Changes the lookback window or half-life and recomputes every model before answering. */
export async function updateSettings(
  db: Kysely<Database>, pool: pg.Pool, ctx: RequestContext, patch: { lookbackDays?: number; halfLifeDays?: number },
): Promise<AttributionSettingsView> {
  const settings = await db.transaction().execute(async (trx) => {
    const before = toSettings(await repo.getSettings(trx))
    const after = toSettings(await repo.updateSettings(trx, patch, ctx.actor.userId))
    await repo.markEverythingStale(trx)
    await recordAudit(trx, ctx, { entity: 'attribution_settings', entityId: 'settings', action: 'update', before, after })
    return after
  })
  await refreshAttribution(pool)
  return settings
}

export interface RefreshResult {
  /** Units recomputed: opportunities and orders without one. */
  units: number
  full: boolean
  durationMs: number
}

/** Loads the units in scope with their counted touches; they are shared out lazily, as they are written. */
async function loadUnits(trx: Kysely<Database>, scope: repo.UnitScope, settings: AttributionSettingsView) {
  // One after the other: they share the refresh's one connection.
  const opportunities = await repo.loadOpportunityUnits(trx, scope)
  const orders = await repo.loadOrderUnits(trx, scope)
  const touches = await repo.loadCountedTouches(trx, scope, settings.lookbackDays)
  const touchesOf = new Map(touches.map((t) => [t.opportunity_id, t.touches]))
  function* units(): Generator<Unit> {
    for (const o of opportunities) {
      const path = {
        touches: touchesOf.get(o.id) ?? '',
        primaryCampaignId: o.campaign_id,
        leadCreatedAt: o.lead_created_ms,
        opportunityCreatedAt: o.created_ms,
      }
      const won = o.stage === 'won'
      if (won || o.revenue !== null) {
        yield {
          id: o.id, measure: 'revenue', creditedOn: o.last_order_date ?? o.closed_on, won,
          amountCents: o.revenue === null ? 0n : centsFromDb(o.revenue), ...path,
        }
      }
      if (!won && o.stage !== 'lost') yield { id: o.id, measure: 'pipeline', creditedOn: null, won: false, amountCents: centsFromDb(o.amount), ...path }
    }
    for (const order of orders) {
      yield {
        id: order.id, measure: 'revenue', creditedOn: order.order_date, won: false, amountCents: centsFromDb(order.amount),
        touches: '', primaryCampaignId: order.campaign_id, leadCreatedAt: null, opportunityCreatedAt: null,
      }
    }
  }
  return { count: opportunities.length + orders.length, units }
}

/** A Kysely instance over one pooled client, so that its queries and a COPY share the transaction. */
function kyselyOn(client: pg.PoolClient): Kysely<Database> {
  // The client is released by refreshAttribution, not after each query.
  const connection: PostgresPoolClient = { query: client.query.bind(client) as PostgresPoolClient['query'], release: () => {} }
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool: { connect: async () => connection, end: async () => {}, options: {} } }),
  })
}

// Appended differences are folded into one row per key once they outnumber what the last
// folding left (and at least this many), so that reads stay quick.
const FOLD_AFTER_ROWS = 10_000

/**
 * Recomputes whatever writes have made stale since the last refresh, in one transaction that
 * holds the refresh lock: two processes never interleave, and a reader that waited for another's
 * refresh finds nothing left to do. Each stored unit is shared out again as it was and taken
 * back from the totals before its new shares are added; a full recompute rebuilds both, streamed
 * through COPY.
 */
export async function refreshAttribution(pool: pg.Pool, opts: { everything?: boolean } = {}): Promise<RefreshResult> {
  const started = performance.now()
  const client = await pool.connect()
  const trx = kyselyOn(client)
  try {
    await client.query('BEGIN')
    await repo.lockRefresh(trx)
    const marks = await repo.takeStaleMarks(trx)
    const settings = toSettings(await repo.getSettings(trx))
    const built = await repo.getBuilt(trx)
    const full = opts.everything === true || marks.some((m) => m.everything) || built === undefined
    let scope: repo.UnitScope = { all: true }
    const delta = new TotalsDelta()
    if (full) {
      await repo.clearAll(trx)
    } else {
      const distinct = (values: Array<string | null>) => [...new Set(values.filter((v): v is string => v !== null))]
      const viaPeople = await repo.opportunitiesOfPeople(trx, distinct(marks.map((m) => m.lead_id)), distinct(marks.map((m) => m.contact_id)))
      scope = {
        all: false,
        opportunityIds: distinct([...marks.map((m) => m.opportunity_id), ...viaPeople]),
        orderIds: distinct(marks.map((m) => m.order_id)),
      }
      for (const stored of await repo.takeUnits(trx, [...scope.opportunityIds, ...scope.orderIds])) {
        const { unit, halfLifeDays } = decodeUnit({ id: stored.unit_id, measure: stored.measure, creditedOn: stored.credited_on, won: stored.won, inputs: stored.inputs })
        delta.add(unit, unitCredits(unit, halfLifeDays), -1)
      }
    }
    let units = 0
    if (scope.all || scope.opportunityIds.length > 0 || scope.orderIds.length > 0) {
      const loaded = await loadUnits(trx, scope, settings)
      units = loaded.count
      await repo.copyLines(client, 'attribution_units', repo.UNIT_COLUMNS, (function* () {
        for (const unit of loaded.units()) {
          const credits = unitCredits(unit, settings.halfLifeDays)
          delta.add(unit, credits, 1)
          yield `${unit.id}\t${unit.measure}\t${unit.creditedOn ?? '\\N'}\t${unit.won ? 't' : 'f'}\t${encodeUnit(unit, settings.halfLifeDays)}`
        }
      })())
    }
    const lines = [...delta.lines()]
    await repo.copyLines(client, 'attribution_totals', repo.TOTALS_COLUMNS, lines)
    if (full) {
      await repo.markBuilt(trx, lines.length)
    } else if (built!.appended_rows + lines.length > Math.max(built!.folded_rows, FOLD_AFTER_ROWS)) {
      await repo.markBuilt(trx, await repo.foldTotals(trx))
    } else if (lines.length > 0) {
      await repo.countAppended(trx, lines.length)
    }
    await client.query('COMMIT')
    return { units, full, durationMs: performance.now() - started }
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  } finally {
    client.release()
  }
}

/** Brings the stored credits up to date when a write has made them stale; cheap when none has. */
export async function ensureFresh(db: Kysely<Database>, pool: pg.Pool): Promise<void> {
  if (await repo.hasStale(db)) await refreshAttribution(pool)
}

export interface DateRange {
  from?: string
  to?: string
}

function checkRange(range: DateRange): void {
  if (range.from && range.to && range.from > range.to) throw invalidField('to', 'must not be before from')
}

/** The model's column in attribution_totals: c<position> and w<position>. */
export const modelColumn = (model: AttributionModel) => ATTRIBUTION_MODELS.indexOf(model) + 1
const roundTo = (value: number, decimals: number) => Number(value.toFixed(decimals))

export interface ModelFigures {
  model: AttributionModel
  attributedRevenue: string
  /** Won opportunities credited to the campaign, as a fraction (0.4 of a deal under U-shaped). */
  attributedWon: number
  attributedPipeline: string
  roiPct: number | null
}

function figures(model: AttributionModel, costCents: bigint, revenue: string | undefined, won: number | undefined, pipeline: string | undefined): ModelFigures {
  const revenueCents = BigInt(revenue ?? '0')
  return {
    model,
    attributedRevenue: formatMoney(revenueCents),
    attributedWon: roundTo(won ?? 0, 4),
    attributedPipeline: formatMoney(BigInt(pipeline ?? '0')),
    roiPct: headlineFigures({ costCents, expectedRevenueCents: 0n, actualRevenueCents: revenueCents }).roiPct,
  }
}

/** One campaign under one model: credited revenue (in the range), won deals, pipeline and ROI. */
export async function campaignAttribution(db: Kysely<Database>, pool: pg.Pool, campaignId: string, model: AttributionModel, range: DateRange): Promise<ModelFigures> {
  checkRange(range)
  const campaign = await db.selectFrom('campaigns').select(['id', 'actual_cost']).where('id', '=', campaignId).executeTakeFirst()
  if (!campaign) throw notFound('Campaign', campaignId)
  await ensureFresh(db, pool)
  const [row] = await repo.sumTotals(db, [modelColumn(model)], range, SHARE_SCALE, campaignId)
  return figures(model, parseMoney(campaign.actual_cost), row?.revenue[0], row?.won[0], row?.pipeline[0])
}

export interface ComparisonQuery extends DateRange {
  models: readonly AttributionModel[]
  type?: CampaignType
}

/**
 * Every campaign (of `type`, when given) under each model, side by side, with the spread
 * between the models; and per model the totals over all campaigns, which add up to the same
 * confirmed revenue whatever the model.
 */
export async function compareModels(db: Kysely<Database>, pool: pg.Pool, query: ComparisonQuery) {
  checkRange(query)
  const models = [...new Set(query.models)]
  await ensureFresh(db, pool)
  const range = { from: query.from, to: query.to }
  const [sums, campaigns, totalRevenue] = await inReadSnapshot(db, async (trx) => Promise.all([
      repo.sumTotals(trx, models.map(modelColumn), range, SHARE_SCALE),
      repo.campaignsForComparison(trx, query.type),
      repo.confirmedRevenue(trx, range),
    ]))
  const byCampaign = new Map(sums.map((row) => [row.campaign_id, row]))
  const rows = campaigns.map((c) => {
    const sum = byCampaign.get(c.id)
    const costCents = parseMoney(c.actual_cost)
    const results = models.map((m, i) => figures(m, costCents, sum?.revenue[i], sum?.won[i], sum?.pipeline[i]))
    const revenues = results.map((r) => parseMoney(r.attributedRevenue))
    const min = revenues.reduce((a, b) => (b < a ? b : a))
    const max = revenues.reduce((a, b) => (b > a ? b : a))
    return {
      campaignId: c.id, name: c.name, code: c.code, type: c.type, parentId: c.parent_id, cost: formatMoney(costCents),
      models: results,
      spread: { min: formatMoney(min), max: formatMoney(max), range: formatMoney(max - min) },
    }
  })
  const totals = models.map((model, i) => {
    let attributed = 0n
    let unattributed = 0n
    for (const row of sums) {
      const cents = BigInt(row.revenue[i]!)
      if (row.campaign_id === null) unattributed += cents
      else attributed += cents
    }
    return {
      model,
      attributedRevenue: formatMoney(attributed),
      unattributedRevenue: formatMoney(unattributed),
      totalRevenue: formatMoney(attributed + unattributed),
    }
  })
  return { models, from: query.from ?? null, to: query.to ?? null, totalRevenue: formatMoney(centsFromDb(totalRevenue)), campaigns: rows, totals }
}
