using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EvalLoop.Scoring.Deterministic.JavaScript;

/// <summary>
/// JSON as JavaScript sees it, so scores ported from Braintrust's autoevals (TypeScript) come out the same:
/// <see cref="TryParse"/> is <c>JSON.parse</c> (every number becomes a double, so <c>1.0</c> is <c>1</c> and
/// <c>1e400</c> is Infinity; objects keep JavaScript's key order, see <see cref="JsObject"/>), <see cref="Stringify"/> is
/// <c>JSON.stringify</c> (compact, only <c>"</c>, <c>\</c>, control characters and lone surrogates escaped, non-finite
/// numbers as <c>null</c>), and <see cref="ToText"/> is a template literal's <c>`${value}`</c>.
/// </summary>
/// <remarks>
/// Values are modelled as <c>null</c> (JSON null), <see cref="string"/>, <see cref="double"/>, <see cref="bool"/>,
/// <see cref="JsObject"/> and <c>List&lt;object?&gt;</c> (arrays). Nesting deeper than <see cref="MaxDepth"/> is treated
/// as invalid JSON rather than risking the stack; JavaScript has no fixed limit.
/// </remarks>
public static class JsJson
{
    public const int MaxDepth = 512;

    /// <summary>The JavaScript value of a JSON element (parsed from its raw text, so numbers follow JavaScript).</summary>
    public static object? FromElement(JsonElement element) =>
        TryParse(element.GetRawText(), out var value) ? value : throw new FormatException("not valid JSON");

    /// <summary><c>JSON.parse(text)</c>: false where it would throw.</summary>
    public static bool TryParse(string text, out object? value)
    {
        var parser = new Parser(text);
        try
        {
            parser.SkipWhitespace();
            value = parser.ParseValue(0);
            parser.SkipWhitespace();
            if (parser.Position == text.Length)
            {
                return true;
            }
        }
        catch (FormatException)
        {
            // Not JSON; JSON.parse would throw a SyntaxError.
        }

        value = null;
        return false;
    }

    /// <summary><c>JSON.stringify(value)</c>; with <paramref name="sortKeys"/>, autoevals' key-sorting replacer.</summary>
    public static string Stringify(object? value, bool sortKeys = false)
    {
        var builder = new StringBuilder();
        Write(builder, value, sortKeys);
        return builder.ToString();
    }

    /// <summary>
    /// <c>`${value}`</c>: strings as they are, numbers as <see cref="JsNumber"/>, <c>true</c>/<c>false</c>, <c>null</c>,
    /// arrays joined with commas (null elements empty, nested arrays flattened) and objects as <c>[object Object]</c>.
    /// </summary>
    public static string ToText(object? value) => value switch
    {
        null => "null",
        string s => s,
        double d => JsNumber.ToString(d),
        bool b => b ? "true" : "false",
        List<object?> array => string.Join(",", array.Select(item => item is null ? string.Empty : ToText(item))),
        _ => "[object Object]",
    };

    /// <summary>JavaScript's <c>typeof value === "object"</c>: objects, arrays and null.</summary>
    public static bool IsObjectLike(object? value) => value is null or JsObject or List<object?>;

    private static void Write(StringBuilder builder, object? value, bool sortKeys)
    {
        switch (value)
        {
            case null:
                builder.Append("null");
                break;
            case string s:
                WriteString(builder, s);
                break;
            case double d:
                builder.Append(double.IsFinite(d) ? JsNumber.ToString(d) : "null");
                break;
            case bool b:
                builder.Append(b ? "true" : "false");
                break;
            case List<object?> array:
                builder.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(',');
                    }

                    Write(builder, array[i], sortKeys);
                }

                builder.Append(']');
                break;
            case JsObject obj:
                builder.Append('{');
                var first = true;
                foreach (var key in sortKeys ? SortedKeys(obj) : obj.Keys)
                {
                    if (!first)
                    {
                        builder.Append(',');
                    }

                    first = false;
                    WriteString(builder, key);
                    builder.Append(':');
                    obj.TryGetValue(key, out var item);
                    Write(builder, item, sortKeys);
                }

