import type { ProviderOffer } from './offer.js';
import type { ProviderName } from './provider.js';
import { segmindOffer } from './segmind/offer.js';
import { falOffer } from './fal/offer.js';
import { replicateOffer } from './replicate/offer.js';

const OFFERS: Record<ProviderName, ProviderOffer> = {
  segmind: segmindOffer,
  fal: falOffer,
  replicate: replicateOffer,
};

export function offerOf(name: ProviderName): ProviderOffer {
  return OFFERS[name];
}
