export { Profiles, storeKeyAccount, encryptInPlace, type ProfilesOptions } from './profiles';
export { ProfileSwitcher, type SwitcherOptions } from './switcher';
