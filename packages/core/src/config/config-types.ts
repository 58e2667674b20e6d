/** A client as the config spells it: BAML's `client_registry` shape. */
export interface ClientConfig {
  name: string;
  provider: string;
  options?: Record<string, unknown>;
  retry_policy?: string | null;
}

export interface RetryPolicyConfig {
  max_retries: number;
  strategy?: {
    type: 'constant_delay' | 'exponential_backoff';
    delay_ms?: number;
    multiplier?: number;
    max_delay_ms?: number;
  };
  jitter?: number;
  max_retry_after_ms?: number;
}

export interface RegConfig {
  primary?: string;
  clients?: ClientConfig[];
  retry_policies?: Record<string, RetryPolicyConfig>;
  /** Packages (or paths) whose exported provider definitions this config uses. */
  plugins?: string[];
}
