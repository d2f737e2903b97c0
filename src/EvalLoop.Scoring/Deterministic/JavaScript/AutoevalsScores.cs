namespace EvalLoop.Scoring.Deterministic.JavaScript;

/// <summary>
/// The score functions of Braintrust's autoevals (TypeScript <c>js/string.ts</c>, <c>js/number.ts</c>,
/// <c>js/json.ts</c>, <c>js/value.ts</c>), ported operation for operation so the scores agree to the last bit or two.
/// Values are JavaScript values as <see cref="JsJson"/> models them. The scorers in <c>Deterministic/</c> document
/// what they feed in; this class documents the arithmetic.
/// </summary>
/// <remarks>
/// Where autoevals' Python and TypeScript packages disagree, the TypeScript one is followed, because its string model
/// (UTF-16 code units) is .NET's and its value model (<c>JSON.parse</c>) is what a JSONL dataset holds. The known
/// disagreements: Python's <c>str()</c> prints <c>True</c>, <c>None</c>, <c>1.0</c> and dicts as Python literals where
/// JavaScript prints <c>true</c>, <c>null</c>, <c>1</c> and <c>[object Object]</c>; Python counts code points, so a
/// character outside the Basic Multilingual Plane (an emoji) is one edit there and two here; Python's
/// <c>json.dumps</c> escapes non-ASCII and keeps <c>1.0</c> as <c>1.0</c>.
/// </remarks>
public static class AutoevalsScores
{
    /// <summary>
    /// autoevals <c>Levenshtein</c>: <c>1 - distance / max(len(a), len(b))</c> over UTF-16 code units, and 1 when both
    /// are empty. Insertions, deletions and substitutions cost 1 each.
    /// </summary>
    public static double Levenshtein(string output, string expected)
    {
        var maxLength = Math.Max(output.Length, expected.Length);
        return maxLength == 0 ? 1 : 1 - ((double)Distance(output, expected) / maxLength);
    }

    /// <summary>The Levenshtein edit distance between two strings, in UTF-16 code units.</summary>
    public static int Distance(string a, string b)
    {
        if (a.Length < b.Length)
        {
            (a, b) = (b, a);
        }

        if (b.Length == 0)
        {
            return a.Length;
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var ca = a[i - 1];
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = ca == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    /// <summary>
    /// autoevals <c>NumericDiff</c> (the current version, which scales first so finite inputs cannot overflow):
    /// 1 when both are 0; otherwise with <c>s = max(|expected|, |output|)</c>,
    /// <c>1 - |expected/s - output/s| / (|expected/s| + |output/s|)</c>. So 10 vs 5 is 2/3, numbers of opposite signs
    /// score 0, 0 vs anything else scores 0, and <c>double.MaxValue</c> vs <c>-double.MaxValue</c> is 0, not NaN.
    /// </summary>
    public static double NumericDiff(double output, double expected)
    {
        if (expected == 0 && output == 0)
        {
            return 1;
        }

        var scale = Math.Max(Math.Abs(expected), Math.Abs(output));
        var e = expected / scale;
        var o = output / scale;
        return 1 - (Math.Abs(e - o) / (Math.Abs(e) + Math.Abs(o)));
    }

    /// <summary>
    /// autoevals <c>JSONDiff</c> with its default scorers (Levenshtein for strings, NumericDiff for numbers).
    /// Unless <paramref name="preserveStrings"/>, a string that <c>JSON.parse</c>s to an object or array is replaced by
    /// it first, at every level. Then: two objects score the mean over the union of their keys (1 when both are empty;
    /// a key missing on one side compares <c>undefined</c>); two arrays score the sum over the common prefix divided by
    /// the longer length (1 when both are empty); two strings score Levenshtein; two numbers NumericDiff; null or
    /// missing on both sides 1, on one side 0; any other mix (a boolean, a number against a string, an object against
    /// an array) scores Levenshtein between the two <c>JSON.stringify</c> texts with keys sorted at every level.
    /// </summary>
    /// <remarks>
    /// <paramref name="output"/> and <paramref name="expected"/> may be <see cref="Missing"/> for JavaScript's
    /// <c>undefined</c>. One deliberate difference: a key missing on one side is <c>undefined</c> here even when its
    /// name is an <c>Object.prototype</c> member such as <c>constructor</c>, where JavaScript would find the inherited
    /// function and throw.
    /// </remarks>
    public static double JsonDiff(object? output, object? expected, bool preserveStrings = false)
    {
        if (!preserveStrings)
        {
            output = ParseIfStructured(output);
            expected = ParseIfStructured(expected);
        }

        switch (output, expected)
        {
            case (JsObject a, JsObject b):
            {
                if (a.Count == 0 && b.Count == 0)
                {
                    return 1;
                }

                var keys = new JsObject();
                foreach (var key in a.Keys.Concat(b.Keys))
                {
                    keys.Set(key, true);
                }

                var sum = 0.0;
                var count = 0;
                foreach (var key in keys.Keys)
                {
                    sum += JsonDiff(a.TryGetValue(key, out var x) ? x : Missing, b.TryGetValue(key, out var y) ? y : Missing, preserveStrings);
                    count++;
                }

                return sum / count;
            }

            case (List<object?> a, List<object?> b):
            {
                if (a.Count == 0 && b.Count == 0)
                {
                    return 1;
                }

                var sum = 0.0;
                for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
                {
                    sum += JsonDiff(a[i], b[i], preserveStrings);
                }

                return sum / Math.Max(a.Count, b.Count);
            }

            case (string a, string b):
                return Levenshtein(a, b);
            case (double a, double b):
                return NumericDiff(a, b);
        }

        var outputAbsent = output is null || ReferenceEquals(output, Missing);
        var expectedAbsent = expected is null || ReferenceEquals(expected, Missing);
        if (outputAbsent || expectedAbsent)
        {
            return outputAbsent && expectedAbsent ? 1 : 0;
        }

        return Levenshtein(JsJson.Stringify(output, sortKeys: true), JsJson.Stringify(expected, sortKeys: true));
    }

    /// <summary>
    /// autoevals <c>ExactMatch</c>: when either side is an object, an array or null (JavaScript's
    /// <c>typeof === "object"</c>), both become JSON (<c>JSON.stringify</c>, and a string side that parses as JSON is
    /// re-serialised, so whitespace and <c>1.0</c> vs <c>1</c> do not matter, but key order does); otherwise both become
    /// text with <c>`${value}`</c>, so the number 123 equals the string "123". Returns the two compared texts.
    /// </summary>
    public static (string Output, string Expected) ExactMatchTexts(object? output, object? expected)
    {
        var maybeObject = JsJson.IsObjectLike(output) || JsJson.IsObjectLike(expected);
        return (Normalize(output, maybeObject), Normalize(expected, maybeObject));

        static string Normalize(object? value, bool maybeObject)
        {
            if (JsJson.IsObjectLike(value))
            {
                return JsJson.Stringify(value);
            }

            if (value is string text && maybeObject && JsJson.TryParse(text, out var parsed))
            {
                return JsJson.Stringify(parsed);
            }

            return JsJson.ToText(value);
        }
    }

    /// <summary>JavaScript's <c>undefined</c>, for a key or element that is not there.</summary>
    public static readonly object Missing = new();

    private static object? ParseIfStructured(object? value) =>
        value is string text && JsJson.TryParse(text, out var parsed) && parsed is JsObject or List<object?> ? parsed : value;
}
