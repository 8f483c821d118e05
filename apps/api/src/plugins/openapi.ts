import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

export default fp(async function openapi(app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Yardstick (衡策) CRM API',
        version: app.appVersion,
        description: [
          'Every campaign\'s ROI, exactly and at once. All routes live under /api/v1.',
          '',
          'Authenticate with `POST /api/v1/auth/login` and send the access token as `Authorization: Bearer <accessToken>`,',
          'or ask an admin for an API token (`ys_…`) and send it the same way.',
          '',
          'Errors share one shape: `{statusCode, error, code, message, details?: [{field, message}]}`.',
          'Money is a decimal string with two decimals (`"80000.00"`); percentages are numbers rounded to two decimals, `null` when undefined.',
        ].join('\n'),
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Access token (JWT) or API token (ys_…)' } } },
      security: [{ bearer: [] }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  })
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    // As in the app's own CSP: intranet installs run on plain http, where an upgrade to https
    // would make the browser fetch the docs' scripts and styles from a port that speaks no TLS.
    transformStaticCSP: (header) => header.replace(/\s*upgrade-insecure-requests;?/, ''),
  })
  app.get('/api/v1/openapi.json', {
    config: { access: 'public' },
    schema: { hide: true },
  }, async () => app.swagger())
}, { name: 'openapi', dependencies: ['db'] })
