import { CONTRACT_FIXTURES_DIR, readContractJson } from '../../fixtures/contract-fixtures.ts';

/** The couriers' real sample payloads, in the repo's copy of the contract fixtures. */
export const COURIER_FIXTURES_DIR = `${CONTRACT_FIXTURES_DIR}couriers/`;

export function readCourierFixture<T = unknown>(name: string): T {
  return readContractJson<T>(`couriers/${name}`);
}
