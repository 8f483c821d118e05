import { sql } from 'kysely'
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { bearer, buildTestApp } from './helper.ts'

const { app, db, tokenFor } = await buildTestApp()
const admin = bearer(await tokenFor('admin'))
const marketing = bearer(await tokenFor('marketing'))
const sales = bearer(await tokenFor('sales'))
const viewer = bearer(await tokenFor('viewer'))
const marketingId = (await app.inject({ url: '/api/v1/me', headers: marketing })).json().id as string

type Body = Record<string, unknown>
interface Created { id: string }
interface Member {
  id: string
  personId: string
  name: string
  status: string
  statusChangedAt: string
  respondedAt: string | null
  createdAt: string
}
interface Status { status: string; position: number | null; count?: number }
type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'

const call = (method: Method, url: string, payload?: unknown, headers = marketing) =>
  app.inject({ method, url: `/api/v1${url}`, headers, ...(payload === undefined ? {} : { payload: payload as Body }) })

let campaignNo = 0
async function newCampaign(type: string): Promise<Created> {
  campaignNo += 1
  const res = await call('POST', '/campaigns', { name: `Members ${campaignNo}`, code: `MEM-${campaignNo}`, type })
  expect(res.statusCode).toBe(201)
  return res.json()
}

async function newLead(name: string, extra: Body = {}): Promise<Created> {
  const res = await call('POST', '/leads', { name, email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.com`, ...extra })
  expect(res.statusCode).toBe(201)
  return res.json()
}

async function newContact(name: string, accountId: string | null = null): Promise<Created> {
  const res = await call('POST', '/contacts', { name, accountId }, sales)
  expect(res.statusCode).toBe(201)
  return res.json()
}

const account = (await call('POST', '/accounts', { name: 'Member Account Co' }, sales)).json()

async function addMember(campaignId: string, payload: Body): Promise<Member> {
  const res = await call('POST', `/campaigns/${campaignId}/members`, payload)
  expect(res.statusCode).toBe(201)
  return res.json()
}

const setStatus = (campaignId: string, memberId: string, status: string, headers = marketing) =>
  call('PATCH', `/campaigns/${campaignId}/members/${memberId}`, { status }, headers)
const members = async (campaignId: string, query = '') => (await call('GET', `/campaigns/${campaignId}/members${query}`, undefined, viewer)).json()
const touchpoints = async (campaignId: string) => (await call('GET', `/touchpoints?campaignId=${campaignId}`, undefined, viewer)).json()
const flows = async () => (await call('GET', '/member-status-flows', undefined, viewer)).json().items as Array<{ campaignType: string; statuses: Status[] }>
const flowOf = async (type: string) => (await flows()).find((f) => f.campaignType === type)!.statuses

describe('GET /api/v1/member-status-flows', () => {
  it('lists the seeded flow of every campaign type, statuses in funnel order', async () => {
    const items = await flows()
    expect(items.map((f) => f.campaignType).sort()).toEqual(
      ['conference', 'content', 'email', 'other', 'paid_search', 'promotion', 'social', 'trade_show', 'traditional_ad', 'webinar'])
    expect(await flowOf('webinar')).toEqual([
      { status: 'invited', position: 0, responded: false },
      { status: 'registered', position: 1, responded: true },
      { status: 'attended', position: 2, responded: true },
      { status: 'no_show', position: 3, responded: false },
    ])
    expect(await flowOf('email')).toEqual([
      { status: 'sent', position: 0, responded: false },
      { status: 'opened', position: 1, responded: false },
      { status: 'clicked', position: 2, responded: true },
      { status: 'responded', position: 3, responded: true },
    ])
  })
})

describe('POST /api/v1/campaigns/:id/members', () => {
  it('starts a webinar member at invited and an email member at sent, with the person\'s name, email and company', async () => {
    const webinar = await newCampaign('webinar')
    const email = await newCampaign('email')
    const lead = await newLead('Li Lei', { company: 'Lei Labs' })
    const contact = await newContact('Han Meimei', account.id)

    const fromLead = await addMember(webinar.id, { personType: 'lead', personId: lead.id })
    expect(fromLead).toMatchObject({
      campaignId: webinar.id, personType: 'lead', personId: lead.id, name: 'Li Lei', email: 'li.lei@example.com',
      company: 'Lei Labs', status: 'invited', respondedAt: null,
    })
    expect(fromLead.statusChangedAt).toBe(fromLead.createdAt)

    const fromContact = await addMember(email.id, { personType: 'contact', personId: contact.id })
    expect(fromContact).toMatchObject({ personType: 'contact', personId: contact.id, name: 'Han Meimei', company: 'Member Account Co', status: 'sent' })
    expect(await touchpoints(webinar.id)).toMatchObject({ total: 0 })
  })

  it('refuses a person who is already a member with 409', async () => {
    const webinar = await newCampaign('webinar')
    const lead = await newLead('Twice')
    await addMember(webinar.id, { personType: 'lead', personId: lead.id })
    const res = await call('POST', `/campaigns/${webinar.id}/members`, { personType: 'lead', personId: lead.id, status: 'attended' })
    expect(res.statusCode).toBe(409)
    expect(res.json()).toMatchObject({ code: 'conflict', details: [{ field: 'personId' }] })
    expect((await members(webinar.id)).items.map((m: Member) => m.status)).toEqual(['invited'])
  })

  it('names personId for an unknown person and adds nobody', async () => {
    const webinar = await newCampaign('webinar')
    const lead = await newLead('Only a lead')
    const unknown = await call('POST', `/campaigns/${webinar.id}/members`, { personType: 'lead', personId: randomUUID() })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json()).toMatchObject({ code: 'invalid_reference', details: [{ field: 'personId' }] })
    // A lead's id is no contact's.
    const wrongType = await call('POST', `/campaigns/${webinar.id}/members`, { personType: 'contact', personId: lead.id })
    expect(wrongType.statusCode).toBe(400)
    expect(wrongType.json().details).toEqual([{ field: 'personId', message: `no contact has id ${lead.id}` }])
    expect((await members(webinar.id)).total).toBe(0)
  })

  it('names status for a status outside the flow of the campaign\'s type', async () => {
    const webinar = await newCampaign('webinar')
    const lead = await newLead('Wrong flow')
    const res = await call('POST', `/campaigns/${webinar.id}/members`, { personType: 'lead', personId: lead.id, status: 'clicked' })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'validation_failed', details: [{ field: 'status' }] })
    expect((await members(webinar.id)).total).toBe(0)
  })

  it('answers 404 for an unknown campaign', async () => {
    const lead = await newLead('No campaign')
    const res = await call('POST', `/campaigns/${randomUUID()}/members`, { personType: 'lead', personId: lead.id })
    expect(res.statusCode).toBe(404)
    expect(res.json().code).toBe('not_found')
    expect((await call('GET', `/campaigns/${randomUUID()}/members`, undefined, viewer)).statusCode).toBe(404)
  })

  it('records the touchpoint at once for a member added with a responded status', async () => {
    const webinar = await newCampaign('webinar')
    const lead = await newLead('Registered on sign-up')
    const member = await addMember(webinar.id, { personType: 'lead', personId: lead.id, status: 'registered' })
    expect(member.respondedAt).toBe(member.statusChangedAt)
    const touches = await touchpoints(webinar.id)
    expect(touches.total).toBe(1)
    expect(touches.items[0]).toMatchObject({
      personType: 'lead', personId: lead.id, campaignId: webinar.id, type: 'campaign_member', memberId: member.id,
      occurredAt: member.statusChangedAt, metadata: { status: 'registered' },
    })
  })
})

describe('PATCH /api/v1/campaigns/:id/members/:memberId', () => {
  it('moves a member through the flow, keeping when and by whom each status was set', async () => {
    const email = await newCampaign('email')
    const lead = await newLead('Mover')
    const added = await addMember(email.id, { personType: 'lead', personId: lead.id })
    const opened = await setStatus(email.id, added.id, 'opened')
    expect(opened.statusCode).toBe(200)
    expect(opened.json()).toMatchObject({ id: added.id, status: 'opened', respondedAt: null })
    expect(opened.json().statusChangedAt > added.statusChangedAt).toBe(true)

    const detail = (await call('GET', `/campaigns/${email.id}/members/${added.id}`, undefined, viewer)).json()
    expect(detail.history).toEqual([
      { status: 'sent', changedAt: added.statusChangedAt, changedBy: marketingId },
      { status: 'opened', changedAt: opened.json().statusChangedAt, changedBy: marketingId },
    ])
    expect(detail).toMatchObject({ status: 'opened', name: 'Mover' })
  })

  it('creates exactly one touchpoint, at the time of the first responded status', async () => {
    const email = await newCampaign('email')
    const lead = await newLead('Responder')
    const member = await addMember(email.id, { personType: 'lead', personId: lead.id })
    await setStatus(email.id, member.id, 'opened')
    expect((await touchpoints(email.id)).total).toBe(0)

    const clicked = (await setStatus(email.id, member.id, 'clicked')).json()
    expect(clicked.respondedAt).toBe(clicked.statusChangedAt)
    const touches = await touchpoints(email.id)
    expect(touches.total).toBe(1)
    expect(touches.items[0]).toMatchObject({ memberId: member.id, personId: lead.id, type: 'campaign_member', occurredAt: clicked.statusChangedAt, metadata: { status: 'clicked' } })

    const responded = (await setStatus(email.id, member.id, 'responded')).json()
    await setStatus(email.id, member.id, 'opened')
    await setStatus(email.id, member.id, 'clicked')
    expect(responded.respondedAt).toBe(clicked.statusChangedAt)
    const after = await touchpoints(email.id)
    expect(after.total).toBe(1)
    expect(after.items[0].occurredAt).toBe(clicked.statusChangedAt)
    const history = (await call('GET', `/campaigns/${email.id}/members/${member.id}`, undefined, viewer)).json().history
    expect(history.map((h: { status: string }) => h.status)).toEqual(['sent', 'opened', 'clicked', 'responded', 'opened', 'clicked'])
  })

  it('creates one touchpoint when two responses arrive at once', async () => {
    const webinar = await newCampaign('webinar')
    const lead = await newLead('Racer')
    const member = await addMember(webinar.id, { personType: 'lead', personId: lead.id })
    const results = await Promise.all([setStatus(webinar.id, member.id, 'registered'), setStatus(webinar.id, member.id, 'attended')])
    expect(results.map((r) => r.statusCode)).toEqual([200, 200])
    expect((await touchpoints(webinar.id)).total).toBe(1)
  })

  it('leaves a member already at the status as it was', async () => {
    const webinar = await newCampaign('webinar')
    const lead = await newLead('Stayer')
    const member = await addMember(webinar.id, { personType: 'lead', personId: lead.id })
    const res = await setStatus(webinar.id, member.id, 'invited')
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual(member)
    expect((await call('GET', `/campaigns/${webinar.id}/members/${member.id}`, undefined, viewer)).json().history).toHaveLength(1)
  })

  it('names status for a status outside the flow and 404s a member of another campaign', async () => {
    const webinar = await newCampaign('webinar')
    const other = await newCampaign('webinar')
    const lead = await newLead('Strict')
    const member = await addMember(webinar.id, { personType: 'lead', personId: lead.id })
    const res = await setStatus(webinar.id, member.id, 'opened')
    expect(res.statusCode).toBe(400)
    expect(res.json().details).toEqual([{ field: 'status', message: 'is not a status of the webinar flow (invited, registered, attended, no_show)' }])
    expect((await setStatus(other.id, member.id, 'registered')).statusCode).toBe(404)
    expect((await call('GET', `/campaigns/${other.id}/members/${member.id}`, undefined, viewer)).statusCode).toBe(404)
  })
})

describe('POST /api/v1/campaigns/:id/members/bulk', () => {
  it('adds people by id, counting those who were members already', async () => {
    const webinar = await newCampaign('webinar')
    const leads = [await newLead('Bulk A'), await newLead('Bulk B'), await newLead('Bulk C')]
    await addMember(webinar.id, { personType: 'lead', personId: leads[0]!.id, status: 'attended' })
    const res = await call('POST', `/campaigns/${webinar.id}/members/bulk`, { personType: 'lead', personIds: leads.map((l) => l.id) })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ added: 2, alreadyMembers: 1 })
    const list = await members(webinar.id)
    expect(list.total).toBe(3)
    expect(Object.fromEntries(list.items.map((m: Member) => [m.name, m.status]))).toEqual({ 'Bulk A': 'attended', 'Bulk B': 'invited', 'Bulk C': 'invited' })
    const added = list.items.find((m: Member) => m.name === 'Bulk B')
    const detail = (await call('GET', `/campaigns/${webinar.id}/members/${added.id}`, undefined, viewer)).json()
    expect(detail.history).toEqual([{ status: 'invited', changedAt: added.statusChangedAt, changedBy: marketingId }])
  })

  it('adds every lead a filter matches', async () => {
    const source = await newCampaign('paid_search')
    const email = await newCampaign('email')
    await newLead('Filter One', { company: 'Filtered Ltd', campaignId: source.id })
    await newLead('Filter Two', { company: 'Filtered Ltd', campaignId: source.id, status: 'qualified' })
    await newLead('Filter Three', { company: 'Filtered Ltd' })
    await newLead('Unrelated', { campaignId: source.id })

    const qualified = await call('POST', `/campaigns/${email.id}/members/bulk`, {
      personType: 'lead', filter: { q: 'filtered', campaignId: source.id, status: 'qualified' },
    })
    expect(qualified.json()).toEqual({ added: 1, alreadyMembers: 0 })
    const res = await call('POST', `/campaigns/${email.id}/members/bulk`, { personType: 'lead', filter: { q: 'filtered' }, status: 'opened' })
    expect(res.json()).toEqual({ added: 2, alreadyMembers: 1 })
    const list = await members(email.id)
    expect(Object.fromEntries(list.items.map((m: Member) => [m.name, m.status]))).toEqual({ 'Filter One': 'opened', 'Filter Two': 'sent', 'Filter Three': 'opened' })
    expect((await members(email.id, '?status=opened&q=three')).items.map((m: Member) => m.name)).toEqual(['Filter Three'])
  })

  it('adds the contacts of an account and refuses lead filters for contacts', async () => {
    const conference = await newCampaign('conference')
    const acme = (await call('POST', '/accounts', { name: 'Bulk Contacts Inc' }, sales)).json()
    await newContact('Acme One', acme.id)
    await newContact('Acme Two', acme.id)
    await newContact('Elsewhere', account.id)
    const res = await call('POST', `/campaigns/${conference.id}/members/bulk`, { personType: 'contact', filter: { accountId: acme.id } })
    expect(res.json()).toEqual({ added: 2, alreadyMembers: 0 })
    expect((await members(conference.id, '?personType=contact&q=bulk%20contacts')).total).toBe(2)
    const leadFilter = await call('POST', `/campaigns/${conference.id}/members/bulk`, { personType: 'contact', filter: { status: 'new' } })
    expect(leadFilter.statusCode).toBe(400)
    expect(leadFilter.json().details).toEqual([{ field: 'filter.status', message: 'only filters leads' }])
  })

  it('adds nobody when one id is unknown, naming personIds[i]', async () => {
    const webinar = await newCampaign('webinar')
    const a = await newLead('All A')
    const b = await newLead('All B')
    const missing = randomUUID()
    const res = await call('POST', `/campaigns/${webinar.id}/members/bulk`, { personType: 'lead', personIds: [a.id, missing, b.id] })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'invalid_reference', details: [{ field: 'personIds[1]', message: `no lead has id ${missing}` }] })
    expect((await members(webinar.id)).total).toBe(0)
  })

  it('needs exactly one of personIds and filter', async () => {
    const webinar = await newCampaign('webinar')
    const lead = await newLead('Either')
    const both = await call('POST', `/campaigns/${webinar.id}/members/bulk`, { personType: 'lead', personIds: [lead.id], filter: { q: 'Either' } })
    const neither = await call('POST', `/campaigns/${webinar.id}/members/bulk`, { personType: 'lead' })
    expect([both.statusCode, neither.statusCode]).toEqual([400, 400])
    expect((await members(webinar.id)).total).toBe(0)
  })

  it('adds 10,000 leads in one request and refuses a filter matching more, saying so', async () => {
    // Made in SQL: 10,001 leads through the API would take the test longer than the feature.
    await sql`INSERT INTO leads (name, company, status) SELECT 'Scale ' || n, 'Scale Co', 'new' FROM generate_series(1, 10001) n`.execute(db)
    const webinar = await newCampaign('webinar')
    const tooMany = await call('POST', `/campaigns/${webinar.id}/members/bulk`, { personType: 'lead', filter: { q: 'Scale Co' } })
    expect(tooMany.statusCode).toBe(400)
    expect(tooMany.json().details).toEqual([{ field: 'filter', message: 'matches more than 10000 leads; one request adds at most 10000: narrow the filter' }])

    const ids = (await db.selectFrom('leads').select('id').where('company', '=', 'Scale Co').orderBy('name').limit(10_000).execute()).map((r) => r.id)
    const res = await call('POST', `/campaigns/${webinar.id}/members/bulk`, { personType: 'lead', personIds: ids, status: 'registered' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ added: 10_000, alreadyMembers: 0 })
    expect((await call('GET', `/touchpoints?campaignId=${webinar.id}&limit=1`, undefined, viewer)).json().total).toBe(10_000)
    const summary = (await call('GET', `/campaigns/${webinar.id}/members/summary`, undefined, viewer)).json()
    expect(summary).toMatchObject({ total: 10_000, responded: 10_000 })
    const moved = await call('POST', `/campaigns/${webinar.id}/members/bulk-status`, {
      memberIds: (await db.selectFrom('campaign_members').select('id').where('campaign_id', '=', webinar.id).execute()).map((r) => r.id),
      status: 'attended',
    })
    expect(moved.json()).toEqual({ updated: 10_000 })
    expect((await call('GET', `/touchpoints?campaignId=${webinar.id}&limit=1`, undefined, viewer)).json().total).toBe(10_000)
  })

  it('records a touchpoint for each person added with a responded status', async () => {
    const webinar = await newCampaign('webinar')
    const leads = [await newLead('Came A'), await newLead('Came B')]
    const res = await call('POST', `/campaigns/${webinar.id}/members/bulk`, { personType: 'lead', personIds: leads.map((l) => l.id), status: 'attended' })
    expect(res.json()).toEqual({ added: 2, alreadyMembers: 0 })
    const touches = await touchpoints(webinar.id)
    expect(touches.total).toBe(2)
    expect(touches.items.map((t: { personId: string }) => t.personId).sort()).toEqual(leads.map((l) => l.id).sort())
    const list = await members(webinar.id)
    expect(list.items.every((m: Member) => m.respondedAt === m.statusChangedAt)).toBe(true)
  })
})

describe('POST /api/v1/campaigns/:id/members/bulk-status', () => {
  it('moves several members at once, with one touchpoint for each first response', async () => {
    const email = await newCampaign('email')
    const leads = [await newLead('Batch A'), await newLead('Batch B'), await newLead('Batch C')]
    await call('POST', `/campaigns/${email.id}/members/bulk`, { personType: 'lead', personIds: leads.map((l) => l.id) })
    const ids = (await members(email.id)).items.map((m: Member) => m.id)
    await setStatus(email.id, ids[0], 'opened')

    const clicked = await call('POST', `/campaigns/${email.id}/members/bulk-status`, { memberIds: ids, status: 'clicked' })
    expect(clicked.json()).toEqual({ updated: 3 })
    expect((await touchpoints(email.id)).total).toBe(3)
    const again = await call('POST', `/campaigns/${email.id}/members/bulk-status`, { memberIds: ids, status: 'clicked' })
    expect(again.json()).toEqual({ updated: 0 })
    const responded = await call('POST', `/campaigns/${email.id}/members/bulk-status`, { memberIds: ids, status: 'responded' })
    expect(responded.json()).toEqual({ updated: 3 })
    expect((await touchpoints(email.id)).total).toBe(3)

    const first = (await call('GET', `/campaigns/${email.id}/members/${ids[0]}`, undefined, viewer)).json()
    expect(first.history.map((h: { status: string }) => h.status)).toEqual(['sent', 'opened', 'clicked', 'responded'])
    expect(first.respondedAt).toBe(first.history[2].changedAt)
  })

  it('changes nobody when one id is not a member of the campaign, naming memberIds[i]', async () => {
    const webinar = await newCampaign('webinar')
    const other = await newCampaign('webinar')
    const mine = await addMember(webinar.id, { personType: 'lead', personId: (await newLead('Mine')).id })
    const theirs = await addMember(other.id, { personType: 'lead', personId: (await newLead('Theirs')).id })
    const res = await call('POST', `/campaigns/${webinar.id}/members/bulk-status`, { memberIds: [mine.id, theirs.id], status: 'registered' })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'invalid_reference', details: [{ field: 'memberIds[1]' }] })
    expect((await members(webinar.id)).items[0].status).toBe('invited')
    expect((await touchpoints(webinar.id)).total).toBe(0)
  })
})

describe('GET /api/v1/campaigns/:id/members/summary', () => {
  it('counts members per status in flow order', async () => {
    const webinar = await newCampaign('webinar')
    const leads = [await newLead('Sum A'), await newLead('Sum B'), await newLead('Sum C'), await newLead('Sum D')]
    await call('POST', `/campaigns/${webinar.id}/members/bulk`, { personType: 'lead', personIds: leads.map((l) => l.id) })
    const list = (await members(webinar.id)).items
    await setStatus(webinar.id, list[0].id, 'attended')
    await setStatus(webinar.id, list[1].id, 'no_show')
    await setStatus(webinar.id, list[2].id, 'registered')
    await setStatus(webinar.id, list[2].id, 'no_show')

    const res = await call('GET', `/campaigns/${webinar.id}/members/summary`, undefined, viewer)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({
      campaignType: 'webinar',
      statuses: [
        { status: 'invited', position: 0, responded: false, count: 1 },
        { status: 'registered', position: 1, responded: true, count: 0 },
        { status: 'attended', position: 2, responded: true, count: 1 },
        { status: 'no_show', position: 3, responded: false, count: 2 },
      ],
      total: 4,
      responded: 2,
    })
  })

  it('lists statuses that are no longer in the flow after the others', async () => {
    const campaign = await newCampaign('webinar')
    await addMember(campaign.id, { personType: 'lead', personId: (await newLead('Type changer')).id, status: 'registered' })
    expect((await call('PATCH', `/campaigns/${campaign.id}`, { type: 'social' })).statusCode).toBe(200)
    const summary = (await call('GET', `/campaigns/${campaign.id}/members/summary`, undefined, viewer)).json()
    expect(summary.campaignType).toBe('social')
    expect(summary.statuses.map((s: Status) => [s.status, s.position, s.count])).toEqual([
      ['sent', 0, 0], ['opened', 1, 0], ['clicked', 2, 0], ['responded', 3, 0], ['registered', null, 1],
    ])
    expect(summary).toMatchObject({ total: 1, responded: 1 })
  })
})

describe('PUT /api/v1/member-status-flows/:campaignType', () => {
  it('lets an admin replace a flow, where new members then start, and audits it', async () => {
    const statuses = [
      { status: 'contacted', responded: false },
      { status: 'invited', responded: false },
      { status: 'registered', responded: true },
      { status: 'attended', responded: true },
    ]
    const res = await call('PUT', '/member-status-flows/trade_show', { statuses }, admin)
    expect(res.statusCode).toBe(200)
    const expected = statuses.map((s, position) => ({ ...s, position }))
    expect(res.json()).toEqual({ campaignType: 'trade_show', statuses: expected })
    expect(await flowOf('trade_show')).toEqual(expected)

    const show = await newCampaign('trade_show')
    const member = await addMember(show.id, { personType: 'lead', personId: (await newLead('Booth visitor')).id })
    expect(member.status).toBe('contacted')

    const audit = (await call('GET', '/audit?entity=member_status_flow&entityId=trade_show', undefined, admin)).json()
    expect(audit.total).toBe(1)
    expect(audit.items[0].changes.statuses.after).toEqual(expected)
  })

  it('is forbidden to marketing', async () => {
    const res = await call('PUT', '/member-status-flows/webinar', { statuses: [{ status: 'invited', responded: false }] }, marketing)
    expect(res.statusCode).toBe(403)
    expect((await flowOf('webinar')).map((s: Status) => s.status)).toEqual(['invited', 'registered', 'attended', 'no_show'])
  })

  it('refuses to remove a status members still have, naming it', async () => {
    const conference = await newCampaign('conference')
    await addMember(conference.id, { personType: 'lead', personId: (await newLead('Holds registered')).id, status: 'registered' })
    const res = await call('PUT', '/member-status-flows/conference', {
      statuses: [{ status: 'invited', responded: false }, { status: 'attended', responded: true }],
    }, admin)
    expect(res.statusCode).toBe(409)
    expect(res.json()).toMatchObject({ code: 'conflict', details: [{ field: 'statuses' }] })
    expect(res.json().message).toContain('registered (1 member)')
    expect((await flowOf('conference')).map((s: Status) => s.status)).toEqual(['invited', 'registered', 'attended', 'no_show'])
  })

  it('names a repeated status and refuses a status that is not a slug', async () => {
    const repeated = await call('PUT', '/member-status-flows/content', {
      statuses: [{ status: 'sent', responded: false }, { status: 'opened', responded: false }, { status: 'sent', responded: true }],
    }, admin)
    expect(repeated.statusCode).toBe(400)
    expect(repeated.json().details).toEqual([{ field: 'statuses[2].status', message: 'sent is listed twice' }])
    const notSlug = await call('PUT', '/member-status-flows/content', { statuses: [{ status: 'Sent Out', responded: false }] }, admin)
    expect(notSlug.statusCode).toBe(400)
    expect(notSlug.json().details[0].field).toBe('statuses.0.status')
    expect((await flowOf('content')).map((s: Status) => s.status)).toEqual(['sent', 'opened', 'clicked', 'responded'])
  })
})

describe('DELETE /api/v1/campaigns/:id/members/:memberId', () => {
  it('removes a member together with its touchpoint', async () => {
    const webinar = await newCampaign('webinar')
    const member = await addMember(webinar.id, { personType: 'lead', personId: (await newLead('Leaver')).id, status: 'attended' })
    expect((await touchpoints(webinar.id)).total).toBe(1)
    expect((await call('DELETE', `/campaigns/${webinar.id}/members/${member.id}`)).statusCode).toBe(204)
    expect((await touchpoints(webinar.id)).total).toBe(0)
    expect((await members(webinar.id)).total).toBe(0)
    expect((await call('DELETE', `/campaigns/${webinar.id}/members/${member.id}`)).statusCode).toBe(404)
  })
})

describe('campaign member permissions', () => {
  it('lets a viewer read members but not change them, and keeps sales out of writes', async () => {
    const webinar = await newCampaign('webinar')
    const lead = await newLead('Watched')
    const member = await addMember(webinar.id, { personType: 'lead', personId: lead.id })
    const base = `/campaigns/${webinar.id}/members`
    for (const url of [base, `${base}/summary`, `${base}/${member.id}`, '/member-status-flows']) {
      expect((await call('GET', url, undefined, viewer)).statusCode).toBe(200)
    }
    for (const headers of [viewer, sales]) {
      const writes = [
        await call('POST', base, { personType: 'lead', personId: (await newLead(`Not added ${randomUUID()}`)).id }, headers),
        await call('POST', `${base}/bulk`, { personType: 'lead', personIds: [lead.id] }, headers),
        await call('PATCH', `${base}/${member.id}`, { status: 'registered' }, headers),
        await call('POST', `${base}/bulk-status`, { memberIds: [member.id], status: 'registered' }, headers),
        await call('DELETE', `${base}/${member.id}`, undefined, headers),
        await call('PUT', '/member-status-flows/webinar', { statuses: [{ status: 'invited', responded: false }] }, headers),
      ]
      expect(writes.map((r) => r.statusCode)).toEqual([403, 403, 403, 403, 403, 403])
    }
    expect((await members(webinar.id)).items.map((m: Member) => m.status)).toEqual(['invited'])
  })
})
