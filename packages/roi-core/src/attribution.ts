/**
 * The attribution models. A model is stored by its position in this list, so new models are
 * appended and existing ones never move.
 *
 * @example
 * ```ts
 * ATTRIBUTION_MODELS[0]                  // 'primary_source'
 * ATTRIBUTION_MODELS.indexOf('w_shaped') // 5
 * ```
 */
export const ATTRIBUTION_MODELS = [
  'primary_source',
  'first_touch',
  'last_touch',
  'linear',
  'u_shaped',
  'w_shaped',
  'full_path',
  'time_decay',
  'u_shaped_lead',
  'j_shaped',
  'inverse_j',
] as const

export type AttributionModel = (typeof ATTRIBUTION_MODELS)[number]

export interface AttributionTouch {
  id: string
  campaignId: string
  /** Epoch milliseconds. */
  occurredAt: number
}

export interface AttributionPath {
  /** The counted touches (the caller has already applied the lookback window), in any order. */
  touches: readonly AttributionTouch[]
  /** The opportunity's own campaign (primary source); null when it has none. */
  primaryCampaignId: string | null
  /** When the lead the opportunity came from was created; null without a lead. */
  leadCreatedAt: number | null
  /** When the opportunity was created; null for revenue that has no opportunity. */
  opportunityCreatedAt: number | null
}

export interface AttributionSettings {
  /** Half-life of `time_decay` in days; a finite number > 0. */
  halfLifeDays: number
}

/** One touch's share; `weight` is its fraction of the whole (a float, for fractional counts). */
export interface TouchShare {
  touch: AttributionTouch
  cents: bigint
  weight: number
}

/** One campaign's credit; `campaignId` is null for revenue left unattributed. */
export interface CampaignCredit {
  campaignId: string | null
  cents: bigint
  weight: number
}

const MODEL_SET: ReadonlySet<string> = new Set(ATTRIBUTION_MODELS)

/**
 * Whether a string (a query parameter, a stored setting) names an attribution model.
 *
 * @example
 * ```ts
 * isAttributionModel('w_shaped') // true
 * isAttributionModel('W_SHAPED') // false
 * ```
 */
export function isAttributionModel(value: string): value is AttributionModel {
  return MODEL_SET.has(value)
}

/**
 * Per-touch shares of `amountCents` under one model, touches in path order (by `occurredAt`,
 * ties by `id` in code-unit order). `primary_source` and a path without touches credit no touch,
 * so both give `[]`: use {@link attribute} for the campaign credit.
 *
 * Each model gives every touch an integer weight `w_i` (W = their sum). Touch i receives
 * `floor(amountCents × w_i / W)` cents; the cents left over (fewer than there are touches) go one
 * each to the touches with the largest remainder `amountCents × w_i mod W`, a tie going to the
 * earlier touch in path order. The shares therefore add up to `amountCents` exactly, and a touch
 * of weight 0 never receives a cent.
 *
 * @example
 * ```ts
 * const path = {
 *   touches: [
 *     { id: 't3', campaignId: 'c', occurredAt: 3000 },
 *     { id: 't1', campaignId: 'a', occurredAt: 1000 },
 *     { id: 't2', campaignId: 'b', occurredAt: 2000 },
 *   ],
 *   primaryCampaignId: null, leadCreatedAt: null, opportunityCreatedAt: null,
 * }
 * shareByTouch('linear', path, 100n, { halfLifeDays: 7 })
 * // [{ touch: t1, cents: 34n, weight: 0.333… },   // the extra cent goes to the earliest touch
 * //  { touch: t2, cents: 33n, weight: 0.333… },
 * //  { touch: t3, cents: 33n, weight: 0.333… }]
 * shareByTouch('u_shaped', path, 100000n, { halfLifeDays: 7 }).map((s) => s.cents)
 * // [40000n, 20000n, 40000n]
 * ```
 */
