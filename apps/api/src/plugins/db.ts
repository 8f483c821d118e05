import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.ts'
import type { Db } from '../db/database.ts'

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
    config: Config
    appVersion: string
  }
}

export default fp(async function db(app: FastifyInstance, opts: { db: Db; config: Config; version: string }) {
  app.decorate('db', opts.db)
  app.decorate('config', opts.config)
  app.decorate('appVersion', opts.version)
}, { name: 'db' })
