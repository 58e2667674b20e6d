export { createReg, type RegProvider, type RegProviderSettings } from './reg-provider.js';
export { RegLanguageModel, type RegRegistry } from './reg-language-model.js';
export { PROVIDER_NAME, type RegCallSettings } from './reg-call-settings.js';
