export { awsBedrock } from './bedrock-provider.js';
export type { BedrockInferenceConfiguration, BedrockOptions } from './bedrock-options.js';
