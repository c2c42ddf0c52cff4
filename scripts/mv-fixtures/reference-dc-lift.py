#!/usr/bin/python3
"""Independent reference results for the dc_lift model (lib/mv/models.ts), computed with statsmodels.

Usage (from the repository root, the system Python):

    /usr/bin/python3 scripts/mv-fixtures/reference-dc-lift.py [--dir lib/mv/fixtures]

Reads hourly.csv and daily.csv (scripts/mv-fixtures/export-intervals.ts) and writes
reference-dc-lift.json next to them. The design is built here from docs/MV-METHOD.md §3.6:

  dc_lift  E = b0 + b1 IT + b2 L(bp)
           hourly: L = IT * max(0, T - bp)
           daily:  L = sum over the day's 24 hours of IT_h * max(0, T_h - bp), with IT_h each
                   hour's IT energy (taken from hourly.csv) and T_h the day's temp_hHH columns
           bp fixed (11 °C) or searched over 10..26 step 1 °C: a candidate qualifies when its
           lift slope is > 0 with p < 0.1; the qualifying candidate with the highest adjusted R²
           wins (none: ols_it)

Reported per case: the balance point and the search's candidates, coefficients (estimate, SE, t,
p), R², adjusted R², SSE and the adjusted baseline summed over the reporting period.
"""
import argparse
import csv
import hashlib
import json
import os

import numpy as np
import statsmodels
import statsmodels.api as sm

GRID_C = list(range(10, 27))
FIXED_BP_C = 11.0


def read(path):
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        temp_cols = [c for c in reader.fieldnames if c.startswith("temp_")]
        return [
            {"start": r["start"], "period": r["period"], "energy": float(r["energy_kwh"]), "it": float(r["it_kwh"]), "temps": [float(r[c]) for c in temp_cols]}
            for r in reader
        ]


def lift(row, bp):
    return sum(it * max(0.0, t - bp) for it, t in zip(row["hourly_it"], row["temps"]))


def fit(rows, bp):
    base = [r for r in rows if r["period"] == "baseline"]
    x = np.array([[1.0, r["it"], lift(r, bp)] for r in base])
    y = np.array([r["energy"] for r in base])
    return sm.OLS(y, x).fit()


def case(rows, bp_fixed):
    candidates = []
    if bp_fixed is not None:
        bp, res = bp_fixed, fit(rows, bp_fixed)
    else:
        best = None
        for bp in GRID_C:
            res = fit(rows, float(bp))
            qualifies = bool(res.params[2] > 0 and res.pvalues[2] < 0.1)
            candidates.append({"balance_point_c": bp, "adj_r2": float(res.rsquared_adj), "slope": float(res.params[2]), "qualifies": qualifies})
            if qualifies and (best is None or res.rsquared_adj > best[1].rsquared_adj):
                best = (float(bp), res)
        bp, res = best
    rep = [r for r in rows if r["period"] == "reporting"]
    pred = np.array([[1.0, r["it"], lift(r, bp)] for r in rep]) @ res.params
    names = ["intercept", "it_kwh", f"it_lift_{bp:g}"]
    return {
        "balance_point_c": bp,
        "candidates": candidates,
        "coefficients": [{"name": n, "estimate": float(b), "std_error": float(se), "t": float(t), "p_value": float(pv)} for n, b, se, t, pv in zip(names, res.params, res.bse, res.tvalues, res.pvalues)],
        "r2": float(res.rsquared),
        "adj_r2": float(res.rsquared_adj),
        "sse": float(res.ssr),
        "n": int(res.nobs),
        "adjusted_baseline_kwh": float(np.sum(pred)),
        "actual_kwh": float(sum(r["energy"] for r in rep)),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default="lib/mv/fixtures")
    d = ap.parse_args().dir
    hourly = read(os.path.join(d, "hourly.csv"))
    daily = read(os.path.join(d, "daily.csv"))
    for r in hourly:
        r["hourly_it"] = [r["it"]]
    it_by_hour = {r["start"]: r["it"] for r in hourly}
    for r in daily:
        day = r["start"][:10]
        r["hourly_it"] = [it_by_hour[f"{day}T{h:02d}:00:00.000Z"] for h in range(24)]
    sha = {}
    for name in ("hourly.csv", "daily.csv"):
        with open(os.path.join(d, name), "rb") as f:
            sha[name] = hashlib.sha256(f.read()).hexdigest()
    out = {
        "inputs_sha256": sha,
        "versions": {"statsmodels": statsmodels.__version__, "numpy": np.__version__},
        "cases": {
            "dc_lift_fixed_11_hourly": {"granularity": "hourly", "balance_point_c": FIXED_BP_C, **case(hourly, FIXED_BP_C)},
            "dc_lift_grid_hourly": {"granularity": "hourly", "balance_point_c_spec": None, **case(hourly, None)},
            "dc_lift_fixed_11_daily": {"granularity": "daily", "balance_point_c": FIXED_BP_C, **case(daily, FIXED_BP_C)},
            "dc_lift_grid_daily": {"granularity": "daily", "balance_point_c_spec": None, **case(daily, None)},
        },
    }
    with open(os.path.join(d, "reference-dc-lift.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
