import { classifyTitle, type Seniority } from '../attributes/title.ts';

export type { Seniority };

/**
 * Seniority of a job title from the shared title classifier (the one the cherry-pick report uses):
 * c_level, vp, director, manager, individual_contributor; null when there is no usable title.
 */
export function titleSeniority(title: string | null | undefined): Seniority | null {
  const seniority = classifyTitle(title).seniority;
  return seniority === 'unknown' ? null : seniority;
}
