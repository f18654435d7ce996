"""The targets of the scale issues (8, 19) and the search issue (3), and the arithmetic on them.

:func:`evaluate` turns the per-N results of one run into :class:`Target` verdicts (those
of issue 19 only when the run has N = 10,000);
:func:`ratio` and :func:`growth` are what the table and the page compare with.
"""

from __future__ import annotations

from dataclasses import dataclass

KB = 1000
MB = 1000 * 1000
GB = 1000 * MB

# Targets of the scale issue (8) and the search issue (3).
MAX_FULL_OVER_FLOOR = 2.5  # N = 1,000
MAX_AVG_REPORT_PAGE = 40 * KB
MAX_REPORT_PAGE = 100 * KB
MAX_VALIDATE_SECONDS = 2.0
MAX_PEAK_MEMORY = 1.5 * GB  # N = 5,000
MAX_GROWTH_5000_OVER_1000 = 5.5
MAX_SERVE_SECONDS = 3.0
MAX_SEARCH_BYTES = 1 * MB
MAX_FIRST_RESULT_SECONDS = 1.5
MAX_INDEX_OVER_RENDER = 1.0

# Targets of the 10,000-report issue (19), in the same run as 1,000 and 5,000.
SCALE_N = 10_000
MAX_GROWTH_10000_OVER_5000 = 2.2
MAX_GROWTH_10000_OVER_1000 = 11.0
MAX_PEAK_MEMORY_10000 = 2 * GB
MAX_VALIDATE_SECONDS_10000 = 10.0


def ratio(value: float, floor: float) -> float | None:
    """value / floor, or None when the floor is not positive."""
    return value / floor if floor > 0 else None



def growth(time_small: float, time_large: float) -> float | None:
    """time(large) / time(small): 5.0 is perfectly linear from 1,000 to 5,000."""
    return ratio(time_large, time_small)



@dataclass
class Target:
    key: str
    label: str  # Chinese description of the target
    limit: str  # Chinese, e.g. "≤ 2.5 × 地板"
    value: float | None
    shown: str  # the measured value, formatted
    ok: bool | None  # None: not measured

    @property
    def verdict(self) -> str:
        return {True: "达到", False: "未达到", None: "未测"}[self.ok]


def _check(value: float | None, limit: float) -> bool | None:
    return None if value is None else value <= limit


def _fmt(value: float | None, fmt: str) -> str:
    return "—" if value is None else fmt.format(value)


def _run_of(runs: dict[int, dict], n: int) -> dict:
    return runs.get(n) or {}


def evaluate(runs: dict[int, dict]) -> list[Target]:
    """The targets of issues 8 and 3 from the per-N results of one benchmark run.

    ``runs`` maps N to the JSON-able dict made by :func:`run_to_dict`; values that were not
    measured (a size not in the run, a browser step skipped) give ``ok = None``.
    """
    r1, r5 = _run_of(runs, 1000), _run_of(runs, 5000)
    full1 = (r1.get("full") or {}).get("wall")
    floor1 = (r1.get("floor") or {}).get("wall")
    over = ratio(full1, floor1) if full1 is not None and floor1 is not None else None
    pages1 = (r1.get("full") or {}).get("pages") or {}
    avg = pages1.get("average") if pages1.get("count") else None
    largest = pages1.get("largest") if pages1.get("count") else None
    validate = (r1.get("validate") or {}).get("wall")
    peak5 = (r5.get("full") or {}).get("peak_tree_rss")
    full5 = (r5.get("full") or {}).get("wall")
    grow = growth(full1, full5) if full1 and full5 else None
    serve = (r1.get("serve") or {}).get("worst")
    search = r1.get("search") or {}
    payload = search.get("bytes")
    first = search.get("first_result_seconds")
    index_time = ((r1.get("full") or {}).get("phases") or {}).get("search")
    render_floor = floor1
    index_ratio = ratio(index_time, render_floor) if index_time and render_floor else None
    return [*_issue8_and_3(over, avg, largest, validate, peak5, grow, serve, payload, first,
                           index_ratio),
            *(_issue19(runs) if SCALE_N in runs else [])]


