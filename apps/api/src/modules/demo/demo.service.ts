import type { CampaignType, LeadStatus, OpportunityStage } from '@yardstick/roi-core'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'
import { systemContext, type RequestContext } from '../../lib/context.ts'
import type { Role } from '../../lib/permissions.ts'
import { createCampaign } from '../campaigns/campaigns.service.ts'
import { createCost } from '../costs/costs.service.ts'
import type { CostCategory } from '../costs/costs.table.ts'
import { convertLead, createLead, updateLead } from '../leads/leads.service.ts'
import { createTouchpointBatch, type NewTouchpoint } from '../touchpoints/touchpoints.service.ts'
import { loseOpportunity, updateOpportunity, winOpportunity } from '../opportunities/opportunities.service.ts'
import { createUser, findUserForLogin } from '../users/users.service.ts'
import * as repo from './demo.repository.ts'

export const DEMO_PASSWORD = 'yardstick-demo'
const DEMO_LOCK_KEY = 7_265_913_003
const DAY = 86_400_000

interface DemoUser { email: string; name: string; role: Role }

const USERS: DemoUser[] = [
  { email: 'wang.fang@demo.yardstick', name: '王芳', role: 'marketing' },
  { email: 'chen.jing@demo.yardstick', name: '陈静', role: 'marketing' },
  { email: 'li.na@demo.yardstick', name: '李娜', role: 'sales' },
  { email: 'zhang.wei@demo.yardstick', name: '张伟', role: 'sales' },
  { email: 'liu.yang@demo.yardstick', name: '刘洋', role: 'sales' },
  { email: 'zhao.min@demo.yardstick', name: '赵敏', role: 'viewer' },
]

/** [code, name, type, started months ago, days long, cost, expected revenue, leads, quality 0..1] */
type CampaignSeed = [string, string, CampaignType, number, number, number, number, number, number]

const CAMPAIGNS: CampaignSeed[] = [
  ['DEMO-SEM-Q1', '百度竞价·一季度品牌词', 'paid_search', 11, 90, 60_000, 240_000, 40, 0.55],
  ['DEMO-SEM-Q3', '百度竞价·三季度行业词', 'paid_search', 5, 90, 80_000, 260_000, 42, 0.35],
  ['DEMO-CIIF', '上海工博会展位', 'trade_show', 10, 5, 180_000, 600_000, 38, 0.7],
  ['DEMO-CANTON', '广交会秋季展', 'trade_show', 2, 5, 150_000, 500_000, 30, 0.5],
  ['DEMO-SUMMIT', '华东制造业数字化峰会', 'conference', 8, 2, 90_000, 400_000, 28, 0.8],
  ['DEMO-SALON', '深圳客户答谢沙龙', 'conference', 4, 1, 30_000, 150_000, 16, 0.75],
  ['DEMO-METRO', '地铁灯箱广告', 'traditional_ad', 9, 60, 120_000, 200_000, 20, 0.15],
  ['DEMO-PRINT', '行业期刊整版广告', 'traditional_ad', 6, 30, 45_000, 90_000, 12, 0.25],
  ['DEMO-618', '618 限时优惠', 'promotion', 5, 20, 25_000, 180_000, 36, 0.6],
  ['DEMO-1111', '双十一年度大促', 'promotion', 1, 15, 40_000, 300_000, 40, 0.45],
  ['DEMO-WEB-AI', '线上研讨会：AI 质检', 'webinar', 7, 1, 8_000, 120_000, 30, 0.65],
  ['DEMO-WEB-MES', '线上研讨会：MES 选型', 'webinar', 3, 1, 6_000, 100_000, 26, 0.5],
  ['DEMO-EDM-NEW', '新品发布邮件', 'email', 9, 10, 5_000, 80_000, 24, 0.4],
  ['DEMO-EDM-REN', '续约提醒邮件', 'email', 2, 10, 3_000, 60_000, 18, 0.7],
  ['DEMO-WHITEPAPER', '白皮书下载：智能工厂', 'content', 8, 120, 20_000, 150_000, 34, 0.45],
  ['DEMO-CASES', '客户案例专题', 'content', 4, 90, 15_000, 90_000, 20, 0.4],
  ['DEMO-WECHAT', '微信公众号推广', 'social', 10, 180, 35_000, 120_000, 30, 0.3],
  ['DEMO-DOUYIN', '抖音短视频投放', 'social', 3, 60, 50_000, 100_000, 28, 0.2],
  ['DEMO-PARTNER', '渠道伙伴联合推广', 'other', 6, 60, 40_000, 200_000, 18, 0.6],
  ['DEMO-2027-EXPO', '2027 春季展会（筹备中）', 'trade_show', -2, 4, 0, 400_000, 0, 0],
]

