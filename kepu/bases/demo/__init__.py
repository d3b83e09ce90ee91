"""Demo bases and venues, replayed through the services (one module per area, in order):
the Sichuan registry at every level and Qingyuan's bases (`registry`), a finished
provincial recognition round (`recognition`), last year's annual evaluation and this
year's reports in progress (`annual`), last year's subsidy and the census (`subsidy`), the
mid-term evaluation of demonstration areas (`midterm`). Idempotent."""

from kepu.bases.demo import annual, midterm, recognition, registry, subsidy

PARTS = (registry, recognition, annual, subsidy, midterm)


def load_demo(size: int = 3000) -> dict:
    out = {}
    for part in PARTS:
        out.update(part.load(size) or {})
    return out
