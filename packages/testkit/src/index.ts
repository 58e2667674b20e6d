export { startEmulator, type RunningEmulator, type StartEmulatorOptions, type VendorBaseUrls } from './emulator/start-emulator.js';
export { startServer, type Emulator, type EmulatorOptions } from './emulator/server.js';
export { TEST_CREDENTIALS } from './emulator/credentials.js';
export type {
  BuiltInVendor,
  EmulatorResponse,
  Exchange,
  Fault,
  ModelScript,
  Outcome,
  RecordedRequest,
  Reply,
  ReplyUsage,
  ScriptedToolCall,
  StatusFault,
  StreamFrame,
  StreamPlan,
  Vendor,
  VendorRoute,
} from './emulator/types.js';
export { serveOutcome, toolCallsOf, usageOf, type RenderContext, type ToolCallOut, type WireFormat } from './emulator/serve-outcome.js';
export { applyTransportFaults } from './emulator/transport-faults.js';
export { echoReply, isFault, replyFor } from './emulator/script-store.js';
export { splitText } from './emulator/stream-frames.js';
export { openaiRoutes } from './vendors/openai-routes.js';
export { anthropicRoutes } from './vendors/anthropic-routes.js';
export { bedrockRoutes, createBedrockRoutes, type BedrockRoutesOptions } from './vendors/bedrock-routes.js';
export { createGoogleRoutes, type GoogleRoutesOptions } from './vendors/google-routes.js';
export { createServiceAccountKey, emulatorTokenFetch, sharedServiceAccountTrust, type ServiceAccountKeyOptions } from './vendors/google-oauth.js';
export { readSigV4Authorization } from './vendors/bedrock-sigv4.js';
export { startBlackhole, type Blackhole } from './emulator/blackhole.js';
export { vendorBaseUrls } from './emulator/start-emulator.js';
export { testProvider } from './conformance/test-provider.js';
export { commonWireSecrets, conformanceVendors } from './conformance/conformance-vendors.js';
export { commonErrorCases, statusFault, streamErrorCase } from './conformance/error-cases.js';
export type {
  ConformanceCheck,
  ConformanceTarget,
  ConformanceVendor,
  ConformanceVendorName,
  ErrorCase,
  ExpectedError,
  ReportedUsage,
  TestProviderOptions,
} from './conformance/types.js';
export { formatRequestLog, type FormatRequestLogOptions } from './emulator/request-log.js';
