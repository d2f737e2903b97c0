using System.Globalization;
using System.Text;

namespace EvalLoop.Scoring.Deterministic.JavaScript;

/// <summary>
/// JavaScript's <c>Number.prototype.toString()</c> (ECMA-262 Number::toString with radix 10): the shortest digits that
/// round-trip, in plain notation for decimal exponents from -6 to 20 and in <c>1.5e+21</c> / <c>1e-7</c> notation
/// outside it; <c>-0</c> prints as <c>0</c>. So <c>1.0</c> prints as <c>1</c> and <c>1e21</c> as <c>1e+21</c>.
/// </summary>
public static class JsNumber
{
    public static string ToString(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }

        if (value == 0)
        {
            return "0";
        }

        if (value < 0)
        {
            return "-" + ToString(-value);
        }

        // .NET's "R" gives the shortest round-tripping digits, as ECMAScript requires; only the layout differs.
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var e = text.IndexOf('E', StringComparison.Ordinal);
        var mantissa = e < 0 ? text : text[..e];
        var exponent = e < 0 ? 0 : int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = point < 0 ? mantissa : mantissa.Remove(point, 1);
        var n = (point < 0 ? mantissa.Length : point) + exponent;
        var leading = 0;
        while (leading < digits.Length - 1 && digits[leading] == '0')
        {
            leading++;
        }

        digits = digits[leading..].TrimEnd('0');
        n -= leading;
        var k = digits.Length;

        if (k <= n && n <= 21)
        {
            return digits + new string('0', n - k);
        }

        if (0 < n && n <= 21)
        {
            return digits[..n] + "." + digits[n..];
        }

        if (-6 < n && n <= 0)
        {
            return "0." + new string('0', -n) + digits;
        }

        var builder = new StringBuilder();
        builder.Append(digits[0]);
        if (k > 1)
        {
            builder.Append('.').Append(digits, 1, k - 1);
        }

        var power = n - 1;
        builder.Append('e').Append(power < 0 ? '-' : '+').Append(Math.Abs(power).ToString(CultureInfo.InvariantCulture));
        return builder.ToString();
    }
}
