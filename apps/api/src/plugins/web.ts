import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { existsSync } from 'node:fs'
import path from 'node:path'

declare module 'fastify' {
  interface FastifyInstance {
    /** True when the built SPA is served from this origin. */
    servesWeb: boolean
  }
}

/** Serves the built SPA: hashed assets cached for a year, index.html never cached. */
export default fp(async function web(app: FastifyInstance) {
  const root = app.config.webDist
  const servesWeb = existsSync(path.join(root, 'index.html'))
  app.decorate('servesWeb', servesWeb)
  if (!servesWeb) return
  await app.register(fastifyStatic, {
    root,
    // Files are looked up per request, so a rebuilt SPA is served without restarting the API.
    wildcard: true,
    setHeaders(reply, filePath) {
      void reply.header('cache-control', filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache')
    },
  })
}, { name: 'web', dependencies: ['db'] })
