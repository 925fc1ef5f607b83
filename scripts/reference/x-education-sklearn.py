#!/usr/bin/python3
"""scikit-learn on the same X Education split as scripts/evaluate-x-education.ts (a cross-check, not a fixture).
node --import tsx scripts/x-education-split.ts && /usr/bin/python3 scripts/reference/x-education-sklearn.py
"""
import json, sys
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from sklearn.preprocessing import StandardScaler
df = pd.read_csv(sys.argv[1] if len(sys.argv) > 1 else '/work/shared/data/x_education_leads/Leads_train.csv').replace('Select', np.nan)
sp = json.load(open('.artifacts/x-education-split.json'))
y = df['Converted'].values
sales = ['Tags', 'Lead Quality', 'Last Activity', 'Last Notable Activity']
for name, drop in [('every', []), ('without', sales)]:
    X = df.drop(columns=['Prospect ID', 'Lead Number', 'Converted'] + drop)
    num = X.select_dtypes('number').columns
    cat = [c for c in X.columns if c not in num]
    Xn = X[num].copy()
    for c in num:
        Xn[c + '_missing'] = Xn[c].isna().astype(float)
        Xn[c] = Xn[c].fillna(Xn[c].iloc[sp['train']].mean())
    Xc = pd.get_dummies(X[cat].fillna('(missing)'))
    M = pd.concat([Xn, Xc], axis=1).astype(float)
    tr, te = sp['train'], sp['test']
    sc = StandardScaler().fit(M.iloc[tr])
    A = sc.transform(M)
    lr = LogisticRegression(C=1.0, max_iter=5000).fit(A[tr], y[tr])
    gb = HistGradientBoostingClassifier(random_state=0).fit(M.values[tr], y[tr])
    print(name, 'sklearn logistic', round(roc_auc_score(y[te], lr.predict_proba(A[te])[:, 1]), 4), 'sklearn HistGB', round(roc_auc_score(y[te], gb.predict_proba(M.values[te])[:, 1]), 4))
