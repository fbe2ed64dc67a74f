import type { AuditContext } from './audit/AuditContext';
import type { BookingContext } from './bookings/BookingContext';
import type { EventContext } from './events/EventContext';
import type { InstrumentContext } from './instruments/InstrumentContext';
import type { LabContext } from './labs/LabContext';
import type { ProvinceRequest } from './ProvinceRequest';
import type { RecognitionContext } from './recognitions/RecognitionContext';
import type { StatsContext } from './stats/statsResolvers';
import type { TalentCardContext } from './talentCards/TalentCardContext';

/**
 * Per-request state of a province subgraph: what every feature's context asks
 * for, together. Features declare their own context and never import this
 * one, so feature folders do not depend on each other through it.
 */
export type ProvinceContext = ProvinceRequest &
  InstrumentContext &
  LabContext &
  BookingContext &
  TalentCardContext &
  RecognitionContext &
  AuditContext &
  StatsContext &
  EventContext;
