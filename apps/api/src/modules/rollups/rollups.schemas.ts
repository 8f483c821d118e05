import Type from 'typebox'
import { Money } from '../../lib/money-input.ts'
import { Uuid } from '../../lib/schemas.ts'

export const RollupVerificationSchema = Type.Object({
  ok: Type.Boolean({ description: 'true when every campaign\'s stored figures equal the recompute' }),
  checked: Type.Integer({ description: 'Campaigns with orders or stored figures that were compared' }),
  campaigns: Type.Array(Type.Object({
    campaignId: Uuid,
    storedRevenue: Money,
    recomputedRevenue: Money,
    storedOrderCount: Type.Integer(),
    recomputedOrderCount: Type.Integer(),
  }), { description: 'Only the campaigns that drift' }),
}, { title: 'RollupVerification' })
