export { startGateway } from './server.js';
export { DEFAULT_LIMITS, type GatewayLimits, type GatewayOptions, type RunningGateway } from './types.js';
export { UpstreamAllowList, type LookupAll } from './upstream-allow-list.js';
