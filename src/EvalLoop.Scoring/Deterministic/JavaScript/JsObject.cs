namespace EvalLoop.Scoring.Deterministic.JavaScript;

/// <summary>
/// A JSON object with JavaScript's own-property order, as <c>JSON.parse</c> builds it: keys that are array indices
/// (canonical integers 0 .. 2^32-2) come first in ascending numeric order, then every other key in the order it was
/// first created. Setting an existing key replaces its value and keeps its position (a duplicate key in JSON text).
/// </summary>
/// <remarks>Values are JavaScript values as <see cref="JsJson"/> models them: null, string, double, bool, <see cref="JsObject"/> or <c>List&lt;object?&gt;</c>.</remarks>
public sealed class JsObject
{
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);
    private readonly List<string> _stringKeys = [];
    private readonly SortedList<uint, string> _indexKeys = [];

    public int Count => _values.Count;

    /// <summary>The keys in JavaScript's <c>Object.keys</c> order.</summary>
    public IEnumerable<string> Keys => _indexKeys.Values.Concat(_stringKeys);

    public void Set(string key, object? value)
    {
        if (_values.TryAdd(key, value))
        {
            if (TryGetArrayIndex(key, out var index))
            {
                _indexKeys.Add(index, key);
            }
            else
            {
                _stringKeys.Add(key);
            }

            return;
        }

        _values[key] = value;
    }

    public bool TryGetValue(string key, out object? value) => _values.TryGetValue(key, out value);

    /// <summary>
    /// True for a canonical numeric string that is an array index: "0", or digits without a leading zero, up to
    /// 4294967294. Such keys are ordered numerically before all others in every JavaScript object.
    /// </summary>
    public static bool TryGetArrayIndex(string key, out uint index)
    {
        index = 0;
        if (key.Length is 0 or > 10 || (key.Length > 1 && key[0] == '0'))
        {
            return false;
        }

        ulong value = 0;
        foreach (var c in key)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            value = (value * 10) + (ulong)(c - '0');
        }

        if (value > 4294967294UL)
        {
            return false;
        }

        index = (uint)value;
        return true;
    }
}
