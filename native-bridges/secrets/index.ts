export * from './port';
export { MemorySecretStore } from './memory';
export { KeytarSecretStore } from './keytar';
export { SafeStorageSecretStore, type SafeStorageLike, type SafeStorageSecretStoreOptions } from './safe-storage';
