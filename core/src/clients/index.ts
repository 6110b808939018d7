/** The clients area's one entry point: other areas, flows/, http/ and the worker import from here. */

// Exports (what other areas use; keep this list the public surface of the area).
export { clientForInvoice } from './client-for-invoice.ts';
export { clientIntakeFields, findClientByCustomerId, matchOrCreateClient } from './match-client.ts';
export { deleteClients, eraseClients, exportClients, findCustomerClients, forgetChannelCustomerIds } from './compliance.ts';
export { clientMerges, createClient, findDuplicateClients, foldClientInto, getClient, lockClientsForMerge, rememberClientAddress, requireClient, searchClients, updateClient } from './client-records.ts';
export type { Client, ClientInput, ClientMergeRecord } from './client-records.ts';
export { normaliseAddress, normaliseCui, normaliseIban, throwIfProblems } from './client-identity.ts';
export type { AddressInput, StoredAddress } from './client-identity.ts';
