"""Local dates and lookback across a DST change: seeds/warsaw (Europe/Warsaw, PLN).

Warsaw moves from +01:00 to +02:00 at 2026-03-29 02:00 local. The period is that one
local day, 23 hours long: B = 03-29 00:00 +01:00 = 03-28 23:00Z, E = 03-30 00:00 +02:00 =
03-29 22:00Z. Lookback 30 days of elapsed time (UTC): E - 30 d = 02-27 22:00Z = 02-27
23:00 +01:00 and B - 30 d = 02-26 23:00Z = 02-27 00:00 +01:00.

Orders: w_prev paid 03-28 23:30 +01:00 (local 03-28: out); w0 paid 03-29 00:30 +01:00 (=
03-28 23:30Z, local 03-29: in, although its UTC date is the 28th); w1 paid 03-29 23:30
+02:00 (= 21:30Z: in); w2 paid 03-30 00:30 +02:00 (= 03-29 22:30Z, a UTC date inside the
period, local 03-30: out).
w1's customer w_c1: google 02-27 22:29 +01:00 and facebook 02-27 22:30 +01:00 (= 21:30Z,
exactly 720 h before w1 although the wall clocks differ by 30 days and 1 hour).
"""

from __future__ import annotations

from tests.attribution_journeys.conftest import conv, null, rows


def test_dst_day(warsaw):
    paths = warsaw.paths()
    assert paths.currency == "PLN"

    assert rows(paths) == [
        conv(("direct",), "20", (0.0,)),  # w0, paid at 03-28 23:30Z
        # w1: facebook exactly 720 h before (inclusive); google 1 minute earlier is out
        conv(("facebook",), "30", (720.0,)),
        # v_w_start: last touch 02-27 00:00 +01:00 = B - 30 d exactly (v_w_early, one
        # second earlier, is out)
        null(("line",), (0.0,)),
        # v_w_edge: last touch 02-27 23:00 +01:00 = E - 30 d exactly (v_w_late, one second
        # later, is too recent)
        null(("email",), (0.0,)),
    ]
