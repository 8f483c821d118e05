import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { systemContext } from '../src/lib/context.ts'
import { advanceMembersInTransaction, type MemberStep } from '../src/modules/campaign-members/campaign-members.service.ts'
import { capturePeople, type CaptureInput, type CaptureOptions } from '../src/modules/capture/capture.service.ts'
import { bearer, buildTestApp } from './helper.ts'

const { app, db, tokenFor } = await buildTestApp()
const marketing = bearer(await tokenFor('marketing'))
const sales = bearer(await tokenFor('sales'))
const ctx = systemContext('test')

const post = async (url: string, payload: Record<string, unknown>, headers = marketing) => {
  const res = await app.inject({ method: 'POST', url: `/api/v1${url}`, headers, payload })
  expect(res.statusCode, res.body).toBe(201)
  return res.json() as { id: string }
}

let campaignNo = 0
const newCampaign = async (type = 'paid_search') => post('/campaigns', { name: `Capture ${++campaignNo}`, code: `CAP-${campaignNo}`, type })

const capture = (inputs: readonly CaptureInput[], options: Partial<CaptureOptions> = {}) =>
  db.transaction().execute((trx) => capturePeople(trx, ctx, inputs, { campaignId: null, ownerId: null, dedupeBy: ['email', 'phone'], onDuplicate: 'fill', ...options }))

const advance = (campaignId: string, steps: readonly MemberStep[], at?: Date) =>
  db.transaction().execute((trx) => advanceMembersInTransaction(trx, ctx, campaignId, steps, at))

const lead = async (id: string) => db.selectFrom('leads').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

