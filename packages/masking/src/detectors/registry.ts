import type { DetectorName } from '@sluice/config';
import { creditCardDetector } from './credit-card.js';
import type { Detector } from './detector.js';
import { emailDetector } from './email.js';
import { ibanDetector } from './iban.js';
import { phoneDetector } from './phone.js';
import { secretDetector } from './secret.js';
import { usSsnDetector } from './us-ssn.js';

const DETECTORS: Readonly<Record<DetectorName, Detector>> = {
  email: emailDetector,
  credit_card: creditCardDetector,
  us_ssn: usSsnDetector,
  phone: phoneDetector,
  iban: ibanDetector,
  secret: secretDetector,
};

export function detectorFor(name: DetectorName): Detector {
  return DETECTORS[name];
}
