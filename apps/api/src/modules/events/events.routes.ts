import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ROLE_PERMISSIONS } from '../../lib/permissions.ts'
import { errors } from '../../lib/schemas.ts'
import { ChangeEventSchema } from './events.schemas.ts'
import { KEEP_ALIVE_MS, openEventStream, RETRY_MS, type EventStream } from './events.stream.ts'

const DESCRIPTION = [
  'Server-Sent Events (`text/event-stream`) announcing every change to orders, opportunities, leads, campaigns,',
  'touchpoints, costs, accounts and contacts, made through any API process. Only changes of records your role may read are sent.',
  '',
  'Browsers: read it with `fetch()` and a streaming body reader, sending `Authorization: Bearer <token>`;',
  '`EventSource` cannot send an Authorization header. See docs/api.md, "Live updates and metrics".',
  '',
  `The stream starts with \`retry: ${RETRY_MS}\` and \`event: ready\` (data \`{"live": boolean}\`), then sends`,
  '`event: change` frames (`id:` the event id, data a ChangeEvent), `event: resync` when this server may have missed changes',
  `(refetch what you show), and a \`: keep-alive\` comment every ${KEEP_ALIVE_MS / 1000} s. There is no replay:`,
  'after reconnecting, refetch. The server ends the stream when the access token expires (at the latest after',
  'ACCESS_TOKEN_TTL_SECONDS); reconnect with a fresh token.',
].join('\n')

export const eventsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const open = new Set<EventStream>()
  // Before the server stops accepting: open streams would otherwise keep close() waiting for ever.
  app.addHook('preClose', async () => {
    for (const stream of open) stream.end()
  })

  app.get('/events', {
    config: { access: 'authenticated' },
    exposeHeadRoute: false,
    schema: {
      tags: ['events'],
      summary: 'Live change events (Server-Sent Events)',
      description: DESCRIPTION,
      response: {
        200: { description: 'An endless event stream', content: { 'text/event-stream': { schema: ChangeEventSchema } } },
        ...errors(401),
      },
    },
  }, async (request, reply) => {
    const { actor, credentialExpiresAt } = request.ctx
    const maxLifetime = Date.now() + app.config.accessTokenTtlSeconds * 1000
    reply.hijack()
    // Headers set so far by hooks (CORS, rate limit) go out too: hijacking skips Fastify's sending.
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value !== undefined) reply.raw.setHeader(name, value)
    }
    reply.raw.setHeader('content-type', 'text/event-stream; charset=utf-8')
    reply.raw.setHeader('cache-control', 'no-cache, no-transform')
    // nginx buffers proxied responses unless told not to.
    reply.raw.setHeader('x-accel-buffering', 'no')
    reply.raw.setHeader('x-request-id', String(request.id))
    reply.raw.writeHead(200)
    const stream = openEventStream(reply.raw, {
      permissions: ROLE_PERMISSIONS[actor.role],
      listener: app.changeListener,
      endsAt: Math.min(maxLifetime, credentialExpiresAt?.getTime() ?? maxLifetime),
    })
    open.add(stream)
    void stream.ended.then(() => open.delete(stream))
  })
}
