/**
 * The core's outcome metrics. Imported by relative path until `@carerelay/core`'s barrel re-exports
 * `./metrics/index.js`; then this file becomes `export … from '@carerelay/core'`.
 */
export { metrics } from '../../core/src/metrics/index.js';
export type { DeliveredNotificationRecord, OutcomeMetrics, AlertDistribution } from '../../core/src/metrics/index.js';
