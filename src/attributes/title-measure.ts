import { classifyTitle, type Seniority } from './title.ts';

/** The level O*NET's SOC code implies: 11-1011 chief executives, other 11-xxxx managers, first-line supervisors, the rest. */
export type SocLevel = 'chief_executive' | 'manager' | 'supervisor' | 'individual_contributor';

export function socLevel(options: { soc: string; occupationTitle: string }): SocLevel {
  if (options.soc.startsWith('11-1011')) return 'chief_executive';
  if (options.soc.startsWith('11-')) return 'manager';
  if (/^first-line supervisors/i.test(options.occupationTitle)) return 'supervisor';
  return 'individual_contributor';
}

/** Whether a classified seniority is consistent with the SOC-derived level. */
export function agreesWithSoc(seniority: Seniority, level: SocLevel): boolean {
  switch (level) {
    case 'chief_executive':
      return seniority === 'c_level' || seniority === 'vp';
    case 'manager':
      return (
        seniority === 'manager' || seniority === 'director' || seniority === 'vp' || seniority === 'c_level'
      );
    case 'supervisor':
      return seniority === 'manager' || seniority === 'director';
    default:
      return seniority === 'individual_contributor';
  }
}

export type Coverage = {
  titles: number;
  classified: number;
  coverage: number;
  bySeniority: Record<string, number>;
};

/** Share of titles classified (seniority not "unknown"). */
export function measureCoverage(titles: readonly string[]): Coverage {
  const bySeniority: Record<string, number> = {};
  let classified = 0;
  for (const title of titles) {
    const { seniority } = classifyTitle(title);
    bySeniority[seniority] = (bySeniority[seniority] ?? 0) + 1;
    if (seniority !== 'unknown') classified++;
  }
  return {
    titles: titles.length,
    classified,
    coverage: titles.length ? classified / titles.length : 0,
    bySeniority,
  };
}

/** Reads O*NET's tab-separated files (header line, then rows). */
export function parseOnetTsv(text: string): string[][] {
  return text
    .split(/\r?\n/)
    .slice(1)
    .filter((line) => line.trim())
    .map((line) => line.split('\t'));
}
