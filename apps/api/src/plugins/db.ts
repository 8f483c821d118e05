import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type pg from 'pg'
import type { Config } from '../config.ts'
import type { Db } from '../db/database.ts'

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
    /** The pool behind db: the change listener copies its settings, /metrics reports its usage. */
    pool: pg.Pool
    config: Config
    appVersion: string
    /** Signs and checks event tickets (lib/tickets.ts); derived from the app's secret. */
    ticketKey: Buffer
  }
}

export default fp(async function db(app: FastifyInstance, opts: { db: Db; pool: pg.Pool; config: Config; version: string; ticketKey: Buffer }) {
  app.decorate('db', opts.db)
  app.decorate('pool', opts.pool)
  app.decorate('config', opts.config)
  app.decorate('appVersion', opts.version)
  app.decorate('ticketKey', opts.ticketKey)
}, { name: 'db' })
