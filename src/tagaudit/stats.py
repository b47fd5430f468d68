"""Is a change in a count more than noise? A conditional binomial (Poisson rate) test.

Two windows give counts `current` and `previous` over `current_days` and
`previous_days`. If the underlying daily rate did not change, then given the
total n = current + previous, `current` is Binomial(n, p0) with
p0 = current_days / (current_days + previous_days) (the exact test for two
Poisson counts). The two-sided p-value sums the probabilities of all outcomes
no more likely than the one observed. A change is flagged *significant* when
p < 0.05 and n >= 10: small counts never cry wolf (2 -> 4 tickets gives
p = 0.69; 10 -> 25 gives p = 0.017).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

ALPHA = 0.05
MIN_TOTAL = 10
EXACT_UP_TO = 5_000  # above, the normal approximation (with continuity correction)


@dataclass(frozen=True, slots=True)
class Change:
    previous: int
    delta: int
    delta_pct: float | None  # None when previous is 0
    significant: bool
    p_value: float

    def as_dict(self) -> dict[str, object]:
        return {
            "previous": self.previous,
            "delta": self.delta,
            "delta_pct": self.delta_pct,
            "significant": self.significant,
            "p_value": round(self.p_value, 6),
        }


def binomial_two_sided(k: int, n: int, p0: float) -> float:
    """P(an outcome at most as likely as k) for Binomial(n, p0)."""
    if n == 0:
        return 1.0
    if n > EXACT_UP_TO:
        mean, sd = n * p0, math.sqrt(n * p0 * (1 - p0))
        z = max(abs(k - mean) - 0.5, 0.0) / sd if sd else 0.0
        return min(1.0, math.erfc(z / math.sqrt(2)))
    log_p, log_q = math.log(p0), math.log1p(-p0)
    base = math.lgamma(n + 1)

    def log_pmf(i: int) -> float:
        return base - math.lgamma(i + 1) - math.lgamma(n - i + 1) + i * log_p + (n - i) * log_q

    logs = [log_pmf(i) for i in range(n + 1)]
    threshold = logs[k] + 1e-7  # ties within rounding count as "as likely"
    return min(1.0, sum(math.exp(value) for value in logs if value <= threshold))


def compare_counts(current: int, previous: int, current_days: int = 1, previous_days: int = 1) -> Change:
    delta = current - previous
    pct = round(delta / previous * 100, 1) if previous else None
    n = current + previous
    p0 = current_days / (current_days + previous_days)
    p_value = binomial_two_sided(current, n, p0)
    return Change(previous, delta, pct, n >= MIN_TOTAL and p_value < ALPHA, p_value)
