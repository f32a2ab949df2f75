import type { DetectorName } from '@sluice/config';
import { creditCardDetector } from './credit-card.js';
import type { Detector } from './detector.js';
import { emailDetector } from './email.js';
import { ibanDetector } from './iban.js';
import { phoneDetector } from './phone.js';
import { secretDetector } from './secret.js';
import { usSsnDetector } from './us-ssn.js';

/** A switch rather than a lookup by key: it runs for every value a detector may scan. */
export function detectorFor(name: DetectorName): Detector {
  switch (name) {
    case 'email':
      return emailDetector;
    case 'credit_card':
      return creditCardDetector;
    case 'us_ssn':
      return usSsnDetector;
    case 'phone':
      return phoneDetector;
    case 'iban':
      return ibanDetector;
    case 'secret':
      return secretDetector;
  }
}
