import type { AccessLogContext } from './accessLog/AccessLogContext';
import type { AuditContext } from './audit/AuditContext';
import type { BookingContext } from './bookings/BookingContext';
import type { CardCheckContext } from './cardChecks/CardCheckContext';
import type { ClientGrantContext } from './clientGrants/ClientGrantContext';
import type { EventContext } from './events/EventContext';
import type { InstrumentContext } from './instruments/InstrumentContext';
import type { LabContext } from './labs/LabContext';
import type { ProvinceRequest } from './ProvinceRequest';
import type { RegistryFileContext } from './registryFiles/RegistryFileContext';
import type { QualificationContext } from './qualifications/QualificationContext';
import type { UsageContext } from './usage/UsageContext';
import type { RecognitionContext } from './recognitions/RecognitionContext';
import type { StatsContext } from './stats/statsResolvers';
import type { TalentCardContext } from './talentCards/TalentCardContext';
import type { OfferingContext } from './offerings/OfferingContext';
import type { ServiceRequestContext } from './serviceRequests/ServiceRequestContext';
import type { ChargeContext } from './charges/ChargeContext';
import type { VoucherContext } from './vouchers/VoucherContext';

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
  CardCheckContext &
  RecognitionContext &
  AuditContext &
  ClientGrantContext &
  AccessLogContext &
  RegistryFileContext &
  StatsContext &
  QualificationContext &
  UsageContext &
  OfferingContext &
  ServiceRequestContext &
  ChargeContext &
  VoucherContext &
  EventContext;
