import { ATTRIBUTION_MODELS, parseMoney, pct, type AttributionModel } from '@yardstick/roi-core'
import { useI18n } from 'vue-i18n'

export { ATTRIBUTION_MODELS, type AttributionModel }

/** What the campaign's attribution tab compares when nothing else is chosen. */
export const CAMPAIGN_DEFAULT_MODELS: readonly AttributionModel[] = ['primary_source', 'first_touch', 'last_touch', 'linear', 'u_shaped']

/** What the model comparison page compares when nothing else is chosen. */
export const COMPARISON_DEFAULT_MODELS: readonly AttributionModel[] = [...CAMPAIGN_DEFAULT_MODELS, 'time_decay']

/** The models named in a query string (`?models=a,b`), in catalogue order; unknown ids are dropped. */
export function parseModels(value: unknown, fallback: readonly AttributionModel[]): AttributionModel[] {
  if (typeof value !== 'string' || value === '') return [...fallback]
  const asked = new Set(value.split(','))
  const models = ATTRIBUTION_MODELS.filter((model) => asked.has(model))
  return models.length > 0 ? models : [...fallback]
}

/** Money strings compared exactly, in cents (never as floats). */
export const cents = (money: string): bigint => parseMoney(money, { allowNegative: true })

/** `part ÷ whole` as a percentage ×100 with two decimals; null when the whole is zero. */
export const moneyPct = (part: string, whole: string): number | null => pct(cents(part), cents(whole))

/** A model's name, its one-line explanation, and both together (U 型（首触 40% · 末触 40% · 中间 20%）). */
export function useModelNames() {
  const { t } = useI18n()
  const name = (model: AttributionModel) => t(`attribution.modelNames.${model}`)
  const hint = (model: AttributionModel) => t(`attribution.modelHints.${model}`)
  const label = (model: AttributionModel) => t('attribution.modelLabel', { name: name(model), hint: hint(model) })
  return { name, hint, label }
}

/** A fractional count (attributed won deals) with exactly two decimals: 0.4 → 0.40. */
export function formatFraction(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value)
}

/** Colours for the models, so one model keeps its colour in every chart. */
export const MODEL_COLORS: Readonly<Record<AttributionModel, string>> = {
  primary_source: '#409eff',
  first_touch: '#67c23a',
  last_touch: '#e6a23c',
  linear: '#909399',
  u_shaped: '#7c3aed',
  w_shaped: '#0ea5e9',
  full_path: '#14b8a6',
  time_decay: '#f56c6c',
  u_shaped_lead: '#a16207',
  j_shaped: '#db2777',
  inverse_j: '#475569',
}
