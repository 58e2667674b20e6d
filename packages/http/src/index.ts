export { httpFetch, type HttpFetchInit } from './http-fetch.js';
export { DEFAULT_CONNECT_TIMEOUT_MS, HttpTransport, isConnectTimeout, type Fetch, type HttpTransportOptions } from './http-transport.js';
