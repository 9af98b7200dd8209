import { codedAt, identifierAt, segmentReader, withoutUndefined, type Hl7Coded, type Hl7Identifier } from '../datatypes.js';
import { type Hl7Message, segmentsNamed } from '../message.js';

/** IN1 (insurance): the payer and plan. */
export interface In1Segment {
  /** 1-based position among the message's IN1 segments. */
  position: number;
  /** IN1-1: set id (1 = primary). */
  setId?: string;
  /** IN1-2: insurance plan id. */
  planId?: Hl7Coded;
  /** IN1-3: insurance company id. */
  companyId?: Hl7Identifier;
  /** IN1-4.1: insurance company name. */
  companyName?: string;
  /** IN1-8: group number. */
  groupNumber?: string;
  /** IN1-12: plan effective date (raw DT). */
  planEffectiveDate?: string;
  /** IN1-13: plan expiration date (raw DT). */
  planExpirationDate?: string;
  /** IN1-15.1: plan type. */
  planType?: string;
  /** IN1-36: policy number. */
  policyNumber?: string;
}

/** Reads every IN1 segment of the message, in order. */
export function readIn1s(message: Hl7Message): In1Segment[] {
  return segmentsNamed(message, 'IN1').map((segment, index) => {
    const r = segmentReader(message, segment);
    return withoutUndefined({
      position: index + 1,
      setId: r.value(1),
      planId: codedAt(r, 2),
      companyId: identifierAt(r, 3),
      companyName: r.value(4),
      groupNumber: r.value(8),
      planEffectiveDate: r.value(12),
      planExpirationDate: r.value(13),
      planType: r.value(15),
      policyNumber: r.value(36),
    });
  });
}
