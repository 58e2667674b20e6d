export { OptionReader, describe, isRecord, type NumberRules, type OptionKey, type StringRules } from '@reg/core/options';
export { takesMediaType } from '@reg/core';
export { loadApiKey } from './load-api-key.js';
export {
  DEFAULT_ADVICE,
  errorCodesOf,
  errorMessageOf,
  httpError,
  inBandError,
  malformedResponseError,
  mapCommonError,
  UnsupportedPartError,
  whoFailed,
  withAdvice,
  type ErrorContext,
} from './provider-error.js';
export { errorFromHttpResponse, retryAfterMs, durationToMs, readHeader, type HeaderBag, type HttpErrorInput } from './http-error.js';
export {
  ConnectDeadlineExceeded,
  classifyTransportFailure,
  errorChain,
  transportError,
  type TransportFailure,
  type TransportFailureKind,
} from './transport-failure.js';
export { parseToolInput } from './tool-input.js';
export {
  base64ByteLength,
  baseMediaType,
  detectMediaType,
  fromBase64,
  parseDataUrl,
  resolveDataContent,
  toBase64,
  toDataUrl,
  type DataContent,
} from './data-content.js';
