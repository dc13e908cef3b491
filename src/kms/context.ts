import type { OperationName } from '../model/generated/operations.js';
import type { RegionStore } from '../store/regionStore.js';
import type { KeyRecord } from '../store/records.js';
import type { StoreBundle } from '../store/bundle.js';
import type { KeyUsageIndex } from '../audit/trail.js';
import type { RecordedDecision } from '../audit/accessExplanation.js';
import type { Decision, Principal, RequestEnvironment } from '../authz/index.js';

/** What an operation knows about its request. No HTTP, no Express. */
export interface OperationContext {
  requestId: string;
  operation: OperationName;
  accountId: string;
  region: string;
  accessKeyId: string;
  /** The request's instant, from the injectable clock. */
  now: Date;
  /** The caller's account×region store. */
  store: RegionStore;
  /** All stores, for the few operations that cross accounts or Regions. */
  stores: StoreBundle;
  /** Filled for the audit trail: the keys this request resolved and used (absent outside the pipeline). */
  trail?: RequestTrail;
  /**
   * With persistence on, for operations that change state: every key looked up (resolveKey.liveKey). The pipeline
   * marks them for writing once the operation has finished, so changes made after an await are not missed.
   */
  touchedKeys?: { store: RegionStore; key: KeyRecord }[];
  /** The audit trail's last-use index, for GetKeyLastUsage (absent outside the pipeline). */
  usage?: KeyUsageIndex;
  /** Access control for this request; absent with `--access-control off` (kms/authorize.ts). */
  authz?: RequestAuthz;
}

/** One request's access-control facts and the decisions made for it (the audit event explains them). */
export interface RequestAuthz {
  mode: 'audit' | 'enforce';
  requestId: string;
  principal: Principal;
  environment: RequestEnvironment;
  /** The decoded, validated input (condition keys are read from it). */
  input: Record<string, unknown>;
  decisions: RecordedDecision[];
  /** kms:RecipientAttestation:* from the request's Recipient attestation document (read before the operation). */
  attestationKeys?: Record<string, string>;
  /** ReEncrypt: the source key, once its half is authorized (kms:ReEncryptOnSameKey of the destination half). */
  reEncryptSourceKeyId?: string;
  /** Logging: one debug line per decision, one warn line per would-be denial in `audit`. */
  onDecision?: (authz: RequestAuthz, action: string, resource: string, decision: Decision) => void;
  /** A stored key policy the evaluator cannot read (it then allows nothing). */
  onUnreadablePolicy?: (key: KeyRecord, problem: string) => void;
}

// Defined beside the audit trail that keeps it (a lower layer); re-exported for the operations that fill it.
export type { RecordedDecision };

/** What the audit event of a request records about keys. ARNs, in the order the operation met them, no repeats. */
export interface RequestTrail {
  /** Every key the request resolved (the event's resources). */
  keyArns: string[];
  /** Keys a successful cryptographic operation used (the last-use index). */
  usedKeyArns: string[];
}

/** An operation: decoded, validated input in; output object (Buffers for blobs, Dates for timestamps) out. */
export type Operation = (input: any, context: OperationContext) => object | Promise<object>;