export function shareByTouch(
  model: AttributionModel,
  path: AttributionPath,
  amountCents: bigint,
  settings: AttributionSettings,
): TouchShare[] {
  checkModel(model)
  checkArguments(amountCents, settings)
  const p = prepare(path, false)
  const n = p.touches.length
  if (model === 'primary_source' || n === 0) return []
  const total = fillWeights(model, p, settings)
  const inDoubles = apportion(n, amountCents, total)
  const shares: TouchShare[] = new Array(n)
  for (let i = 0; i < n; i++) {
    const cents = inDoubles ? BigInt(centsNumBuf[i]!) : centsBigBuf[i]!
    shares[i] = { touch: p.touches[i]!, cents, weight: weightBuf[i]! / total.asNumber }
  }
  return shares
}

/**
 * Per-campaign credit of `amountCents` under one model: the touch shares of
 * {@link shareByTouch} (same remainder rule) summed per campaign, campaigns ordered by their first
 * touch in path order. A campaign whose touches all weigh 0 (the middle touches under
 * `first_touch`, say) is left out. `primary_source`, and every model on a path without touches,
 * give the whole amount to `path.primaryCampaignId`, which may be null (unattributed).
 *
 * @example
 * ```ts
 * const day = 86_400_000
 * const path = {
 *   touches: [
 *     { id: 'a', campaignId: 'web', occurredAt: 1 * day },
 *     { id: 'b', campaignId: 'fair', occurredAt: 3 * day },
 *     { id: 'c', campaignId: 'web', occurredAt: 5 * day },
 *   ],
 *   primaryCampaignId: 'fair', leadCreatedAt: 2 * day, opportunityCreatedAt: 6 * day,
 * }
 * attribute('w_shaped', path, 100000n, { halfLifeDays: 7 })
 * // first a 30% + lead a 30%, opportunity c 30%, rest b 10%:
 * // [{ campaignId: 'web', cents: 90000n, weight: 0.9 }, { campaignId: 'fair', cents: 10000n, weight: 0.1 }]
 * attribute('primary_source', path, 100000n, { halfLifeDays: 7 })
 * // [{ campaignId: 'fair', cents: 100000n, weight: 1 }]
 * ```
 */
export function attribute(
  model: AttributionModel,
  path: AttributionPath,
  amountCents: bigint,
  settings: AttributionSettings,
): CampaignCredit[] {
  checkModel(model)
  checkArguments(amountCents, settings)
  return creditFor(model, prepare(path, true), amountCents, settings)
}

/**
 * {@link attribute} under every model at once, sorting the path once: what a full recompute
 * calls for each path. Each model gets its own result arrays and objects.
 *
 * @example
 * ```ts
 * const path = {
 *   touches: [{ id: 'a', campaignId: 'web', occurredAt: 0 }, { id: 'b', campaignId: 'fair', occurredAt: 86_400_000 }],
 *   primaryCampaignId: null, leadCreatedAt: null, opportunityCreatedAt: null,
 * }
 * const all = attributeAllModels(path, 1000n, { halfLifeDays: 1 })
 * all.first_touch    // [{ campaignId: 'web', cents: 1000n, weight: 1 }]
 * all.time_decay     // web weighs 2^-1 against fair's 2^0:
 * // [{ campaignId: 'web', cents: 333n, weight: 0.333… }, { campaignId: 'fair', cents: 667n, weight: 0.666… }]
 * all.primary_source // [{ campaignId: null, cents: 1000n, weight: 1 }]
 * ```
 */
export function attributeAllModels(
  path: AttributionPath,
  amountCents: bigint,
  settings: AttributionSettings,
): Record<AttributionModel, CampaignCredit[]> {
  checkArguments(amountCents, settings)
  const p = prepare(path, true)
  const result = {} as Record<AttributionModel, CampaignCredit[]>
  for (const model of ATTRIBUTION_MODELS) result[model] = creditFor(model, p, amountCents, settings)
  return result
}

// ---------------------------------------------------------------------------------------------

/** A path sorted once, with its anchors found; -1 marks an anchor that does not exist. */
interface Prepared {
  touches: AttributionTouch[]
  primaryCampaignId: string | null
  first: number
  lead: number
  opp: number
  last: number
  /** The distinct campaigns in order of first appearance, and each touch's index into them. */
  campaigns: string[]
  slots: number[]
}

