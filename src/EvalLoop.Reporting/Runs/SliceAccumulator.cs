using System.Globalization;
using System.Text.Json;
using EvalLoop.Reporting.Charts;

namespace EvalLoop.Reporting.Runs;

/// <summary>
/// Counts results and passes per value of each metadata key while the results stream by, in bounded memory: a key
/// stops being counted as soon as it looks like an id (too many distinct values, or long values).
/// </summary>
internal sealed class SliceAccumulator(int maxValues)
{
    private const int MaxValueLength = 80;

    private readonly Dictionary<string, Dictionary<string, int[]>> _keys = new(StringComparer.Ordinal);
    private readonly HashSet<string> _rejected = new(StringComparer.Ordinal);
    private int _rows;

    public void Add(JsonElement? metadata, bool passed)
    {
        _rows++;
        if (metadata is not { ValueKind: JsonValueKind.Object } data)
        {
            return;
        }

        foreach (var property in data.EnumerateObject())
        {
            if (_rejected.Contains(property.Name))
            {
                continue;
            }

            switch (property.Value.ValueKind)
            {
                case JsonValueKind.Array:
                    // Tags: each element is a slice of its own.
                    foreach (var item in property.Value.EnumerateArray())
                    {
                        if (!Count(property.Name, item, passed))
                        {
                            break;
                        }
                    }

                    break;
                default:
                    Count(property.Name, property.Value, passed);
                    break;
            }
        }
    }

    /// <summary>
    /// Up to <paramref name="maxCharts"/> keys that split the results into at least two groups (and not into one group
    /// per result), the key whose groups' pass rates differ most first; each with its worst <paramref name="maxSlices"/> values.
    /// </summary>
    public IReadOnlyList<SliceChartData> Result(int maxCharts, int maxSlices)
    {
        var charts = new List<(double Spread, SliceChartData Data)>();
        foreach (var (key, values) in _keys)
        {
            if (_rejected.Contains(key) || values.Count < 2 || values.Count > Math.Max(2, _rows / 2) || values.Values.All(v => v[0] == 1))
            {
                continue;
            }

            var slices = values.Select(kv => new SliceRate(kv.Key, kv.Value[0], kv.Value[1])).ToList();
            var total = slices.Sum(s => s.Cases);
            var overall = (double)slices.Sum(s => s.Passed) / total;

            // Between-group variance of the pass rate: how much knowing the value tells about passing.
            var spread = slices.Sum(s => s.Cases * (s.Rate - overall) * (s.Rate - overall)) / total;
            var worst = slices
                .OrderBy(s => s.Rate)
                .ThenByDescending(s => s.Cases)
                .ThenBy(s => s.Value, StringComparer.Ordinal)
                .Take(maxSlices)
                .ToList();
            charts.Add((spread, new SliceChartData(key, worst, values.Count)));
        }

        return charts
            .OrderByDescending(c => c.Spread)
            .ThenBy(c => c.Data.TotalValues)
            .ThenBy(c => c.Data.Key, StringComparer.Ordinal)
            .Take(maxCharts)
            .Select(c => c.Data)
            .ToList();
    }

    private bool Count(string key, JsonElement value, bool passed)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
        if (text is null)
        {
            return true;
        }

        if (text.Length > MaxValueLength)
        {
            Reject(key);
            return false;
        }

        if (!_keys.TryGetValue(key, out var values))
        {
            values = new Dictionary<string, int[]>(StringComparer.Ordinal);
            _keys[key] = values;
        }

        if (!values.TryGetValue(text, out var counts))
        {
            if (values.Count >= maxValues)
            {
                Reject(key);
                return false;
            }

            counts = new int[2];
            values[text] = counts;
        }

        counts[0]++;
        if (passed)
        {
            counts[1]++;
        }

        return true;
    }

    private void Reject(string key)
    {
        _rejected.Add(key);
        _keys.Remove(key);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{_keys.Count} slice keys over {_rows} rows");
}
