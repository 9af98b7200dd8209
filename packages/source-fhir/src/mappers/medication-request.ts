import type { ResolvedMappingConfig } from '../mapping-config.js';
import type { ResourceMapping } from '../mapping-context.js';
import { parseReference } from '../references.js';
import type { FhirResourceIndex, MedicationSnapshot } from '../resource-index.js';
import type { ParsedResource } from '../resource-schemas.js';
import type { MapperResult } from './mapper-result.js';
import { retractFact } from './retraction.js';

type MedicationRequest = ParsedResource<'MedicationRequest'>;

const STRENGTH = /(\d+(?:\.\d+)?)\s*(MG|MCG|G|ML|UNT|MEQ)(?:\/(ML|HR|ACTUAT))?(?![A-Za-z])/i;
const MASS_UNITS = new Set(['mg', 'mcg', 'g']);

/** Splits a strength out of an RxNorm-style name: "sertraline 50 MG Oral Tablet" → "sertraline Oral Tablet" + 50 mg. */
export function splitStrength(name: string): { name: string; strength?: { value: number; unit: string; text: string } } {
  const m = STRENGTH.exec(name);
  if (!m) return { name };
  const rest = `${name.slice(0, m.index)} ${name.slice(m.index + m[0].length)}`.replace(/\s+/g, ' ').trim();
  if (!rest) return { name };
  const unit = `${m[2]}${m[3] ? `/${m[3]}` : ''}`.toLowerCase();
  return { name: rest, strength: { value: Number(m[1]), unit, text: m[0].trim() } };
}

function nameOf(index: FhirResourceIndex, request: MedicationRequest): string | undefined {
  const concept = request.medicationCodeableConcept;
  if (concept) return concept.text?.trim() || concept.coding?.find((c) => c.display)?.display?.trim() || concept.coding?.find((c) => c.code)?.code?.trim();
  const ref = request.medicationReference;
  if (!ref) return undefined;
  const parsed = parseReference(ref, index.aliases);
  const known = parsed.kind === 'literal' ? index.medicationNames.get(`Medication/${parsed.id}`) : undefined;
  return known ?? ref.display?.trim() ?? undefined;
}

const format = (n: number) => String(Number(n.toFixed(4)));

/**
 * What a prescription prescribes: the medication name (strength moved into the dose when configured) and the dose
 * as text ("10 mL bid", "100 mg") and, when it can be compared, as an amount.
 */
export function medicationSnapshot(config: ResolvedMappingConfig, index: FhirResourceIndex, request: MedicationRequest): MedicationSnapshot | undefined {
  const fullName = nameOf(index, request);
  if (!fullName) return undefined;
  const { name, strength } = config.medications.strengthFromName ? splitStrength(fullName) : { name: fullName, strength: undefined };
  const dosage = request.dosageInstruction?.[0];
  const quantity = dosage?.doseAndRate?.[0]?.doseQuantity;
  const quantityUnit = (quantity?.unit ?? quantity?.code)?.trim();
  let dose: string | undefined = dosage?.text?.trim() || undefined;
  let amount: MedicationSnapshot['amount'];
  if (quantity?.value !== undefined && quantityUnit) {
    dose ??= `${format(quantity.value)} ${quantityUnit}`;
    if (MASS_UNITS.has(quantityUnit.toLowerCase())) amount = { value: quantity.value, unit: quantityUnit.toLowerCase() };
  }
  if (strength) {
    const times = quantity?.value !== undefined && !quantityUnit ? quantity.value : 1;
    dose ??= times === 1 ? strength.text : `${format(times * strength.value)} ${strength.unit}`;
    if (!amount && MASS_UNITS.has(strength.unit)) amount = { value: times * strength.value, unit: strength.unit };
  }
  return { medication: name, ...(dose === undefined ? {} : { dose }), ...(amount === undefined ? {} : { amount }) };
}

type Change = 'start' | 'increase' | 'decrease' | 'switch';

