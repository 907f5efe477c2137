"""Value formatting: Java's Double.toString for doubles, checked against a reference."""

from __future__ import annotations

import math
import random
import struct

from avista_dx.emulator.timestream import TimestreamEngine

from .conftest import allow_all


def java_double(value: float) -> str:
    """Java's Double.toString (JDK 19+ shortest digits), written independently of the engine."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    sign = "-" if value < 0 else ""
    digits, exponent = _shortest(abs(value))
    if 1e-3 <= abs(value) < 1e7:
        point = exponent + 1
        if point <= 0:
            return f"{sign}0.{'0' * -point}{digits}"
        if point >= len(digits):
            return f"{sign}{digits}{'0' * (point - len(digits))}.0"
        return f"{sign}{digits[:point]}.{digits[point:]}"
    return f"{sign}{digits[0]}.{digits[1:] or '0'}E{exponent}"


def _shortest(value: float) -> tuple[str, int]:
    """Shortest round-trip significant digits and the decimal exponent of the first one."""
    mantissa, _, exponent = f"{value!r}".partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    leading_zeros = len(whole + fraction) - len(digits)
    point = len(whole) - leading_zeros + (int(exponent) if exponent else 0)
    return digits.rstrip("0") or "0", point - 1


def test_reference_matches_documented_values() -> None:
    assert java_double(1.0) == "1.0"
    assert java_double(4.294967167e7) == "4.294967167E7"
    assert java_double(1.6554878837710001e9) == "1.6554878837710001E9"
    assert java_double(56.2893364050702) == "56.2893364050702"
    assert java_double(0.001) == "0.001"
    assert java_double(0.0001) == "1.0E-4"


def test_sql_java_double_matches_reference(engine: TimestreamEngine) -> None:
    rng = random.Random(4)
    values = [1e7, 9999999.999999998, 1e-3, 0.00099999, 5e-324, 1.7976931348623157e308, -0.0, 123.0]
    values += [struct.unpack("d", struct.pack("Q", rng.getrandbits(64)))[0] for _ in range(3000)]
    values += [rng.uniform(-1, 1) * 10 ** rng.randint(-12, 20) for _ in range(3000)]
    literals = ", ".join(
        "nan()" if math.isnan(v) else f"CAST('{v!r}' AS DOUBLE)"
        for v in values
        if not math.isnan(v)
    )
    finite = [v for v in values if not math.isnan(v)]
    response = engine.query(f"SELECT * FROM UNNEST(ARRAY[{literals}]) AS t(x)", can_read=allow_all)
    got = [row["Data"][0]["ScalarValue"] for row in response["Rows"]]
    assert got == [java_double(v) for v in finite]
