#!/usr/bin/python3
"""Reference values for src/scoring (run with Debian's python3-sklearn):
/usr/bin/python3 scripts/reference/scoring-metrics.py > test-fixtures/scoring/sklearn-reference.json

- roc_auc_score and log_loss on the fixed predictions file test-fixtures/scoring/predictions.csv;
- L2 logistic regression (lbfgs, C = 1/l2, unpenalised intercept) on a real X Education slice
  (test-fixtures/scoring/x-education-slice.csv) for l2 = 1 and 10.
"""
import csv
import json
import sys

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss, roc_auc_score

root = "test-fixtures/scoring/"
with open(root + "predictions.csv") as f:
    rows = list(csv.DictReader(f))
y = [int(r["label"]) for r in rows]
p = [float(r["score"]) for r in rows]

with open(root + "x-education-slice.csv") as f:
    data = list(csv.DictReader(f))
cols = ["total_visits", "time_on_site_minutes", "page_views_per_visit"]
X = np.array([[float(r[c]) for c in cols] for r in data])
Y = np.array([int(r["converted"]) for r in data])
fits = {}
for l2 in (1.0, 10.0):
    m = LogisticRegression(C=1.0 / l2, solver="lbfgs", tol=1e-12, max_iter=100000).fit(X, Y)
    fits[str(int(l2))] = {"intercept": float(m.intercept_[0]), "coefficients": [float(c) for c in m.coef_[0]]}

json.dump(
    {
        "sklearn": sklearn.__version__,
        "predictions": {"roc_auc": roc_auc_score(y, p), "log_loss": log_loss(y, p)},
        "logistic": {"columns": cols, "fits": fits},
    },
    sys.stdout,
    indent=2,
)
print()
