/**
 * What a resource mapper reports besides the events it emitted: nothing (mapped), that the instance is out of
 * scope (with a PHI-free reason), or that the patient it is about cannot be resolved (naming the element).
 */
export type MapperResult = undefined | { notRelevant: string } | { missingPatient: string };
