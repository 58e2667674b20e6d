export { ECHO_TEST_KEY, ECHO_VENDOR, echoBaseUrl, echoRoutes } from './echo-routes.js';
export { echoConformanceVendor } from './echo-conformance-vendor.js';
