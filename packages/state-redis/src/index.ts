export {
  RedisStateStore,
  type RedisStateStoreEventHandler,
  type RedisStateStoreEventName,
  type RedisStateStoreEvents,
  type RedisStateStoreOptions,
} from './redis-state-store.js';