def _issue8_and_3(over: float | None, avg: float | None, largest: float | None,
                  validate: float | None, peak5: float | None, grow: float | None,
                  serve: float | None, payload: float | None, first: float | None,
                  index_ratio: float | None) -> list[Target]:
    return [
        Target("full_over_floor", "N=1000 完整构建（含搜索）/ 地板", f"≤ {MAX_FULL_OVER_FLOOR}×",
               over, _fmt(over, "{:.2f}×"), _check(over, MAX_FULL_OVER_FLOOR)),
        Target("avg_report_page", "N=1000 报告页平均大小", f"≤ {MAX_AVG_REPORT_PAGE // KB} KB",
               avg, _fmt(avg and avg / KB, "{:.1f} KB"), _check(avg, MAX_AVG_REPORT_PAGE)),
        Target("largest_report_page", "N=1000 最大报告页", f"≤ {MAX_REPORT_PAGE // KB} KB",
               largest, _fmt(largest and largest / KB, "{:.1f} KB"),
               _check(largest, MAX_REPORT_PAGE)),
        Target("validate", "N=1000 scripts/validate.py 校验全部文件", f"≤ {MAX_VALIDATE_SECONDS:g} 秒",
               validate, _fmt(validate, "{:.2f} 秒"), _check(validate, MAX_VALIDATE_SECONDS)),
        Target("peak_memory", "N=5000 构建峰值内存", f"≤ {MAX_PEAK_MEMORY / GB:g} GB",
               peak5, _fmt(peak5 and peak5 / GB, "{:.2f} GB"), _check(peak5, MAX_PEAK_MEMORY)),
        Target("growth", "构建时间 N=5000 / N=1000", f"≤ {MAX_GROWTH_5000_OVER_1000}×",
               grow, _fmt(grow, "{:.2f}×"), _check(grow, MAX_GROWTH_5000_OVER_1000)),
        Target("serve_edit", "N=1000 make serve 下修改一份报告到浏览器显示", f"≤ {MAX_SERVE_SECONDS:g} 秒",
               serve, _fmt(serve, "{:.2f} 秒"), _check(serve, MAX_SERVE_SECONDS)),
        Target("search_bytes", "N=1000 一次搜索传输的数据", f"≤ {MAX_SEARCH_BYTES // MB} MB",
               payload, _fmt(payload and payload / MB, "{:.2f} MB"),
               _check(payload, MAX_SEARCH_BYTES)),
        Target("first_result", "N=1000 冷启动页面输入后出现首批结果", f"≤ {MAX_FIRST_RESULT_SECONDS} 秒",
               first, _fmt(first, "{:.2f} 秒"), _check(first, MAX_FIRST_RESULT_SECONDS)),
        Target("index_over_render", "N=1000 搜索索引耗时 / 地板（MkDocs 渲染同样页面）",
               f"≤ {MAX_INDEX_OVER_RENDER:g}×", index_ratio, _fmt(index_ratio, "{:.2f}×"),
               _check(index_ratio, MAX_INDEX_OVER_RENDER)),
    ]


def _wall(runs: dict[int, dict], n: int) -> float | None:
    full = _run_of(runs, n).get("full") or {}
    return full.get("wall") if not full.get("returncode") else None


def _growth_target(runs: dict[int, dict], small: int, limit: float) -> Target:
    a, b = _wall(runs, small), _wall(runs, SCALE_N)
    value = growth(a, b) if a and b else None
    return Target(f"growth_{SCALE_N}_over_{small}", f"构建时间 N={SCALE_N} / N={small}", f"≤ {limit:g}×",
                  value, _fmt(value, "{:.2f}×"), _check(value, limit))


def _issue19(runs: dict[int, dict]) -> list[Target]:
    """Issue 19: N = 10,000 grows linearly from 1,000 and 5,000, fits in 2 GB, serve and
    validate stay quick; one search at 5,000 and 10,000 stays under 1 MB and 1.5 s."""
    r = _run_of(runs, SCALE_N)
    full = r.get("full") or {}
    peak = full.get("peak_tree_rss")
    serve = (r.get("serve") or {}).get("worst")
    validate = (r.get("validate") or {}).get("wall")
    found = [
        _growth_target(runs, 5000, MAX_GROWTH_10000_OVER_5000),
        _growth_target(runs, 1000, MAX_GROWTH_10000_OVER_1000),
        Target("peak_memory_10000", f"N={SCALE_N} 构建峰值内存（进程树）", f"≤ {MAX_PEAK_MEMORY_10000 / GB:g} GB",
               peak, _fmt(peak and peak / GB, "{:.2f} GB"), _check(peak, MAX_PEAK_MEMORY_10000)),
        Target("serve_edit_10000", f"N={SCALE_N} make serve 下修改一份报告到浏览器显示",
               f"≤ {MAX_SERVE_SECONDS:g} 秒", serve, _fmt(serve, "{:.2f} 秒"),
               _check(serve, MAX_SERVE_SECONDS)),
        Target("validate_10000", f"N={SCALE_N} scripts/validate.py 校验全部文件",
               f"≤ {MAX_VALIDATE_SECONDS_10000:g} 秒", validate, _fmt(validate, "{:.2f} 秒"),
               _check(validate, MAX_VALIDATE_SECONDS_10000)),
    ]
    for n in (5000, SCALE_N):
        search = _run_of(runs, n).get("search") or {}
        payload, first = search.get("bytes"), search.get("first_result_seconds")
        found += [
            Target(f"search_bytes_{n}", f"N={n} 一次搜索传输的数据", f"≤ {MAX_SEARCH_BYTES // MB} MB",
                   payload, _fmt(payload and payload / MB, "{:.2f} MB"), _check(payload, MAX_SEARCH_BYTES)),
            Target(f"first_result_{n}", f"N={n} 冷启动页面输入后出现首批结果",
                   f"≤ {MAX_FIRST_RESULT_SECONDS} 秒", first, _fmt(first, "{:.2f} 秒"),
                   _check(first, MAX_FIRST_RESULT_SECONDS)),
        ]
    return found
