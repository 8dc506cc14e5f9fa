/**
 * The prices providers publish for the trainers this action uses: the one place they are kept,
 * with where each was read and when, so that a change is one edit here (and a CHANGELOG line).
 * The summary and the PR comment show what a training will cost before it is paid for.
 */
export const PRICES = {
  /** fal-ai/flux-lora-fast-training: "$2 per training run (scales linearly with steps)". */
  falFluxDevPerThousandSteps: {
    usd: 2,
    source: 'https://fal.ai/models/fal-ai/flux-lora-fast-training',
    asOf: '2026-12-01',
  },
  /** fal-ai/flux-2-trainer: "0.0064 * steps" USD. */
  falFlux2DevPerStep: {
    usd: 0.0064,
    source: 'https://fal.ai/models/fal-ai/flux-2-trainer/llms.txt',
    asOf: '2026-12-01',
  },
} as const;

/** Dollars to the cent; a price under a cent (per step) to the digits it has, up to four. */
export function dollars(usd: number): string {
  if (usd >= 0.01 || usd === 0) return `$${usd.toFixed(2)}`;
  return `$${usd.toFixed(4).replace(/0+$/, '')}`;
}