function changeFrom(m: ResourceMapping, request: MedicationRequest, current: MedicationSnapshot): { change: Change; prior?: MedicationSnapshot } {
  if (!request.priorPrescription) return { change: 'start' };
  const parsed = parseReference(request.priorPrescription, m.ctx.index.aliases);
  const prior = parsed.kind === 'literal' ? m.ctx.index.prescriptions.get(`MedicationRequest/${parsed.id}`) : undefined;
  if (!prior) {
    m.warn('unresolved_reference', 'priorPrescription', 'prior prescription not seen; recorded as a start');
    return { change: 'start' };
  }
  if (prior.medication.toLowerCase() !== current.medication.toLowerCase()) return { change: 'switch', prior };
  if (prior.amount && current.amount && prior.amount.unit === current.amount.unit) {
    if (current.amount.value > prior.amount.value) return { change: 'increase', prior };
    if (current.amount.value < prior.amount.value) return { change: 'decrease', prior };
    return { change: 'start', prior };
  }
  m.warn('not_modelled', 'dosageInstruction', 'dose changed but the doses cannot be compared; recorded as a switch');
  return { change: 'switch', prior };
}

/**
 * MedicationRequest → `medication_change` facts: a start (or, with `priorPrescription`, an increase, decrease or
 * switch against the prior prescription's dose) at `authoredOn`, with the dose from `dosageInstruction`; and a stop
 * once stopped, completed or cancelled, at the end of its bounds or validity period, else `meta.lastUpdated`. A stop
 * with no time at all is not recorded (a warning says so): the model needs the time a fact happened. A prescription
 * that a later one replaces (through `priorPrescription`) records no stop: the later one's change says it. An
 * entered-in-error prescription retracts the change and the stop it recorded (`fact.retracted`).
 */
export function mapMedicationRequest(m: ResourceMapping, request: MedicationRequest): MapperResult {
  if (request.status === 'draft' || request.status === 'unknown') return { notRelevant: `prescription is ${request.status}` };
  if (request.intent === 'proposal' || request.intent === 'plan' || request.intent === 'option') return { notRelevant: `prescription intent is ${request.intent}` };
  const patientId = m.patientId(request.subject);
  if (patientId === undefined) return { missingPatient: 'subject' };
  if (request.status === 'entered-in-error') {
    for (const fact of ['prescribed', 'stopped']) retractFact(m, patientId, m.factId(fact), 'prescription entered in error');
    return undefined;
  }
  const current = medicationSnapshot(m.ctx.config, m.ctx.index, request);
  if (!current) {
    m.warn('unresolved_reference', 'medicationReference', 'medication cannot be named: nothing recorded');
    return undefined;
  }
  const medication = m.text(current.medication, 200, 'medicationCodeableConcept.text')!;
  const toDose = m.text(current.dose, 64, 'dosageInstruction.0.text');
  const dosage = request.dosageInstruction?.[0];
  if (request.status !== 'cancelled') {
    const { change, prior } = changeFrom(m, request, current);
    const fromDose = prior ? m.text(prior.dose, 64, 'priorPrescription') : undefined;
    const at = m.timeOf('prescription', [request.authoredOn, dosage?.timing?.repeat?.boundsPeriod?.start, request.dispenseRequest?.validityPeriod?.start]);
    m.emit({
      id: m.factId('prescribed'),
      type: 'fact.recorded',
      patientId,
      at,
      fact: { kind: 'medication_change', medication, change, ...(fromDose === undefined ? {} : { fromDose }), ...(toDose === undefined ? {} : { toDose }) },
    });
  }
  // A prescription replaced by a later one (its `priorPrescription`) ends in that one's change fact, not in a stop:
  // a stop under the same medication would otherwise cancel the new dose.
  const replaced = m.ctx.index.replacedPrescriptions.has(`MedicationRequest/${request.id}`);
  if (!replaced && (request.status === 'stopped' || request.status === 'completed' || request.status === 'cancelled')) {
    const stoppedAt = m.knownTimeOf('stop', [dosage?.timing?.repeat?.boundsPeriod?.end, request.dispenseRequest?.validityPeriod?.end]);
    if (stoppedAt === undefined) m.warn('time_missing', 'status', `prescription is ${request.status} but no stop time is given: no stop recorded`);
    else m.emit({ id: m.factId('stopped'), type: 'fact.recorded', patientId, at: stoppedAt, fact: { kind: 'medication_change', medication, change: 'stop', ...(toDose === undefined ? {} : { fromDose: toDose }) } });
  }
  return undefined;
}
