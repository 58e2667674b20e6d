export { googleAi } from './google-ai-provider.js';
export { vertexAi } from './vertex-ai-provider.js';
export type { GenerationDefaults, GoogleAiOptions, GoogleCommonOptions, VertexAiOptions } from './google-options.js';
