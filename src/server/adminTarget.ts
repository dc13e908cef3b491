/**
 * What the admin API (adminApp.ts, adminKeys.ts, adminAccessControl.ts) needs of a running kmslite. The Kmslite
 * class satisfies it; the admin files depend on this type instead of on kmslite.ts, so kmslite.ts can load the
 * admin app without an import circle.
 */
import type { Logger } from 'pino';
import type { KmsliteConfig } from '../config/config.js';
import type { SeedReport } from '../config/seed.js';
import type { StoreBundle } from '../store/bundle.js';
import type { Clock } from '../util/clock.js';
import type { AuditTrail } from '../audit/trail.js';
import type { AccessControl, PrincipalTable } from './accessControl.js';

export interface AdminTarget {
  readonly config: KmsliteConfig;
  readonly stores: StoreBundle;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly audit: AuditTrail;
  readonly principals: PrincipalTable;
  readonly accessControl: AccessControl | undefined;
  /** Resolves once every change and audit event so far is on disk (immediately without a data directory). */
  commit(): Promise<void>;
  /** Empties every store and the last-use index, restores the seeded principals and applies the seed again. */
  reset(): Promise<SeedReport | undefined>;
}
