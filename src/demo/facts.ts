/**
 * The seed article's facts (seeds/000_7621b00b7a4c797b.txt) and the demo's clock (DOMAIN.md,
 * "The demo's clock"): the article was written in 2023.
 */
export const JINGTIE = '110106008028'; // 京铁家园社区, 六里桥街道, 丰台区
export const GAOJINGLU = '110107009011'; // 高井路社区, 广宁街道, 石景山区
/** "A large community with more than 3,700 residents." */
export const jingtieResidents = 3700;
export const FENGTAI = '110106';
export const SHIJINGSHAN = '110107';

export const demoClock = {
  /** Appeals run from a year before Fengtai's first batch to the end of 2023. */
  from: '2020-12',
  to: '2023-12',
  fengtaiBatch1: '2021-11-30',
  /** "In February this year" Tian Huilin succeeded Jia Lan; the second batch covers 50 communities. */
  fengtaiBatch2: '2023-02-01',
  /** "In May last year" Shijingshan posted 151 cadres as first secretaries. */
  shijingshanBatch1: '2022-05-01',
  shijingshanBatch2: '2023-05-01',
} as const;

export const fengtaiBatch1Size = 26;
export const fengtaiBatch2Size = 50;
export const shijingshanCadres = 151;
/** Of the 151, from resident units and the two new organizations. */
export const shijingshanFromOutside = 53;

/**
 * Beijing's 12345 volume by year (DOMAIN.md: 6.96 million in 2019, 21.43 million in 2023); the
 * years between follow the steady growth the hotline reported.
 */
export const realVolume: Record<string, number> = {
  '2020': 11_000_000,
  '2021': 14_000_000,
  '2022': 17_500_000,
  '2023': 21_430_000,
};

/** Appeals in the demo's window at this share of the real volume (December 2020 counts a twelfth). */
export function demoVolume(scale: number): number {
  const total = realVolume['2020']! / 12 + realVolume['2021']! + realVolume['2022']! + realVolume['2023']!;
  return Math.round(total * scale);
}