/** An integer total weight, as a bigint when it exceeds the safe-integer range. */
interface Total {
  asNumber: number
  exact: bigint | null
}

// The shares of the anchored models in tenths of a percent (1000 = 100%):
// [first touch, lead-creation touch, opportunity-creation touch, last touch, the rest].
type Shares = readonly [number, number, number, number, number]
const PERMILLE = 1000
const ANCHOR_SHARES: Readonly<Record<Exclude<AttributionModel, 'primary_source' | 'time_decay'>, Shares>> = {
  first_touch: [1000, 0, 0, 0, 0],
  last_touch: [0, 0, 0, 1000, 0],
  linear: [0, 0, 0, 0, 1000],
  u_shaped: [400, 0, 0, 400, 200],
  w_shaped: [300, 300, 300, 0, 100],
  full_path: [225, 225, 225, 225, 100],
  u_shaped_lead: [400, 400, 0, 0, 200],
  j_shaped: [200, 0, 0, 600, 200],
  inverse_j: [600, 0, 0, 200, 200],
}

const DAY_MS = 86_400_000
// time_decay weights are round(2^(−age/half-life) × 2^40): exact integers, at most 2^40.
const DECAY_SCALE = 2 ** 40
const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER)

// Scratch buffers reused across calls (everything here is synchronous), so that a recompute of
// 100k paths allocates little beyond its results. Only indexes below the current n are read.
// Cents and remainders live in doubles while they are exact there, in bigints otherwise.
let weightBuf = new Float64Array(64)
let remNumBuf = new Float64Array(64)
let centsNumBuf = new Float64Array(64)
let campaignWeightBuf = new Float64Array(64)
let campaignCentsNumBuf = new Float64Array(64)
const remBigBuf: bigint[] = []
const centsBigBuf: bigint[] = []
const campaignCentsBigBuf: bigint[] = []
const anchorBuf = new Int32Array(4)

function checkModel(model: AttributionModel): void {
  if (!isAttributionModel(model)) throw new RangeError(`attribution: unknown model ${String(model)}`)
}

function checkArguments(amountCents: bigint, settings: AttributionSettings): void {
  if (typeof amountCents !== 'bigint' || amountCents < 0n) {
    throw new RangeError(`attribution: amountCents must be a bigint >= 0n, got ${String(amountCents)}`)
  }
  const h = settings.halfLifeDays
  if (typeof h !== 'number' || !Number.isFinite(h) || h <= 0) {
    throw new RangeError(`attribution: halfLifeDays must be a finite number > 0, got ${String(h)}`)
  }
}

// Code-unit order, not localeCompare: the path order must not depend on the runtime's locale.
// campaignId breaks the (malformed) tie of two touches sharing a time and an id, so that even
// then the result does not depend on the input order.
function comparePathOrder(a: AttributionTouch, b: AttributionTouch): number {
  if (a.occurredAt !== b.occurredAt) return a.occurredAt - b.occurredAt
  if (a.id !== b.id) return a.id < b.id ? -1 : 1
  return a.campaignId < b.campaignId ? -1 : a.campaignId > b.campaignId ? 1 : 0
}

function prepare(path: AttributionPath, withCampaigns: boolean): Prepared {
  const touches = path.touches.slice()
  const n = touches.length
  for (let i = 0; i < n; i++) {
    const t = touches[i]!.occurredAt
    if (typeof t !== 'number' || !Number.isFinite(t)) {
      throw new RangeError(`attribution: touch ${touches[i]!.id} has occurredAt ${String(t)}, not a time`)
    }
  }
  if (n > 1) touches.sort(comparePathOrder)
  const campaigns: string[] = []
  const slots: number[] = []
  if (withCampaigns) {
    // A linear search beats a Map on the usual handful of campaigns.
    const index = n > 32 ? new Map<string, number>() : null
    for (let i = 0; i < n; i++) {
      const id = touches[i]!.campaignId
      let slot = index ? (index.get(id) ?? -1) : campaigns.indexOf(id)
      if (slot < 0) {
        slot = campaigns.push(id) - 1
        index?.set(id, slot)
      }
      slots.push(slot)
    }
  }
  return {
    touches,
    primaryCampaignId: path.primaryCampaignId,
    first: n > 0 ? 0 : -1,
    lead: lastAtOrBefore(touches, path.leadCreatedAt),
    opp: lastAtOrBefore(touches, path.opportunityCreatedAt),
    last: n - 1,
    campaigns,
    slots,
  }
}