/** How each type of campaign spends, in percent; the demo books each part on its own day of the run. */
const COST_SPLITS: Record<CampaignType, [CostCategory, number][]> = {
  paid_search: [['media', 45], ['media', 45], ['agency', 10]],
  trade_show: [['venue', 50], ['material', 20], ['staff', 15], ['agency', 15]],
  conference: [['venue', 40], ['staff', 25], ['material', 15], ['agency', 20]],
  traditional_ad: [['media', 80], ['material', 20]],
  promotion: [['material', 40], ['media', 40], ['other', 20]],
  webinar: [['media', 60], ['staff', 40]],
  email: [['media', 70], ['agency', 30]],
  content: [['agency', 60], ['media', 40]],
  social: [['media', 50], ['media', 30], ['agency', 20]],
  other: [['other', 100]],
}

const COMPANIES = ['华信精密', '东方智造', '明德电子', '瑞丰机械', '天成化工', '中科汇能', '海纳物流', '金桥医疗', '长江汽配', '博远软件',
  '恒通建材', '安泰电力', '新元食品', '宏达纺织', '远航船舶', '众诚咨询', '云启科技', '万和家居', '信达物联', '盛世传媒']
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭']
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '军', '洋', '勇', '艳', '杰', '涛', '明', '超', '秀英']
const REGIONS = ['华东', '华南', '华北', '华中', '西南', '东北']
const INDUSTRIES = ['制造业', '汽车', '电子', '医疗', '能源', '物流', '软件']
const TITLES = ['采购经理', '信息化总监', '生产副总', '总经理', 'IT 主管', '运营经理']
const LOST_REASONS = ['预算不足', '选择了竞争对手', '项目延期', '需求不匹配']

/** A small deterministic generator, so every demo load looks the same. */
function random(seed: number) {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  }
}

const isoDate = (date: Date) => date.toISOString().slice(0, 10)

export interface DemoSummary { campaigns: number; leads: number; opportunities: number; orders: number; touchpoints: number; users: string[] }

/**
 * Loads a year of realistic activity through the same services the API uses, so every figure
 * (roll-ups, audit) is produced the way real use produces it. Loading twice changes nothing.
 */
