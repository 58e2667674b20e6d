import { TEST_CREDENTIALS, type RunningEmulator } from '@reg/testkit';

/** Options that point an `aws-bedrock` client at the emulator, signed with the emulator's credentials. */
export function emulatorOptions(emulator: RunningEmulator, model: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model,
    region: 'us-east-1',
    endpoint_url: emulator.baseUrls.bedrock,
    access_key_id: TEST_CREDENTIALS.aws.accessKeyId,
    secret_access_key: TEST_CREDENTIALS.aws.secretAccessKey,
    ...extra,
  };
}

let counter = 0;
/** A Bedrock-shaped model id of its own per test, so scripts and request logs never mix. */
export function uniqueModel(label: string): string {
  return `anthropic.${label}-${++counter}-v1:0`;
}