function lastAtOrBefore(touches: readonly AttributionTouch[], time: number | null): number {
  if (time === null) return -1
  let i = touches.length - 1
  while (i >= 0 && !(touches[i]!.occurredAt <= time)) i--
  return i
}

function creditFor(
  model: AttributionModel,
  p: Prepared,
  amountCents: bigint,
  settings: AttributionSettings,
): CampaignCredit[] {
  const n = p.touches.length
  if (model === 'primary_source' || n === 0) {
    return [{ campaignId: p.primaryCampaignId, cents: amountCents, weight: 1 }]
  }
  const c = p.campaigns.length
  // Some touch always has a positive weight, so a lone campaign gets everything.
  if (c === 1) return [{ campaignId: p.campaigns[0]!, cents: amountCents, weight: 1 }]
  const total = fillWeights(model, p, settings)
  const inDoubles = apportion(n, amountCents, total)
  campaignWeightBuf.fill(0, 0, c)
  if (inDoubles) campaignCentsNumBuf.fill(0, 0, c)
  else for (let j = 0; j < c; j++) campaignCentsBigBuf[j] = 0n
  for (let i = 0; i < n; i++) {
    const j = p.slots[i]!
    campaignWeightBuf[j]! += weightBuf[i]!
    if (inDoubles) campaignCentsNumBuf[j]! += centsNumBuf[i]!
    else campaignCentsBigBuf[j]! += centsBigBuf[i]!
  }
  const credits: CampaignCredit[] = []
  for (let j = 0; j < c; j++) {
    const weight = campaignWeightBuf[j]!
    if (weight === 0) continue
    const cents = inDoubles ? BigInt(campaignCentsNumBuf[j]!) : campaignCentsBigBuf[j]!
    credits.push({ campaignId: p.campaigns[j]!, cents, weight: weight / total.asNumber })
  }
  return credits
}

/** Writes the model's integer weights to weightBuf[0..n) and returns their sum (n >= 1). */
function fillWeights(model: AttributionModel, p: Prepared, settings: AttributionSettings): Total {
  const n = p.touches.length
  if (weightBuf.length < n) {
    weightBuf = new Float64Array(n * 2)
    remNumBuf = new Float64Array(n * 2)
    centsNumBuf = new Float64Array(n * 2)
    campaignWeightBuf = new Float64Array(n * 2)
    campaignCentsNumBuf = new Float64Array(n * 2)
  }
  if (model === 'time_decay') return fillDecayWeights(p, settings.halfLifeDays * DAY_MS)
  if (model === 'primary_source') throw new Error('attribution: primary_source has no touch weights')
  return fillAnchorWeights(ANCHOR_SHARES[model], p)
}

// Each anchor role holds its share; the rest share is split equally among the touches that are
// no anchor. A share with nowhere to go (a missing anchor, an empty rest) is split equally among
// the distinct anchor touches. All of it is scaled by L = lcm(#anchors, #rest) so that the equal
// splits stay integers: W = 1000 × L.
function fillAnchorWeights(shares: Shares, p: Prepared): Total {
  const n = p.touches.length
  const [, , , , restShare] = shares
  const positions = [p.first, p.lead, p.opp, p.last] as const
  let k = 0
  let orphan = 0
  for (let role = 0; role < 4; role++) {
    const share = shares[role]!
    if (share === 0) continue
    const at = positions[role]!
    if (at < 0) orphan += share
    else if (!hasAnchor(k, at)) anchorBuf[k++] = at
  }
  const rest = n - k
  if (rest === 0) orphan += restShare
  const scale = lcm(Math.max(k, 1), Math.max(rest, 1))
  weightBuf.fill(rest > 0 ? (restShare * scale) / rest : 0, 0, n)
  const orphanPerAnchor = k > 0 ? (orphan * scale) / k : 0
  for (let a = 0; a < k; a++) {
    const at = anchorBuf[a]!
    let own = 0
    for (let role = 0; role < 4; role++) if (positions[role] === at) own += shares[role]!
    weightBuf[at] = own * scale + orphanPerAnchor
  }
  const total = PERMILLE * scale
  const exact = Number.isSafeInteger(total) ? null : BigInt(PERMILLE) * BigInt(scale)
  return { asNumber: total, exact }
}

