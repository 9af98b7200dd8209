import { CareRelayError } from '@carerelay/core';
import type * as fhir4 from 'fhir/r4.js';
import { FhirHttpClient, type FhirHttpOptions } from './http-client.js';
import { FHIR_ID } from './references.js';

/** The outcome of writing one resource. */
export interface WriteResult {
  resourceType: string;
  id: string;
  /** 201 created, 200 updated. */
  status: number;
  created: boolean;
}

/** Writes resources (Tasks, Communications) to a FHIR server by `PUT [base]/[type]/[id]`, so writing twice is idempotent. */
export interface FhirWriter {
  put(resource: fhir4.Resource): Promise<WriteResult>;
  /** Writes in order; stops at the first failure (which it throws). */
  putAll(resources: readonly fhir4.Resource[]): Promise<WriteResult[]>;
  /** Retries the HTTP client made. */
  readonly retries: number;
}

/** Creates a writer over the FHIR REST API (bearer token, retries with backoff honouring `Retry-After`). */
export function createFhirWriter(options: FhirHttpOptions): FhirWriter {
  const client = new FhirHttpClient(options);
  const put = async (resource: fhir4.Resource): Promise<WriteResult> => {
    if (!resource.id || !FHIR_ID.test(resource.id)) throw new CareRelayError('invalid_input', `${resource.resourceType}: cannot PUT without a valid id`, { issues: [{ path: 'id', message: 'not a FHIR id' }] });
    const response = await client.putJson(`${resource.resourceType}/${resource.id}`, resource);
    return { resourceType: resource.resourceType, id: resource.id, status: response.status, created: response.status === 201 };
  };
  return {
    put,
    async putAll(resources) {
      const results: WriteResult[] = [];
      for (const resource of resources) results.push(await put(resource));
      return results;
    },
    get retries() {
      return client.retries;
    },
  };
}

/** Resources as a FHIR `transaction` Bundle of PUTs, for servers (or files) that take one request. */
export function transactionBundle(resources: readonly fhir4.Resource[]): fhir4.Bundle {
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: resources.map((resource) => ({
      fullUrl: `${resource.resourceType}/${resource.id}`,
      resource,
      request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` },
    })),
  };
}
