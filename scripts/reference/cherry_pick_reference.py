#!/usr/bin/python3
"""Reference values for Gleaner's cherry-pick statistics, computed with Debian's statsmodels.

Run once with /usr/bin/python3 (python3-statsmodels 0.13.x); writes fixed data sets and the values
statsmodels computes on them into test-fixtures/cherry-pick/. The TypeScript tests read both and
compare to <= 1e-6 relative. Re-running reproduces the same files (seeded generator).
"""
import json
import os
import sys

import numpy as np
import statsmodels
import statsmodels.api as sm
from statsmodels.duration.survfunc import survdiff
from statsmodels.stats.contingency_tables import StratifiedTable
from statsmodels.stats.multitest import multipletests

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'test-fixtures', 'cherry-pick')
SOURCES = ['web', 'webinar', 'partner']


def make_world(name, seed, n, strata, log_or, heterogeneous=False, censor_at=72.0):
    rng = np.random.default_rng(seed)
    score = np.round(rng.uniform(0, 100, n), 4)  # as written to the CSV
    stratum = np.minimum((score / (100 / strata)).astype(int), strata - 1)
    attractive = (rng.uniform(size=n) < 0.2 + 0.004 * score).astype(int)
    source = rng.integers(0, len(SOURCES), n)
    effect = log_or * (1 + (stratum - strata / 2) / strata * 2) if heterogeneous else log_or
    eta = -1.5 + 0.03 * score + effect * attractive + 0.2 * (source == 1)
    worked = (rng.uniform(size=n) < 1 / (1 + np.exp(-eta))).astype(int)
    # Hours to first touch: faster for worked and attractive leads; censored (never touched) at the window end.
    rate = 0.02 * np.exp(0.02 * score + 0.5 * log_or * attractive)
    t = np.round(rng.exponential(1 / rate), 1)
    event = (t < censor_at).astype(int)
    t = np.where(event == 1, t, censor_at)
    rows = ['stratum,score,attractive,worked,source,hours,touched']
    for i in range(n):
        rows.append('%d,%.4f,%d,%d,%s,%.1f,%d' % (stratum[i], score[i], attractive[i], worked[i],
                                                SOURCES[source[i]], t[i], event[i]))
    with open(os.path.join(OUT, name + '.csv'), 'w') as f:
        f.write('\n'.join(rows) + '\n')
    return dict(stratum=stratum, score=score, attractive=attractive, worked=worked, source=source,
                hours=t, touched=event, strata=strata)


def stratified(w):
    tables = []
    for s in range(w['strata']):
        ii = w['stratum'] == s
        a = np.sum((w['attractive'] == 1) & (w['worked'] == 1) & ii)
        b = np.sum((w['attractive'] == 1) & (w['worked'] == 0) & ii)
        c = np.sum((w['attractive'] == 0) & (w['worked'] == 1) & ii)
        d = np.sum((w['attractive'] == 0) & (w['worked'] == 0) & ii)
        tables.append(np.array([[a, b], [c, d]], dtype=float))
    st = StratifiedTable(tables)
    lo, hi = st.oddsratio_pooled_confint()
    t0 = st.test_null_odds(correction=False)
    t1 = st.test_null_odds(correction=True)
    bd = st.test_equal_odds(adjust=False)
    bdt = st.test_equal_odds(adjust=True)
    return {
        'tables': [[int(x) for x in t.ravel()] for t in tables],
        'oddsratio_pooled': st.oddsratio_pooled,
        'logodds_pooled_se': st.logodds_pooled_se,
        'oddsratio_pooled_confint': [lo, hi],
        'test_null_odds': {'statistic': float(t0.statistic), 'pvalue': float(t0.pvalue)},
        'test_null_odds_corrected': {'statistic': float(t1.statistic), 'pvalue': float(t1.pvalue)},
        'test_equal_odds': {'statistic': float(bd.statistic), 'pvalue': float(bd.pvalue)},
        'test_equal_odds_tarone': {'statistic': float(bdt.statistic), 'pvalue': float(bdt.pvalue)},
    }


def logit(w):
    n = len(w['score'])
    x = np.column_stack([np.ones(n), w['score'] / 100, w['attractive'],
                         (w['source'] == 1).astype(float), (w['source'] == 2).astype(float)])
    fit = sm.Logit(w['worked'], x).fit(disp=0, tol=1e-12, maxiter=100)
    return {'columns': ['const', 'score/100', 'attractive', 'source=webinar', 'source=partner'],
            'params': list(fit.params), 'bse': list(fit.bse), 'pvalues': list(fit.pvalues),
            'llf': float(fit.llf)}


def logrank(w):
    chisq, p = survdiff(w['hours'], w['touched'], w['attractive'], strata=w['stratum'])
    chisq1, p1 = survdiff(w['hours'], w['touched'], w['attractive'])
    return {'stratified': {'statistic': float(chisq), 'pvalue': float(p)},
            'unstratified': {'statistic': float(chisq1), 'pvalue': float(p1)}}


def main():
    os.makedirs(OUT, exist_ok=True)
    worlds = [
        ('world-a', 11, 600, 8, np.log(2.0), False),
        ('world-b', 22, 300, 5, 0.0, False),
        ('world-c', 33, 2000, 10, np.log(2.5), True),
    ]
    result = {'generated_by': 'scripts/reference/cherry_pick_reference.py',
              'statsmodels': statsmodels.__version__, 'numpy': np.__version__, 'python': sys.version.split()[0],
              'worlds': {}}
    for name, seed, n, strata, log_or, het in worlds:
        w = make_world(name, seed, n, strata, log_or, het)
        result['worlds'][name] = {'stratified': stratified(w), 'logit': logit(w), 'logrank': logrank(w)}
    pv = [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216, 0.222, 0.251, 0.269, 0.275, 0.34]
    result['benjamini_hochberg'] = {'pvalues': pv,
                                    'adjusted': list(multipletests(pv, method='fdr_bh')[1])}
    with open(os.path.join(OUT, 'reference.json'), 'w') as f:
        json.dump(result, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
