import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store/open-store.ts';
import { testEngines } from '../testing/engines.ts';
import { seededRandom } from './random.ts';
import { explainLead, trainWorkspaceModel } from './train.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const now = Date.UTC(2026, 10, 23);

describe.each(testEngines())('score train / explain on $name', (engine) => {
  let store: Store;
  let ignored = 0;

  beforeAll(async () => {
    store = await engine.open();
    const random = seededRandom(9);
    const titles = ['CEO', 'VP Marketing', 'Manager', 'Analyst'];
    const industries = ['Software', 'Retail', 'Health'];
    const leads = [];
    const worked = new Set<string>();
    for (let i = 0; i < 240; i++) {
      const title = titles[i % 4]!;
      const industry = industries[Math.floor(random() * 3)]!;
      const senior = title === 'CEO' || title === 'VP Marketing';
      const ignored = industry === 'Retail' && random() < 0.6;
      const converted = !ignored && random() < (senior ? 0.6 : 0.15);
      const handed = now - 90 * DAY + i * HOUR;
      if (!ignored) worked.add(`L-${i}`);
      leads.push({
        external_id: `L-${i}`,
        title,
        industry,
        source: 'partner',
        status: converted ? 'qualified' : ignored ? 'mql' : 'disqualified',
        handed_over_at: handed,
        converted_at: converted ? handed + 20 * DAY : null,
        extra: JSON.stringify({ Converted: converted ? 1 : 0, 'Lead Origin': i % 2 ? 'API' : 'Form' }),
        created_at: handed,
        updated_at: handed,
      });
    }
    const inserted = await store.db
      .insertInto('leads')
      .values(leads)
      .returning(['id', 'external_id', 'handed_over_at'])
      .execute();
    ignored = inserted.filter((l) => !worked.has(l.external_id)).length;
    await store.db
      .insertInto('lead_stats')
      .values(
        inserted
          .filter((l) => worked.has(l.external_id))
          .map((l) => ({
            lead_id: l.id,
            first_touch_at: l.handed_over_at! + 2 * HOUR,
            last_touch_at: l.handed_over_at! + 9 * DAY,
            touches: 5,
            calls: 2,
            emails: 3,
            max_gap_ms: 3 * DAY,
            effort_minutes: 50,
            updated_at: l.handed_over_at!,
          })),
      )
      .execute();
  });
  afterAll(async () => {
    await store?.close();
  });

  it('trains on properly-worked leads only, stores a versioned model with metrics, and writes predicted scores', async () => {
    const first = await trainWorkspaceModel(store.db, { kind: 'logistic', seed: 1, now });
    const worked = 240 - ignored;
    expect(first.version).toBe(1);
    expect(first.report.holdout + first.report.trainedOn.properlyWorked).toBe(worked);
    expect(first.report.trainedOn.all).toBe(240 - first.report.holdout);
    // The outcome column imported in `extra` is never a feature; lead fields and imported columns are.
    expect(first.columns).not.toContain('extra.Converted');
    expect(first.columns).toEqual(
      expect.arrayContaining(['industry', 'title_seniority', 'extra.Lead Origin']),
    );
    expect(first.report.properlyWorked.auc).toBeGreaterThan(0.6);

    const second = await trainWorkspaceModel(store.db, { kind: 'gbt', seed: 1, now });
    expect(second.version).toBe(2);
    const models = await store.db
      .selectFrom('score_models')
      .select(['version', 'kind', 'active', 'metrics'])
      .orderBy('version')
      .execute();
    expect(models.map((m) => [m.version, m.kind, m.active])).toEqual([
      [1, 'logistic', 0],
      [2, 'gbt', 1],
    ]);
    expect(JSON.parse(models[1]!.metrics).properlyWorked.calibration).toHaveLength(10);
    const predicted = await store.db.selectFrom('leads').select('predicted_score').execute();
    expect(
      predicted.every(
        (p) => p.predicted_score !== null && p.predicted_score >= 0 && p.predicted_score <= 100,
      ),
    ).toBe(true);
  });

  it('explains a lead with the active model: contributions per column, largest first', async () => {
    const result = await explainLead(store.db, { leadId: 1, top: 3 });
    expect(result.version).toBe(2);
    expect(result.contributions).toHaveLength(3);
    const sizes = result.contributions.map((c) => Math.abs(c.contribution));
    expect([...sizes].sort((a, b) => b - a)).toEqual(sizes);
  });
});