export async function loadDemoData(db: Kysely<Database>, now = new Date()): Promise<DemoSummary | null> {
  return repo.withSessionLock(db, DEMO_LOCK_KEY, async () => {
    if (await repo.demoLoaded(db, CAMPAIGNS[0]![0])) return null
    const ctx = systemContext('demo-data')
    const owners = new Map<Role, string[]>()
    for (const user of USERS) {
      const existing = await findUserForLogin(db, user.email)
      const id = existing?.id ?? (await createUser(db, ctx, { ...user, password: DEMO_PASSWORD })).user.id
      owners.set(user.role, [...(owners.get(user.role) ?? []), id])
    }
    const marketing = owners.get('marketing')!
    const sales = owners.get('sales')!
    const rng = random(20_261_123)
    const summary: DemoSummary = { campaigns: 0, leads: 0, opportunities: 0, orders: 0, touchpoints: 0, users: USERS.map((u) => u.email) }
    const journeys: DemoJourney[] = []
    const windows: DemoCampaignWindow[] = []

    for (const [code, name, type, monthsAgo, days, cost, expected, leadCount, quality] of CAMPAIGNS) {
      const start = new Date(now.getTime() - monthsAgo * 30 * DAY)
      const end = new Date(start.getTime() + (days - 1) * DAY)
      const campaign = await createCampaign(db, ctx, {
        name, code, type,
        status: monthsAgo < 0 ? 'planned' : end > now ? 'active' : 'completed',
        startDate: isoDate(start), endDate: isoDate(end),
        budget: Math.round(cost * 1.1), expectedRevenue: expected,
        description: `演示数据：${name}`,
        ownerId: rng.pick(marketing),
      }, isoDate(now))
      await repo.backdateCampaign(db, campaign.id, new Date(start.getTime() - 20 * DAY))
      // A planned campaign has spent nothing yet.
      if (start <= now) {
        const splits = COST_SPLITS[type]
        let booked = 0
        for (const [i, [category, percent]] of splits.entries()) {
          const amount = i === splits.length - 1 ? cost - booked : Math.round((cost * percent) / 100)
          booked += amount
          const day = new Date(Math.min(now.getTime(), start.getTime() + Math.round((i * (days - 1)) / Math.max(1, splits.length - 1)) * DAY))
          await createCost(db, ctx, campaign.id, { date: isoDate(day), category, amount })
        }
      }
      summary.campaigns++
      windows.push({ id: campaign.id, type, start, end })

      for (let i = 0; i < leadCount; i++) {
        const company = `${rng.pick(COMPANIES)}${rng.pick(['有限公司', '股份有限公司', '集团'])}`
        const person = `${rng.pick(SURNAMES)}${rng.pick(GIVEN)}`
        const createdAt = new Date(Math.min(now.getTime() - DAY, start.getTime() + rng.int(0, Math.max(days, 14)) * DAY))
        const ctxAs: RequestContext = { ...ctx, actor: { ...ctx.actor, userId: rng.pick(sales) } }
        const lead = await createLead(db, ctxAs, {
          name: person, company, title: rng.pick(TITLES), region: rng.pick(REGIONS), industry: rng.pick(INDUSTRIES),
          email: `lead${summary.leads + 1}@example.cn`, phone: `138${String(10_000_000 + summary.leads * 7919).slice(-8)}`,
          campaignId: campaign.id, ownerId: ctxAs.actor.userId,
        })
        summary.leads++
        const roll = rng.next()
        let convertedAt: Date | null = null
        let closedAt: Date | null = null
        if (roll < 0.12 + (1 - quality) * 0.15) {
          await updateLead(db, ctxAs, lead.id, { status: 'disqualified', disqualifiedReason: rng.pick(['联系方式无效', '非目标客户', '重复线索']) })
        } else if (roll < 0.12 + quality * 0.55) {
          const amount = rng.int(3, 40) * 5_000
          const result = await convertLead(db, ctxAs, lead.id, { opportunity: { name: `${company} · ${name}`, amount } })
          convertedAt = new Date(createdAt.getTime() + rng.int(2, 10) * DAY)
          summary.opportunities++
          closedAt = new Date(Math.min(now.getTime() - DAY, convertedAt.getTime() + rng.int(10, 75) * DAY))
          const outcome = await advanceOpportunity(db, ctxAs, result.opportunityId!, { amount, quality, openedAt: convertedAt, closedAt, now }, rng)
          if (outcome === 'won') summary.orders++
          await repo.backdateOpportunity(db, result.opportunityId!, convertedAt, outcome === 'open' ? null : closedAt)
          if (outcome === 'open') closedAt = null
        } else {
          const status: LeadStatus = rng.pick(['new', 'contacted', 'qualified'] as const)
          if (status !== 'new') await updateLead(db, ctxAs, lead.id, { status })
        }
        await repo.backdateLead(db, lead.id, createdAt, convertedAt)
        journeys.push({ leadId: lead.id, campaignId: campaign.id, type, createdAt, endsAt: closedAt ?? now })
      }
    }
    const touches = demoTouches(journeys, windows, rng)
    await createTouchpointBatch(db, ctx, touches)
    summary.touchpoints = touches.length
    return summary
  })
}

