#!/usr/bin/python3
"""Independent reference results for the M&V engine (lib/mv), computed with statsmodels.

Usage (from the repository root; the system Python, which has statsmodels, numpy, scipy):

    /usr/bin/python3 scripts/mv-fixtures/reference.py [--dir lib/mv/fixtures]

Reads hourly.csv and daily.csv (written by scripts/mv-fixtures/export-intervals.ts) and writes
reference.json next to them. The features are built here from the method description in
docs/MV-METHOD.md, not ported from the TypeScript code:

  mean        E = b0
  ols_it      E = b0 + b1 IT
  ols_it_cdd  E = b0 + b1 IT + b2 CDD(bp); daily CDD = sum_h max(0, T_h - bp) / 24 (convention
              "hourly") or max(0, mean_h T_h - bp) (convention "daily_mean", the *_daily_mean
              cases), hourly CDH = max(0, T - bp); bp fixed, or searched over 10..26 step 1 °C:
              a candidate qualifies when its cooling slope is > 0 with p < 0.1, and the
              qualifying candidate with the highest adjusted R² wins (none: fall back to ols_it)
  towt        LBNL time-of-week-and-temperature (Mathieu et al. 2011): intercept + 167
              time-of-week indicators (hour 0 = Sunday 00:00 UTC is the reference level) +
              piecewise-linear temperature segments, one set for occupied and one for unoccupied
              hours of the week (occupied: the fit E = a + b T under-predicts that hour of the
              week in more than 65 % of its baseline hours), knots 4.4, 12.8, 18.3, 26.7, 32.2 °C
              kept only strictly inside each group's baseline temperature range, + IT energy

Every fit is statsmodels OLS (coefficients, standard errors, t, p, R², adjusted R²); the ASHRAE
Guideline 14 statistics follow from the residuals:
  CV(RMSE) = sqrt(SSE / (n - p)) / ybar          NMBE = sum(e) / ((n - p) ybar)
  rho = sum_t e_t e_(t-1) / sum_t e_t^2          n' = n (1 - rho) / (1 + rho), n when rho <= 0
  U(conf) = t_(1 - alpha/2, max(1, n' - p)) * 1.26 * CV * ybar * sqrt((n / n') (1 + 2 / n') m)
with m the number of reporting intervals and the t quantile from scipy.stats.t.ppf. Every case also
stores the plain uncertainty (no autocorrelation correction: n for n', t at n - p)
  U_plain(conf) = t_(1 - alpha/2, n - p) * 1.26 * CV * ybar * sqrt((1 + 2 / n) m)
and the corrected one with t at n - p degrees of freedom (convention uncertaintyDf = "n_minus_p").
The fixtures have no gaps, so lag-1 autocorrelation over consecutive intervals and over adjacent
rows coincide.
"""
import argparse
import csv
import hashlib
import json
import math
import platform
import sys
from datetime import datetime, timezone

import numpy as np
import scipy
import scipy.stats
import statsmodels
import statsmodels.api as sm

KNOTS_C = [4.4, 12.8, 18.3, 26.7, 32.2]
GRID_C = list(range(10, 27))  # 10, 11, ..., 26 °C
FIXED_BP_C = 11.0
OCCUPIED_SHARE = 0.65


