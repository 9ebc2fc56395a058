/**
 * The link between a hall and HQ (hq/README.md, "What travels"): what a hall ships to
 * `POST /hq/v1/ingest`, what HQ answers, and the catalogue a hall pulls. Browser-safe types and constants.
 */
import type { Text } from './api.ts';

export const HQ_API_BASE = '/hq/v1';

/**
 * The version of the shipped events' `data`, as this hall writes it. HQ keeps the events of a version it
 * does not know in quarantine, never dropped.
 */
export const HQ_SCHEMA_VERSION = 1;

/** A batch is at most 1 MiB on the wire; HQ answers 413 above that. */
export const HQ_BATCH_MAX_BYTES = 1024 * 1024;

export type HqEvent = {
  /** The hall's event id: it only ever increases, and every id up to the newest exists. */
  seq: number;
  /** On the hall's clock, ISO 8601 with the hall's offset. */
  at: string;
  type: string;
  data: Record<string, unknown>;
};

export type HqBatch = {
  appVersion: string;
  schemaVersion: number;
  /** On the hall's clock, ISO 8601 with the hall's offset: HQ reads the hall's offset and clock skew from it. */
  sentAt: string;
  /** Oldest first; empty: a heartbeat. */
  events: HqEvent[];
};

/** `ackedThrough`: the highest sequence number up to which HQ holds every event of the hall. */
export type HqIngestAnswer = { ackedThrough: number };

/**
 * Beside the public ticket, what a ticket event (`data.facts`) tells HQ about its ticket, as the hall's
 * ticket row records it: its opening day and hour of issue, and the times its figures come from. A time
 * travels only with the events after which it can no longer change (the first call from the first call
 * on; serving and finishing with the finish), so a copy sent twice says the same.
 */
export type HqTicketFacts = {
  day: string;
  hour: number;
  issuedAt: string;
  firstCalledAt?: string | null;
  servingAt?: string | null;
  finishedAt?: string | null;
  /** The wait target of the ticket's service (as `data.ticket.serviceId` names it) in the hall now. */
  waitTargetMinutes: number;
};

/** A service of the catalogue HQ publishes for a region: what HQ owns of a hall's service. */
export type HqCatalogueService = {
  id: string;
  prefix: string;
  name: Text;
  category: string;
  waitTargetMinutes: number;
  selfService: boolean;
};

/** `GET /hq/v1/config` (hall token): the newest published catalogue of the hall's region. */
export type HqCatalogue = {
  region: string;
  version: number;
  publishedAt: string;
  services: HqCatalogueService[];
};

/** The hall's side of the link, in `GET /api/v1/health` (`hq`) and on the manager's live page. */
export type HqLinkHealth = {
  /** The last request reached HQ and was answered. */
  connected: boolean;
  url: string;
  /** The newest event HQ acknowledged, and when. */
  lastAckedSeq: number;
  lastAckedAt: string | null;
  /** How old the oldest event not yet acknowledged is (0: HQ has everything). */
  lagSeconds: number;
  pendingEvents: number;
  /** What went wrong last, while it lasts. */
  problem: string | null;
  /** The HQ catalogue version the hall runs, and one waiting for the next opening day. */
  catalogueVersion: number | null;
  pendingCatalogueVersion: number | null;
};