                builder.Append('}');
                break;
            default:
                throw new ArgumentException($"not a JavaScript JSON value: {value.GetType().Name}", nameof(value));
        }
    }

    // autoevals' replacer re-inserts the keys sorted by UTF-16 code units into a new object, where JavaScript then
    // puts array-index keys first again, in numeric order.
    private static IEnumerable<string> SortedKeys(JsObject obj)
    {
        var sorted = obj.Keys.Order(StringComparer.Ordinal).ToList();
        var index = sorted.Where(k => JsObject.TryGetArrayIndex(k, out _)).OrderBy(k => { JsObject.TryGetArrayIndex(k, out var i); return i; });
        return index.Concat(sorted.Where(k => !JsObject.TryGetArrayIndex(k, out _)));
    }

    private static void WriteString(StringBuilder builder, string s)
    {
        builder.Append('"');
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (c < 0x20 || (char.IsSurrogate(c) && !IsPairedSurrogate(s, i)))
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }

    private static bool IsPairedSurrogate(string s, int i) =>
        char.IsHighSurrogate(s[i]) ? i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])
        : i > 0 && char.IsHighSurrogate(s[i - 1]);

    private sealed class Parser(string text)
    {
        public int Position { get; private set; }

        public void SkipWhitespace()
        {
            while (Position < text.Length && text[Position] is ' ' or '\t' or '\n' or '\r')
            {
                Position++;
            }
        }

        public object? ParseValue(int depth)
        {
            if (depth > MaxDepth || Position >= text.Length)
            {
                throw new FormatException();
            }

            switch (text[Position])
            {
                case '{': return ParseObject(depth);
                case '[': return ParseArray(depth);
                case '"': return ParseString();
                case 't': Expect("true"); return true;
                case 'f': Expect("false"); return false;
                case 'n': Expect("null"); return null;
                default: return ParseNumber();
            }
        }

        private JsObject ParseObject(int depth)
        {
            Position++;
            var obj = new JsObject();
            SkipWhitespace();
            if (Peek() == '}')
            {
                Position++;
                return obj;
            }

            while (true)
            {
                SkipWhitespace();
                if (Peek() != '"')
                {
                    throw new FormatException();
                }

                var key = ParseString();
                SkipWhitespace();
                if (Peek() != ':')
                {
                    throw new FormatException();
                }

                Position++;
                SkipWhitespace();
                obj.Set(key, ParseValue(depth + 1));
                SkipWhitespace();
                var next = Peek();
                Position++;
                if (next == '}')
                {
                    return obj;
                }

                if (next != ',')
                {
                    throw new FormatException();
                }
            }
        }

        private List<object?> ParseArray(int depth)
        {
            Position++;
            var array = new List<object?>();
            SkipWhitespace();
            if (Peek() == ']')
            {
                Position++;
                return array;
            }

            while (true)
            {
                SkipWhitespace();
                array.Add(ParseValue(depth + 1));
                SkipWhitespace();
                var next = Peek();
                Position++;
                if (next == ']')
                {
                    return array;
                }

                if (next != ',')
                {
                    throw new FormatException();
                }
            }
        }

        private string ParseString()
        {
            Position++;
            var builder = new StringBuilder();
            while (true)
            {
                if (Position >= text.Length)
                {
                    throw new FormatException();
                }

                var c = text[Position++];
                if (c == '"')
                {
                    return builder.ToString();
                }

                if (c < 0x20)
                {
                    throw new FormatException();
                }

                if (c != '\\')
                {
                    builder.Append(c);
                    continue;
                }

                if (Position >= text.Length)
                {
                    throw new FormatException();
                }

                var escape = text[Position++];
                switch (escape)
                {
                    case '"': builder.Append('"'); break;
                    case '\\': builder.Append('\\'); break;
                    case '/': builder.Append('/'); break;
                    case 'b': builder.Append('\b'); break;
                    case 'f': builder.Append('\f'); break;
                    case 'n': builder.Append('\n'); break;
                    case 'r': builder.Append('\r'); break;
                    case 't': builder.Append('\t'); break;
                    case 'u':
                        if (Position + 4 > text.Length
                            || !int.TryParse(text.AsSpan(Position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                        {
                            throw new FormatException();
                        }

                        builder.Append((char)code);
                        Position += 4;
                        break;
                    default:
                        throw new FormatException();
                }
            }
        }

        private double ParseNumber()
        {
            var start = Position;
            if (Peek() == '-')
            {
                Position++;
            }

            if (Peek() == '0')
            {
                Position++;
            }
            else if (IsDigit(Peek()))
            {
                SkipDigits();
            }
            else
            {
                throw new FormatException();
            }

            if (Peek() == '.')
            {
                Position++;
                if (!IsDigit(Peek()))
                {
                    throw new FormatException();
                }

                SkipDigits();
            }

            if (Peek() is 'e' or 'E')
            {
                Position++;
                if (Peek() is '+' or '-')
                {
                    Position++;
                }

                if (!IsDigit(Peek()))
                {
                    throw new FormatException();
                }

                SkipDigits();
            }

            // Correctly rounded, and out-of-range magnitudes become Infinity or 0, as in JavaScript.
            return double.Parse(text.AsSpan(start, Position - start), NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        private void SkipDigits()
        {
            while (IsDigit(Peek()))
            {
                Position++;
            }
        }

        private static bool IsDigit(char c) => c is >= '0' and <= '9';

        private char Peek() => Position < text.Length ? text[Position] : '\0';

        private void Expect(string literal)
        {
            if (string.CompareOrdinal(text, Position, literal, 0, literal.Length) != 0)
            {
                throw new FormatException();
            }

            Position += literal.Length;
        }
    }
}
