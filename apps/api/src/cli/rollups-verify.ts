// `pnpm rollups:verify`: compare every campaign's stored revenue with a recompute from its
// confirmed orders; prints the drifting campaigns and exits 1 when there is any.
import { loadConfig } from '../config.ts'
import { connect } from '../db/connect.ts'
import { verifyRollups } from '../modules/rollups/rollups.service.ts'

const config = loadConfig()
const connection = await connect(config)
let exitCode = 0
try {
  const result = await verifyRollups(connection.db)
  if (result.ok) {
    console.log(`No drift: ${result.checked} campaign(s) checked, stored revenue equals the recompute.`)
  } else {
    console.table(result.campaigns.map((c) => ({
      campaign: c.campaignId,
      'stored revenue': c.storedRevenue,
      'recomputed revenue': c.recomputedRevenue,
      'stored orders': c.storedOrderCount,
      'recomputed orders': c.recomputedOrderCount,
    })))
    console.error(`Drift in ${result.campaigns.length} of ${result.checked} campaign(s); fix with POST /api/v1/admin/rollups/rebuild.`)
    exitCode = 1
  }
} catch (error) {
  console.error(`Verification failed: ${(error as Error).message}`)
  exitCode = 2
} finally {
  await connection.close()
}
// Explicitly, so that no handle left open by a driver keeps the process alive.
process.exit(exitCode)