describe('capturePeople', () => {
  it('creates a lead of the campaign with its origin, then finds it again by email whatever its case and spaces', async () => {
    const campaign = await newCampaign()
    const [first] = await capture([{
      person: { name: '王芳', email: 'Wang.Fang@Example.cn' },
      origin: { utmSource: 'baidu', utmMedium: 'cpc', utmCampaign: 'spring', utmTerm: 'crm', utmContent: 'ad1', referrer: 'https://www.baidu.com/' },
    }], { campaignId: campaign.id })
    expect(first).toMatchObject({ personType: 'lead', outcome: 'created', duplicateOf: null })
    expect(await lead(first!.personId)).toMatchObject({
      name: '王芳', campaign_id: campaign.id, status: 'new', owner_id: null,
      utm_source: 'baidu', utm_medium: 'cpc', utm_campaign: 'spring', utm_term: 'crm', utm_content: 'ad1', referrer: 'https://www.baidu.com/',
    })

    const [again] = await capture([{ person: { name: 'Fang Wang', email: '  wang.fang@example.CN ', phone: '138 0013 8000' }, origin: { utmSource: 'wechat' } }])
    expect(again).toMatchObject({ personType: 'lead', personId: first!.personId, outcome: 'updated' })
    // Filled in, never overwritten: the phone is new, the name and the first origin stay.
    expect(await lead(first!.personId)).toMatchObject({ name: '王芳', phone: '138 0013 8000', utm_source: 'baidu' })

    const [third] = await capture([{ person: { name: '王芳', email: 'wang.fang@example.cn' } }])
    expect(third).toMatchObject({ personId: first!.personId, outcome: 'unchanged' })
  })

  it('matches a phone by its digits, with or without China\'s country code', async () => {
    const [created] = await capture([{ person: { name: '李雷', phone: '+86 139-1111-2222' } }])
    for (const phone of ['13911112222', '0086 139 1111 2222', '(139) 1111 2222']) {
      const [found] = await capture([{ person: { name: '李雷', phone } }], { dedupeBy: ['phone'] })
      expect(found).toMatchObject({ personId: created!.personId, outcome: 'unchanged' })
    }
    const [other] = await capture([{ person: { name: '李雷', phone: '13911112223' } }], { dedupeBy: ['phone'] })
    expect(other!.outcome).toBe('created')
  })

  it('prefers a contact to a lead, and takes a converted lead for its contact', async () => {
    const contact = await post('/contacts', { name: '韩梅梅', email: 'hmm@example.cn' }, sales)
    await post('/leads', { name: '韩梅梅 (old lead)', email: 'hmm@example.cn' })
    const [found] = await capture([{ person: { name: '韩梅梅', email: 'HMM@example.cn', title: '采购经理' } }])
    expect(found).toMatchObject({ personType: 'contact', personId: contact.id, outcome: 'updated' })
    expect(await db.selectFrom('contacts').select('title').where('id', '=', contact.id).executeTakeFirstOrThrow()).toEqual({ title: '采购经理' })

    const converting = await post('/leads', { name: 'Converted Person', email: 'converted@example.cn' })
    const converted = await app.inject({ method: 'POST', url: `/api/v1/leads/${converting.id}/convert`, headers: sales, payload: {} })
    expect(converted.statusCode, converted.body).toBe(200)
    const [viaLead] = await capture([{ person: { name: 'Converted Person', email: 'converted@example.cn' } }])
    expect(viaLead).toMatchObject({ personType: 'contact', personId: converted.json().contactId })
  })

  it('treats a later input of the same batch as a duplicate of the earlier one, skipping or merging it', async () => {
    const batch: CaptureInput[] = [
      { person: { name: 'A One', email: 'a1@batch.cn' } },
      { person: { name: 'B Two', phone: '13500000001' } },
      { person: { name: 'A One again', email: 'A1@batch.cn', title: 'CEO' } },
      { person: { name: 'B Two again', phone: '135 0000 0001', company: 'B Co' } },
    ]
    const skipped = await capture(batch, { onDuplicate: 'skip' })
    expect(skipped.map((r) => [r.outcome, r.duplicateOf])).toEqual([['created', null], ['created', null], ['skipped', 0], ['skipped', 1]])
    expect(skipped[2]!.personId).toBe(skipped[0]!.personId)

    const merged = await capture(batch.map((input) => ({ person: { ...input.person, email: input.person.email?.replace('batch', 'merge') } })), { onDuplicate: 'update' })
    expect(merged.map((r) => r.outcome)).toEqual(['created', 'unchanged', 'updated', 'updated'])
    expect(merged[1]!.personId).toBe(skipped[1]!.personId)
    expect(await lead(merged[0]!.personId)).toMatchObject({ name: 'A One again', title: 'CEO' })
    expect(await lead(skipped[1]!.personId)).toMatchObject({ name: 'B Two again', company: 'B Co', phone: '13500000001' })
    // An email in another case is the same email: the stored spelling stays.
    const [sameEmail] = await capture([{ person: { name: 'A One again', email: 'A1@MERGE.cn' } }], { onDuplicate: 'update' })
    expect(sameEmail).toMatchObject({ personId: merged[0]!.personId, outcome: 'unchanged' })
    expect(await lead(merged[0]!.personId)).toMatchObject({ email: 'a1@merge.cn' })
  })

  it('matches company and name only when asked to, ignoring case and spaces', async () => {
    const [first] = await capture([{ person: { name: 'Zhang San', company: 'Acme 科技' } }], { dedupeBy: ['company_name'] })
    const [same] = await capture([{ person: { name: ' zhang san ', company: 'ACME 科技' } }], { dedupeBy: ['company_name'] })
    expect(same).toMatchObject({ personId: first!.personId, outcome: 'unchanged' })
    const [byEmailOnly] = await capture([{ person: { name: 'Zhang San', company: 'Acme 科技' } }], { dedupeBy: ['email'] })
    expect(byEmailOnly!.outcome).toBe('created')
  })

  it('gives a known lead without a campaign the capture\'s campaign and an origin only when it has none', async () => {
    const campaign = await newCampaign()
    const plain = await post('/leads', { name: 'No Origin', email: 'no.origin@example.cn' })
    await capture([{ person: { name: 'No Origin', email: 'no.origin@example.cn' }, origin: { utmSource: 'newsletter', referrer: 'https://mail.example.cn' } }], { campaignId: campaign.id })
    expect(await lead(plain.id)).toMatchObject({ campaign_id: campaign.id, utm_source: 'newsletter', referrer: 'https://mail.example.cn' })
    await capture([{ person: { name: 'No Origin', email: 'no.origin@example.cn' }, origin: { utmSource: 'baidu', utmTerm: 'later' } }], { onDuplicate: 'update' })
    expect(await lead(plain.id)).toMatchObject({ utm_source: 'newsletter', utm_term: null })
  })

  it('creates one lead when the same new person is captured many times at once', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) =>
      capture([{ person: { name: `Racer ${i}`, email: 'racer@example.cn', phone: i % 2 ? '13700000009' : null } }])))
    const ids = new Set(results.map(([r]) => r!.personId))
    expect(ids.size).toBe(1)
    expect(results.filter(([r]) => r!.outcome === 'created')).toHaveLength(1)
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM leads WHERE email_key = 'racer@example.cn'`.execute(db)
    expect(rows[0]!.n).toBe(1)
  })
})

describe('advanceMembersInTransaction', () => {
  const touches = async (campaignId: string) =>
    db.selectFrom('touchpoints').select(['type', 'member_id', 'external_id', 'metadata', 'occurred_at']).where('campaign_id', '=', campaignId).orderBy('occurred_at').orderBy('type').execute()

  it('adds a registrant with the response touch, checks them in with a second touch, and never moves back', async () => {
    const event = await newCampaign('conference')
    const [person] = await capture([{ person: { name: 'Attendee', email: 'attendee@event.cn' } }], { campaignId: event.id })
    const step = { personType: person!.personType, personId: person!.personId }
    const registeredAt = new Date(Date.now() - 60_000)

    const [registered] = await advance(event.id, [{ ...step, status: 'registered', touch: { type: 'form_submission', externalId: 'form-submission:r1', metadata: { formId: 'f1' } } }], registeredAt)
    expect(registered).toMatchObject({ status: 'registered', previousStatus: null, created: true, moved: false })
    const [attended] = await advance(event.id, [{ ...step, status: 'attended', touch: { type: 'event_check_in', externalId: `check-in:${registered!.memberId}` } }])
    expect(attended).toMatchObject({ memberId: registered!.memberId, status: 'attended', previousStatus: 'registered', moved: true })
    const [late] = await advance(event.id, [{ ...step, status: 'registered', touch: { type: 'form_submission', externalId: 'form-submission:r2' } }])
    expect(late).toMatchObject({ status: 'attended', moved: false })

    const stored = await touches(event.id)
    expect(stored.map((t) => [t.type, t.member_id, t.external_id])).toEqual([
      ['campaign_member', registered!.memberId, null],
      ['event_check_in', registered!.memberId, `check-in:${registered!.memberId}`],
      ['form_submission', registered!.memberId, 'form-submission:r2'],
    ])
    // The response touch carries the step's metadata and happened when the step did.
    expect(stored[0]).toMatchObject({ metadata: { status: 'registered', formId: 'f1' }, occurred_at: registeredAt })
    const history = await db.selectFrom('campaign_member_status_history').select('status').where('member_id', '=', registered!.memberId).orderBy('id').execute()
    expect(history.map((h) => h.status)).toEqual(['registered', 'attended'])
  })

  it('adds a batch at a status that is no response without touches, and refuses a status outside the flow', async () => {
    const event = await newCampaign('trade_show')
    const people = await capture([{ person: { name: 'Guest 1', email: 'g1@event.cn' } }, { person: { name: 'Guest 2', email: 'g2@event.cn' } }])
    const steps = people.map((p) => ({ personType: p.personType, personId: p.personId, status: 'invited' }))
    expect((await advance(event.id, steps)).map((m) => m.created)).toEqual([true, true])
    expect((await advance(event.id, steps)).map((m) => m.moved)).toEqual([false, false])
    expect(await touches(event.id)).toEqual([])

    await expect(advance(event.id, [{ ...steps[0]!, status: 'responded' }])).rejects.toMatchObject({ statusCode: 400, details: [{ field: 'status' }] })
  })
})