def read_intervals(path):
    """Rows of a fixture CSV. float() of the shortest round-trip text gives back the exact double
    the exporter printed (pandas' default fast parser does not guarantee that)."""
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        temp_cols = [c for c in reader.fieldnames if c.startswith("temp_")]
        rows = []
        for r in reader:
            start = datetime.strptime(r["start"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
            rows.append(
                {
                    "start": r["start"],
                    "dt": start,
                    "period": r["period"],
                    "energy": float(r["energy_kwh"]),
                    "it": float(r["it_kwh"]),
                    "facility": float(r["facility_kwh"]),
                    "temps": [float(r[c]) for c in temp_cols],
                    "price": float(r["price"]),
                    "carbon": float(r["carbon"]),
                }
            )
    return rows


def sha256_of(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


# --- features ------------------------------------------------------------------------------


def cooling_degrees(row, bp, granularity, degree_days="hourly"):
    """Degree-hours above bp of each hour; a day's degree-days are their sum over 24 ("hourly"), or
    the excess of the day's mean temperature over bp ("daily_mean", CalTRACK)."""
    if granularity == "daily" and degree_days == "daily_mean":
        return max(0.0, sum(row["temps"]) / len(row["temps"]) - bp)
    s = sum(max(0.0, t - bp) for t in row["temps"])
    return s / 24.0 if granularity == "daily" else s


def hour_of_week(dt):
    """0 = Sunday 00:00 UTC. datetime.weekday(): Monday = 0 … Sunday = 6."""
    return ((dt.weekday() + 1) % 7) * 24 + dt.hour


def temperature_segments(t, knots):
    if not knots:
        return [t]
    out = [min(t, knots[0])]
    for lo, hi in zip(knots[:-1], knots[1:]):
        out.append(max(0.0, min(t, hi) - lo))
    out.append(max(0.0, t - knots[-1]))
    return out


# --- fitting and statistics ----------------------------------------------------------------


def ols(names, x_rows, y):
    x = np.asarray(x_rows, dtype=float)
    y = np.asarray(y, dtype=float)
    res = sm.OLS(y, x).fit()
    # Cross-check statsmodels (pseudo-inverse) against numpy's SVD least-squares solve: an upper
    # bound on the reference's own numerical noise, relative to max(|beta|, SE).
    beta_lstsq = np.linalg.lstsq(x, y, rcond=None)[0]
    scale = np.maximum(np.abs(res.params), res.bse)
    res.lstsq_max_rel_diff = float(np.max(np.abs(res.params - beta_lstsq) / scale))
    res.names = names
    return res


def full_rank(x_rows):
    x = np.asarray(x_rows, dtype=float)
    return bool(np.all(np.any(x != 0, axis=0))) and np.linalg.matrix_rank(x) == x.shape[1]


def summarize(case, res, baseline, reporting, predict_rows, extra):
    y = np.array([r["energy"] for r in baseline])
    n = int(res.nobs)
    p = len(res.params)
    resid = y - res.fittedvalues
    sse = float(np.sum(resid**2))
    ybar = float(np.mean(y))
    cv = math.sqrt(sse / (n - p)) / ybar
    nmbe = float(np.sum(resid)) / ((n - p) * ybar)
    rho = float(np.sum(resid[1:] * resid[:-1]) / np.sum(resid**2))
    n_eff = n * (1 - rho) / (1 + rho) if rho > 0 else float(n)

    x_rep = np.asarray(predict_rows, dtype=float)
    pred = x_rep @ res.params
    actual = np.array([r["energy"] for r in reporting])
    per_interval = pred - actual
    savings = float(np.sum(per_interval))
    m = len(reporting)

    def uncertainty(conf, mm, s, n_for_df=None, n_prime=None):
        ne = n_eff if n_prime is None else n_prime
        df = max(1.0, (ne if n_for_df is None else n_for_df) - p)
        t = float(scipy.stats.t.ppf(1 - (1 - conf) / 2, df))
        u = t * 1.26 * cv * ybar * math.sqrt((n / ne) * (1 + 2 / ne) * mm)
        return {"confidence": conf, "df": df, "t": t, "absolute_kwh": u, "fractional": (u / abs(s)) if s != 0 else None}

    cumulative = np.cumsum(per_interval)

    def pue(rows):
        return sum(r["facility"] for r in rows) / sum(r["it"] for r in rows)

    return {
        "case": case,
        **extra,
        "n": n,
        "p": p,
        "coefficients": [
            {"name": name, "estimate": float(b), "std_error": float(se), "t": float(t), "p_value": float(pv)}
            for name, b, se, t, pv in zip(res.names, res.params, res.bse, res.tvalues, res.pvalues)
        ],
        "r2": float(res.rsquared),
        "adj_r2": float(res.rsquared_adj),
        "sse": sse,
        "mean_kwh": ybar,
        "rmse_kwh": math.sqrt(sse / (n - p)),
        "cv_rmse": cv,
        "nmbe": nmbe,
        "autocorrelation": rho,
        "n_effective": n_eff,
        "reporting": {
            "m": m,
            "actual_kwh": float(np.sum(actual)),
            "adjusted_baseline_kwh": float(np.sum(pred)),
            "savings_kwh": savings,
            "predictions_kwh": [float(v) for v in pred],
            "uncertainty68": uncertainty(0.68, m, savings),
            "uncertainty90": uncertainty(0.9, m, savings),
            "uncertainty68_plain": uncertainty(0.68, m, savings, n_for_df=float(n), n_prime=float(n)),
            "uncertainty90_plain": uncertainty(0.9, m, savings, n_for_df=float(n), n_prime=float(n)),
            "uncertainty90_n_minus_p": uncertainty(0.9, m, savings, n_for_df=float(n)),
            "cumulative_u90_last_kwh": uncertainty(0.9, m, float(cumulative[-1]))["absolute_kwh"],
            "avoided_cost": float(sum(s * r["price"] for s, r in zip(per_interval, reporting))),
            "avoided_co2e_kg": float(sum(s * r["carbon"] / 1000 for s, r in zip(per_interval, reporting))),
        },
        "pue": {"baseline": pue(baseline), "reporting": pue(reporting)},
        "reference_lstsq_max_rel_diff": res.lstsq_max_rel_diff,
    }


# --- models --------------------------------------------------------------------------------


def fit_mean(case, baseline, reporting, granularity):
    res = ols(["const"], [[1.0] for _ in baseline], [r["energy"] for r in baseline])
    return summarize(case, res, baseline, reporting, [[1.0] for _ in reporting], {"model": "mean", "granularity": granularity})


def fit_it(case, baseline, reporting, granularity, extra=None):
    rows = lambda rs: [[1.0, r["it"]] for r in rs]  # noqa: E731
    res = ols(["const", "it"], rows(baseline), [r["energy"] for r in baseline])
    return summarize(case, res, baseline, reporting, rows(reporting), {"model": "ols_it", "granularity": granularity, **(extra or {})})


def cdd_rows(rows, bp, granularity, degree_days="hourly"):
    return [[1.0, r["it"], cooling_degrees(r, bp, granularity, degree_days)] for r in rows]


def fit_cdd_fixed(case, baseline, reporting, granularity, bp, degree_days="hourly"):
    res = ols(["const", "it", "cdd"], cdd_rows(baseline, bp, granularity, degree_days), [r["energy"] for r in baseline])
    extra = {"model": "ols_it_cdd", "granularity": granularity, "balance_point_c": bp, "degree_days": degree_days}
    return summarize(case, res, baseline, reporting, cdd_rows(reporting, bp, granularity, degree_days), extra)


def fit_cdd_grid(case, baseline, reporting, granularity, degree_days="hourly"):
    y = [r["energy"] for r in baseline]
    candidates = []
    best = None
    for bp in GRID_C:
        x = cdd_rows(baseline, float(bp), granularity, degree_days)
        if not full_rank(x):
            candidates.append({"balance_point_c": float(bp), "adj_r2": None, "cooling_slope": None, "cooling_p_value": None, "qualifies": False})
            continue
        res = ols(["const", "it", "cdd"], x, y)
        slope, pv = float(res.params[2]), float(res.pvalues[2])
        qualifies = slope > 0 and pv < 0.1
        candidates.append({"balance_point_c": float(bp), "adj_r2": float(res.rsquared_adj), "cooling_slope": slope, "cooling_p_value": pv, "qualifies": qualifies})
        if qualifies and (best is None or res.rsquared_adj > best[1].rsquared_adj):
            best = (float(bp), res)
    if best is None:
        return fit_it(case, baseline, reporting, granularity, {"model_requested": "ols_it_cdd", "balance_point_c": None, "balance_point_search": candidates, "degree_days": degree_days})
    bp, res = best
    out = summarize(case, res, baseline, reporting, cdd_rows(reporting, bp, granularity, degree_days), {"model": "ols_it_cdd", "granularity": granularity, "balance_point_c": bp, "degree_days": degree_days})
    out["balance_point_search"] = candidates
    return out


def fit_towt(case, baseline, reporting, include_it):
    y = [r["energy"] for r in baseline]
    temps = [r["temps"][0] for r in baseline]
    # Occupancy: energy on [1, T]; an hour of the week is occupied when the residual is positive
    # in more than 65 % of its baseline hours.
    simple = sm.OLS(np.asarray(y), np.column_stack([np.ones(len(temps)), temps])).fit()
    positive = [0] * 168
    count = [0] * 168
    for r, e in zip(baseline, simple.resid):
        h = hour_of_week(r["dt"])
        count[h] += 1
        positive[h] += 1 if e > 0 else 0
    assert all(c > 0 for c in count), "every hour of the week needs baseline data"
    occupied = [positive[h] / count[h] > OCCUPIED_SHARE for h in range(168)]
    n_occ = sum(occupied)
    split = 0 < n_occ < 168
    groups = ["occ", "unocc"] if split else ["all"]

    def group_of(h):
        if not split:
            return "all"
        return "occ" if occupied[h] else "unocc"

    knots = {}
    for g in groups:
        ts = [t for r, t in zip(baseline, temps) if group_of(hour_of_week(r["dt"])) == g]
        lo, hi = min(ts), max(ts)
        knots[g] = [k for k in KNOTS_C if lo < k < hi]

    names = ["const"] + [f"tow[{h}]" for h in range(1, 168)]
    seg_offset = {}
    for g in groups:
        seg_offset[g] = len(names)
        names += [f"{g}_seg{i + 1}" for i in range(len(knots[g]) + 1)]
    if include_it:
        names.append("it")

    def design(rows):
        out = []
        for r in rows:
            row = [0.0] * len(names)
            row[0] = 1.0
            h = hour_of_week(r["dt"])
            if h > 0:
                row[h] = 1.0
            g = group_of(h)
            for j, v in enumerate(temperature_segments(r["temps"][0], knots[g])):
                row[seg_offset[g] + j] = v
            if include_it:
                row[-1] = r["it"]
            out.append(row)
        return out

    res = ols(names, design(baseline), y)
    extra = {
        "model": "towt",
        "granularity": "hourly",
        "include_it": include_it,
        "occupied_hours_of_week": [h for h in range(168) if occupied[h]],
        "knots_c": {g: knots[g] for g in groups},
    }
    return summarize(case, res, baseline, reporting, design(reporting), extra)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default="lib/mv/fixtures")
    args = ap.parse_args()
    hourly_path = f"{args.dir}/hourly.csv"
    daily_path = f"{args.dir}/daily.csv"
    hourly = read_intervals(hourly_path)
    daily = read_intervals(daily_path)
    split = lambda rows: ([r for r in rows if r["period"] == "baseline"], [r for r in rows if r["period"] == "reporting"])  # noqa: E731
    hb, hr = split(hourly)
    db, dr = split(daily)

    cases = [
        fit_mean("mean_daily", db, dr, "daily"),
        fit_mean("mean_hourly", hb, hr, "hourly"),
        fit_it("ols_it_daily", db, dr, "daily"),
        fit_it("ols_it_hourly", hb, hr, "hourly"),
        fit_cdd_fixed("ols_it_cdd_fixed_daily", db, dr, "daily", FIXED_BP_C),
        fit_cdd_fixed("ols_it_cdd_fixed_hourly", hb, hr, "hourly", FIXED_BP_C),
        fit_cdd_grid("ols_it_cdd_grid_daily", db, dr, "daily"),
        fit_cdd_grid("ols_it_cdd_grid_hourly", hb, hr, "hourly"),
        fit_cdd_fixed("ols_it_cdd_fixed_daily_mean", db, dr, "daily", FIXED_BP_C, degree_days="daily_mean"),
        fit_cdd_grid("ols_it_cdd_grid_daily_mean", db, dr, "daily", degree_days="daily_mean"),
        fit_towt("towt_hourly", hb, hr, include_it=True),
        fit_towt("towt_no_it_hourly", hb, hr, include_it=False),
    ]
    out = {
        "generated_by": "scripts/mv-fixtures/reference.py",
        "inputs": {
            "hourly.csv": {"sha256": sha256_of(hourly_path), "rows": len(hourly), "baseline": len(hb), "reporting": len(hr)},
            "daily.csv": {"sha256": sha256_of(daily_path), "rows": len(daily), "baseline": len(db), "reporting": len(dr)},
        },
        "periods": {"baseline": {"from": "2026-03-01T00:00:00Z", "to": "2026-06-01T00:00:00Z"}, "reporting": {"from": "2026-06-01T00:00:00Z", "to": "2026-07-01T00:00:00Z"}},
        "versions": {
            "python": platform.python_version(),
            "statsmodels": statsmodels.__version__,
            "numpy": np.__version__,
            "scipy": scipy.__version__,
        },
        "settings": {"fixed_balance_point_c": FIXED_BP_C, "grid_c": GRID_C, "towt_knots_c": KNOTS_C, "occupied_share": OCCUPIED_SHARE, "uncertainty_factor": 1.26},
        "cases": {c["case"]: c for c in cases},
    }
    path = f"{args.dir}/reference.json"
    with open(path, "w") as f:
        json.dump(out, f, indent=1, allow_nan=False)
        f.write("\n")
    for c in cases:
        print(f"{c['case']:26s} n={c['n']:5d} p={c['p']:3d} R2={c['r2']:.6f} CV={c['cv_rmse']:.6f} rho={c['autocorrelation']:.4f} "
              f"savings={c['reporting']['savings_kwh']:.1f} U90={c['reporting']['uncertainty90']['absolute_kwh']:.1f} "
              f"(statsmodels vs lstsq: {c['reference_lstsq_max_rel_diff']:.1e})", file=sys.stderr)
    print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
