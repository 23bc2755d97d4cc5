export * from './domain';
export * from './errors';
export * from './launch';
export * from './api';
export * from './events';
export * from './client';
export * from './i18n/errors.fr';
