export { Profiles, profileIdOf, storeKeyAccount, encryptInPlace, type ProfilesOptions } from './profiles';
export { ProfileSwitcher, type SwitcherOptions } from './switcher';
