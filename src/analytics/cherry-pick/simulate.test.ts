import { describe, expect, it } from 'vitest';
import { assessGroup, decideVerdicts } from './detect.ts';
import { generateWorld, simulateScenario } from './simulate.ts';

const labels = { attractiveLabel: 'VP+ leads', otherLabel: 'other leads' };

describe('simulated worlds', () => {
  it('are reproducible from the seed', () => {
    const spec = { seed: 5, reps: 3, leadsPerRep: 200, oddsRatio: 2, biasedReps: 1 };
    expect(generateWorld(spec)).toEqual(generateWorld(spec));
  });

  it("do not flag the Simpson's trap: attractive leads score higher, reps work by score only", () => {
    const world = generateWorld({
      seed: 42,
      reps: 10,
      leadsPerRep: 1000,
      oddsRatio: 1,
      biasedReps: 0,
      simpson: true,
    });
    // The trap is real: unstratified, attractive leads are worked far more often …
    const crude = world.groups.map((g) => {
      const t = g.tables.reduce((s, x) => ({ a: s.a + x.a, b: s.b + x.b, c: s.c + x.c, d: s.d + x.d }));
      return (t.a * t.d) / (t.b * t.c);
    });
    expect(Math.min(...crude)).toBeGreaterThan(3);
    // … but at equal score nobody is flagged.
    const verdicts = decideVerdicts(world.groups.map((g) => assessGroup(g, labels)));
    expect(verdicts.filter((v) => v.verdict === 'likely_cherry_picking')).toEqual([]);
  });

  it('flags a strong planted bias (OR 4, 500 leads) and not the unbiased reps beside it', () => {
    const world = generateWorld({ seed: 7, reps: 6, leadsPerRep: 500, oddsRatio: 4, biasedReps: 3 });
    const verdicts = decideVerdicts(world.groups.map((g) => assessGroup(g, labels)));
    expect(verdicts.map((v) => v.verdict === 'likely_cherry_picking')).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
    expect(verdicts[0]!.sentence).toMatch(
      /^rep 0 worked \d+ % of VP\+ leads but \d+ % of other leads of the same score \(odds ratio [\d.]+, 95 % CI [\d.]+–[\d.]+, adjusted p [<=] [\d.]+\) — likely cherry-picking\.$/,
    );
  });

  it('keeps power and false alarms in range over a small batch of worlds', () => {
    const strong = simulateScenario({
      scenario: 'OR 3',
      worlds: 20,
      seed: 99,
      spec: { reps: 10, leadsPerRep: 400, oddsRatio: 3, biasedReps: 5 },
    });
    expect(strong.power).toBeGreaterThan(0.85);
    expect(strong.falseAlarm).toBeLessThan(0.1);
    const trap = simulateScenario({
      scenario: 'Simpson',
      worlds: 20,
      seed: 98,
      spec: { reps: 10, leadsPerRep: 500, oddsRatio: 1, biasedReps: 0, simpson: true },
    });
    expect(trap.falseAlarm).toBeLessThan(0.1);
  });
});
