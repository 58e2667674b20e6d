// `@reg/provider-utils/http`: the transport, apart from the root entry so that a provider which
// does not use it (its SDK has its own HTTP stack) never loads undici.
export { httpFetch, type HttpFetchInit } from './http-fetch.js';
export { DEFAULT_CONNECT_TIMEOUT_MS, HttpTransport, isConnectTimeout, type Fetch, type HttpTransportOptions } from './http-transport.js';
export { guardConnector, type ConnectTarget } from './connection-guard.js';
