import { ATTRIBUTION_MODELS, attributeAllModels, type AttributionPath, type AttributionTouch } from '@yardstick/roi-core'

/*
 * What one unit adds to the totals, and the totals' running differences. A unit is stored as
 * the inputs it was shared out from, so that a later recompute can share it out again and take
 * exactly that back: cheaper to write than the shares themselves. Shares are integers in units
 * of 10^-10, so adding and taking back cancel exactly; ten decimals keep the fractional won
 * counts right to the four decimals shown.
 */

export const SHARE_SCALE = 1e10
const MODEL_COUNT = ATTRIBUTION_MODELS.length

/** A unit of revenue or pipeline: a won or ordered opportunity, an open one, or an order without one. */
export interface Unit {
  id: string
  measure: 'revenue' | 'pipeline'
  creditedOn: string | null
  won: boolean
  amountCents: bigint
  /** The counted touches as `id campaignId epochMs`, comma-separated (as the database aggregates them). */
  touches: string
  primaryCampaignId: string | null
  leadCreatedAt: number | null
  opportunityCreatedAt: number | null
}

export function parseTouches(text: string): AttributionTouch[] {
  if (text === '') return []
  return text.split(',').map((entry) => {
    const [id, campaignId, ms] = entry.split(' ')
    return { id: id!, campaignId: campaignId!, occurredAt: Number(ms) }
  })
}

const pathOf = (unit: Unit): AttributionPath => ({
  touches: parseTouches(unit.touches),
  primaryCampaignId: unit.primaryCampaignId,
  leadCreatedAt: unit.leadCreatedAt,
  opportunityCreatedAt: unit.opportunityCreatedAt,
})

/** One campaign's credit from one unit, per model (ATTRIBUTION_MODELS order). */
export interface CampaignCredits {
  campaignId: string | null
  cents: bigint[]
  shares: number[]
}

/** Shares a unit under every model and folds the shares per campaign. */
export function unitCredits(unit: Unit, halfLifeDays: number): CampaignCredits[] {
  const byModel = attributeAllModels(pathOf(unit), unit.amountCents, { halfLifeDays })
  const perCampaign = new Map<string | null, CampaignCredits>()
  ATTRIBUTION_MODELS.forEach((model, i) => {
    for (const credit of byModel[model]) {
      let entry = perCampaign.get(credit.campaignId)
      if (!entry) {
        entry = { campaignId: credit.campaignId, cents: new Array<bigint>(MODEL_COUNT).fill(0n), shares: new Array<number>(MODEL_COUNT).fill(0) }
        perCampaign.set(credit.campaignId, entry)
      }
      entry.cents[i]! += credit.cents
      entry.shares[i]! += Math.round(credit.weight * SHARE_SCALE)
    }
  })
  return [...perCampaign.values()]
}

const NONE = '-'
const orNone = (value: string | number | null) => (value === null ? NONE : String(value))
const numberOrNull = (value: string) => (value === NONE ? null : Number(value))

/** A stored unit: its inputs and the half-life it was shared out with, `|`-separated. */
export function encodeUnit(unit: Unit, halfLifeDays: number): string {
  return [halfLifeDays, unit.amountCents, orNone(unit.primaryCampaignId), orNone(unit.leadCreatedAt), orNone(unit.opportunityCreatedAt), unit.touches].join('|')
}

/** A stored unit back, with the half-life to share it out again exactly as it was. */
export function decodeUnit(stored: { id: string; measure: Unit['measure']; creditedOn: string | null; won: boolean; inputs: string }): { unit: Unit; halfLifeDays: number } {
  const [halfLife, amount, primary, lead, opportunity, touches] = stored.inputs.split('|')
  return {
    halfLifeDays: Number(halfLife),
    unit: {
      id: stored.id, measure: stored.measure, creditedOn: stored.creditedOn, won: stored.won,
      amountCents: BigInt(amount!),
      primaryCampaignId: primary === NONE ? null : primary!,
      leadCreatedAt: numberOrNull(lead!),
      opportunityCreatedAt: numberOrNull(opportunity!),
      touches: touches!,
    },
  }
}

interface TotalsRow {
  campaignId: string | null
  measure: Unit['measure']
  creditedOn: string | null
  won: boolean
  cents: bigint[]
  shares: number[]
}

/** The differences a refresh makes to attribution_totals, one row per campaign, measure, date and won. */
export class TotalsDelta {
  readonly #rows = new Map<string, TotalsRow>()

  /** Adds (sign 1) or takes back (sign -1) what a unit credits. */
  add(unit: Pick<Unit, 'measure' | 'creditedOn' | 'won'>, credits: readonly CampaignCredits[], sign: 1 | -1): void {
    for (const credit of credits) {
      const key = `${credit.campaignId}|${unit.measure}|${unit.creditedOn}|${unit.won}`
      let row = this.#rows.get(key)
      if (!row) {
        row = {
          campaignId: credit.campaignId, measure: unit.measure, creditedOn: unit.creditedOn, won: unit.won,
          cents: new Array<bigint>(MODEL_COUNT).fill(0n), shares: new Array<number>(MODEL_COUNT).fill(0),
        }
        this.#rows.set(key, row)
      }
      for (let i = 0; i < MODEL_COUNT; i++) {
        row.cents[i]! += sign === 1 ? credit.cents[i]! : -credit.cents[i]!
        row.shares[i]! += sign * credit.shares[i]!
      }
    }
  }

  /** The rows that change something, as COPY text lines in TOTALS_COLUMNS order. */
  *lines(): Generator<string> {
    for (const row of this.#rows.values()) {
      if (row.cents.every((c) => c === 0n) && row.shares.every((s) => s === 0)) continue
      yield `${row.campaignId ?? '\\N'}\t${row.measure}\t${row.creditedOn ?? '\\N'}\t${row.won ? 't' : 'f'}\t${row.cents.join('\t')}\t${row.shares.join('\t')}`
    }
  }
}
