import type { ErrorCode, ModelProvider } from '@reg/core';
import type { RunningEmulator, VendorBaseUrls } from '../emulator/start-emulator.js';
import type { Fault, RecordedRequest, VendorRoute } from '../emulator/types.js';

/** What a scripted fault must become once the provider maps it. */
export interface ExpectedError {
  code: ErrorCode;
  retryable: boolean;
  retryAfterMs?: number;
  /** The HTTP status the error must carry (unchecked when absent, as for in-band errors). */
  status?: number;
}

/** One row of a vendor's error table: the fault the emulator is scripted with, and its mapping. */
export interface ErrorCase {
  /** The test's name (`429 with retry-after`). */
  name: string;
  fault: Fault;
  expected: ExpectedError;
}

/**
 * One vendor API, as the conformance suite needs to know it: how to reach it on the emulator, where
 * a request carries what the suite checks, which errors it sends, and which secrets it sees. The
 * built-in vendors are in `conformanceVendors`; a provider for another API writes its own, with the
 * emulator routes that serve it.
 */
export interface ConformanceVendor {
  /** The vendor's name, in the suite's title and on the requests its routes record (`echo`). */
  name: string;
  /**
   * Emulator routes that serve this vendor's API, for one the emulator does not know; each renders
   * the scripts, replies and faults in the vendor's format (see `VendorRoute` and `serveOutcome`).
   * Built-in vendors need none.
   */
  routes?: VendorRoute[];
  /**
   * Where a client points to reach this vendor on a server at `origin` (`http://127.0.0.1:PORT`):
   * the emulator, and for the connect-timeout and connection-guard checks a listener that never
   * completes a handshake or a host name only the registry's guard resolves. Handed to the
   * provider's options as `target.baseUrl`.
   */
  baseUrl(origin: string): string;
  /** The text the vendor received in its system slot (not in a user turn). */
  systemText(request: RecordedRequest): string;
  /** The vendor's HTTP errors: `commonErrorCases(...)` (every vendor must map those) and its own. */
  errorCases: ErrorCase[];
  /** Errors the vendor sends inside a stream that already answered 200, before any content (`streamErrorCase`). */
  streamErrorCases: ErrorCase[];
  /**
   * Whether tool-call ids come from the vendor, so the provider must pass them through as given
   * (false where the API has none and the provider makes them up). Default true.
   */
  toolCallIdsFromVendor?: boolean;
  /**
   * Which parts of the input and output totals the vendor reports besides cache reads: the usage
   * check expects `cacheWriteInputTokens` and `reasoningTokens` exactly where reported, and absent
   * (not 0) where not. A function of the recorded request for a vendor that serves several APIs
   * (OpenAI's Chat Completions and Responses). Default: neither.
   */
  usage?: ReportedUsage | ((request: RecordedRequest) => ReportedUsage);
  /** Secrets of the vendor's that must never be printed (the test key the routes accept). */
  secrets: string[];
  /**
   * The secrets a recorded request carried on the wire (its key header, a signature), which must
   * never be printed either. Default `commonWireSecrets`: `authorization` (and its bearer token),
   * `x-api-key`, `api-key`, `x-goog-api-key`, `x-amz-security-token`, SigV4 signatures and `?key=`.
   */
  wireSecrets?(request: RecordedRequest): string[];
}

/** Which usage fields a vendor reports, besides input, output and cache reads. */
export interface ReportedUsage {
  /** Input tokens written to the prompt cache (`cacheWriteInputTokens`). */
  cacheWrites: boolean;
  /** Output tokens spent reasoning (`reasoningTokens`). */
  reasoning: boolean;
}

/** The built-in vendors, by name (`vendor: 'openai'` means `conformanceVendors.openai`). */
export type ConformanceVendorName = 'openai' | 'azure' | 'openrouter' | 'anthropic' | 'bedrock' | 'gemini' | 'vertex';

/** Where a client under test must point, and the model name the emulator scripts it by. */
export interface ConformanceTarget {
  emulator: RunningEmulator;
  /**
   * The vendor's base URL (`ConformanceVendor.baseUrl`): usually on the emulator; for the
   * connect-timeout check on a listener that never completes a TCP handshake, for the
   * connection-guard check under a host name only the guard resolves.
   */
  baseUrl: string;
  /** The same, for every built-in vendor (`baseUrls.anthropic`). */
  baseUrls: VendorBaseUrls;
  /** The model name to configure; each check uses its own, so scripts and request logs never mix. */
  model: string;
}

/** Every check of the suite, by name; a provider may skip one only with a reason. */
export type ConformanceCheck =
  | 'text'
  | 'stream'
  | 'system-prompt'
  | 'multi-turn-tools'
  | 'tool-calls'
  | 'tool-calls-stream'
  | 'usage'
  | 'images'
  | 'files'
  | 'json-schema'
  | 'errors'
  | 'stream-errors'
  | 'one-request-per-attempt'
  | 'client-reuse'
  | 'abort'
  | 'request-timeout'
  | 'time-to-first-token-timeout'
  | 'idle-timeout'
  | 'connect-timeout'
  | 'connection-guard'
  | 'secrets';

/**
 * What `testProvider` checks is read from the provider's declarations:
 *
 * - `capabilities` decides the capability checks. Declared, it gates them: `tools` runs
 *   `multi-turn-tools`, `tool-calls` (and with `streaming`, `tool-calls-stream`); `streaming` runs
 *   `stream`, the stream-only `stream-errors`, the mid-stream `abort`,
 *   `time-to-first-token-timeout` and `idle-timeout`; `images` runs `images`; `jsonSchema` runs
 *   `json-schema`; `fileTypes` decides, per canonical file (a PDF, a text file, a WAV clip),
 *   whether `files` checks that it reaches the vendor (a declared type takes it) or that core
 *   refuses it before any request (it does not). Absent altogether (a provider written before
 *   capabilities existed), the suite runs what it always ran: streaming and tools, not images,
 *   json-schema or files (core checks nothing then). A check not run for a capability shows as a
 *   skipped test saying so.
 * - `guardsConnections: true` runs `connection-guard`.
 *
 * Every other check runs for every provider; `skip` is for true exceptions, each with its reason.
 */
export interface TestProviderOptions {
  /** The provider definition under test. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any provider's options type
  provider: ModelProvider<any>;
  /** The vendor API the provider talks to: a built-in one by name, or a description of another (with its emulator routes). */
  vendor: ConformanceVendor | ConformanceVendorName;
  /** Client options (as a config would give them) that point the provider at the target. */
  options(target: ConformanceTarget): Record<string, unknown> | Promise<Record<string, unknown>>;
  /** The environment the registry reads credentials from (default: empty). */
  env?: Record<string, string | undefined>;
  /** Extra secret strings that must never appear in errors or events (the vendor's own are always checked). */
  secrets?: string[];
  /** Checks this provider cannot pass, each with the reason printed in the test name. */
  skip?: Partial<Record<ConformanceCheck, string>>;
  /** The describe block's title (default: `conformance: <provider name> against the <vendor> emulator`). */
  title?: string;
}