/** Moves a new opportunity to where a real one of this campaign's quality would be by now. */
interface DemoJourney { leadId: string; campaignId: string; type: CampaignType; createdAt: Date; endsAt: Date }
interface DemoCampaignWindow { id: string; type: CampaignType; start: Date; end: Date }

const TOUCH_TYPES: Record<CampaignType, string> = {
  paid_search: 'ad_click', trade_show: 'booth_visit', conference: 'session_attended', traditional_ad: 'ad_response',
  promotion: 'coupon_redeemed', webinar: 'webinar_attended', email: 'email_click', content: 'content_download',
  social: 'social_engagement', other: 'visit',
}

/**
 * Each lead's journey: the touch that brought it in (on its own campaign, as it was created),
 * and for most a few more on other campaigns that ran between a month before and its close, so
 * the attribution models disagree the way they do on real data.
 */
function demoTouches(journeys: readonly DemoJourney[], windows: readonly DemoCampaignWindow[], rng: ReturnType<typeof random>): NewTouchpoint[] {
  const touches: NewTouchpoint[] = []
  for (const journey of journeys) {
    touches.push({
      personType: 'lead', personId: journey.leadId, campaignId: journey.campaignId, type: TOUCH_TYPES[journey.type],
      occurredAt: new Date(journey.createdAt.getTime() - rng.int(1, 120) * 60_000).toISOString(), externalId: `demo-${journey.leadId}-0`,
    })
    const from = journey.createdAt.getTime() - 30 * DAY
    const to = journey.endsAt.getTime()
    const running = windows.filter((w) => w.id !== journey.campaignId && w.start.getTime() < to && w.end.getTime() > from)
    const extra = running.length === 0 || rng.next() < 0.35 ? 0 : rng.int(1, 3)
    for (let k = 1; k <= extra; k++) {
      const w = rng.pick(running)
      const start = Math.max(from, w.start.getTime())
      const end = Math.min(to, w.end.getTime())
      touches.push({
        personType: 'lead', personId: journey.leadId, campaignId: w.id, type: TOUCH_TYPES[w.type],
        occurredAt: new Date(start + rng.next() * (end - start)).toISOString(), externalId: `demo-${journey.leadId}-${k}`,
      })
    }
  }
  return touches
}

async function advanceOpportunity(
  db: Kysely<Database>, ctx: RequestContext, id: string,
  deal: { amount: number; quality: number; openedAt: Date; closedAt: Date; now: Date },
  rng: ReturnType<typeof random>,
): Promise<'won' | 'lost' | 'open'> {
  const { amount, quality, openedAt, closedAt, now } = deal
  const ageDays = (now.getTime() - openedAt.getTime()) / DAY
  const roll = rng.next()
  if (ageDays > 20 && roll < 0.2 + quality * 0.5) {
    const discount = rng.next() < 0.3 ? 0.9 : 1
    await winOpportunity(db, ctx, id, { orderAmountCents: BigInt(Math.round(amount * discount)) * 100n, orderDate: isoDate(closedAt) })
    return 'won'
  }
  if (ageDays > 20 && roll < 0.45 + quality * 0.3) {
    await loseOpportunity(db, ctx, id, rng.pick(LOST_REASONS))
    return 'lost'
  }
  const stage: OpportunityStage = rng.pick(['prospecting', 'qualification', 'proposal', 'negotiation'] as const)
  if (stage !== 'prospecting') await updateOpportunity(db, ctx, id, { stage })
  return 'open'
}
