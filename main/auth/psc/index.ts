export * from './config';
export { PscError, type PscFailure } from './errors';
export { startLoopbackRedirect, type LoopbackRedirect } from './loopback';
export { createUrlRelay, type OpenExternal } from './open-external';
export { pscConfigFromEnv } from './env';
export { systemBrowser } from './system-browser';
export { mapUserInfo, chooseSite, PscUserInfoSchema, type PscProfessional, type PscExercice, type PscSite, type PscUserInfo } from './userinfo';
export { ProSanteConnect, type PscSignIn, type PscTokens, type PendingSignIn, type ProSanteConnectOptions } from './client';
