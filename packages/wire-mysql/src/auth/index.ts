export {
  cachingSha2Scramble,
  cachingSha2Verifier,
  decryptPasswordWithPrivateKey,
  encryptPasswordWithPublicKey,
  passwordFromTerminated,
  verifyCachingSha2Scramble,
} from './caching-sha2-password.js';
export { clearPasswordResponse, passwordFromClearResponse } from './clear-password.js';
export { nativePasswordScramble, nativePasswordVerifier, verifyNativePassword } from './native-password.js';
export { createSeed, pluginDataForSeed, SEED_BYTES, seedFromPluginData } from './seed.js';