function hasAnchor(k: number, at: number): boolean {
  for (let a = 0; a < k; a++) if (anchorBuf[a] === at) return true
  return false
}

// Age is measured back from the last touch: any later reference point scales every weight by the
// same factor, which normalising cancels. The last touch weighs exactly 2^40.
function fillDecayWeights(p: Prepared, halfLifeMs: number): Total {
  const n = p.touches.length
  const lastAt = p.touches[n - 1]!.occurredAt
  let sum = 0
  for (let i = 0; i < n; i++) {
    const w = Math.round(2 ** ((p.touches[i]!.occurredAt - lastAt) / halfLifeMs) * DECAY_SCALE)
    weightBuf[i] = w
    sum += w
  }
  // Partial sums of non-negative integers are exact while they stay below 2^53.
  if (sum <= Number.MAX_SAFE_INTEGER) return { asNumber: sum, exact: null }
  let exact = 0n
  for (let i = 0; i < n; i++) exact += BigInt(weightBuf[i]!)
  return { asNumber: sum, exact }
}

/**
 * Largest-remainder apportionment of `amount` by weightBuf[0..n): the cents go to centsNumBuf
 * (returns true) when every intermediate is an exact double, to centsBigBuf (false) otherwise.
 */
function apportion(n: number, amount: bigint, total: Total): boolean {
  const a = amount <= MAX_SAFE_BIG ? Number(amount) : -1
  const w = total.asNumber
  // Every product a × w_i <= a × W stays an exact double, and % is exact on doubles.
  if (total.exact === null && a >= 0 && a * w <= Number.MAX_SAFE_INTEGER) {
    let left = a
    for (let i = 0; i < n; i++) {
      const x = a * weightBuf[i]!
      const rem = x % w
      const q = (x - rem) / w
      centsNumBuf[i] = q
      remNumBuf[i] = rem
      left -= q
    }
    if (left > 0) {
      markLargest(left, n, remNumBuf, -1)
      for (let i = 0; i < n; i++) if (remNumBuf[i]! < 0) centsNumBuf[i]! += 1
    }
    return true
  }
  const big = total.exact ?? BigInt(w)
  let left = amount
  for (let i = 0; i < n; i++) {
    const x = amount * BigInt(weightBuf[i]!)
    const q = x / big
    centsBigBuf[i] = q
    remBigBuf[i] = x - q * big
    left -= q
  }
  if (left > 0n) {
    markLargest(Number(left), n, remBigBuf, -1n)
    for (let i = 0; i < n; i++) if (remBigBuf[i]! < 0n) centsBigBuf[i]! += 1n
  }
  return false
}

// Overwrites the `count` largest remainders with `taken` (a negative value), ties going to the
// earlier touch: those touches get the leftover cents. The remainders add up to count × W and
// each is below W, so more than `count` of them are positive: a remainder of 0 (a touch of
// weight 0) is never taken.
function markLargest<R extends number | bigint>(count: number, n: number, rems: { [i: number]: R }, taken: R): void {
  if (count <= 8) {
    for (let k = 0; k < count; k++) {
      let best = 0
      for (let i = 1; i < n; i++) if (rems[i]! > rems[best]!) best = i
      rems[best] = taken
    }
    return
  }
  const order = Array.from({ length: n }, (_, i) => i)
  order.sort((i, j) => (rems[i]! > rems[j]! ? -1 : rems[i]! < rems[j]! ? 1 : i - j))
  for (let k = 0; k < count; k++) rems[order[k]!] = taken
}

function lcm(a: number, b: number): number {
  let x = a
  let y = b
  while (y !== 0) {
    const r = x % y
    x = y
    y = r
  }
  return (a / x) * b
}
