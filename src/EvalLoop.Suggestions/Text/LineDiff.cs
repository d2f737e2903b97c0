using System.Text;

namespace EvalLoop.Suggestions.Text;

/// <summary>
/// A unified line diff (<c>diff -u</c> style, with a few lines of context around each change) from a longest
/// common subsequence of lines. Prompts are at most a few thousand lines, so the quadratic table is small; beyond
/// <see cref="MaxCells"/> it falls back to "everything removed, everything added" rather than allocate without bound.
/// </summary>
public static class LineDiff
{
    public const long MaxCells = 25_000_000;

    /// <summary>One line of a diff: <c>' '</c> kept, <c>'-'</c> removed, <c>'+'</c> added.</summary>
    public readonly record struct Line(char Op, string Text);

    /// <summary>Every line of both texts, in order, marked kept, removed or added.</summary>
    public static IReadOnlyList<Line> Compute(string before, string after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var a = SplitLines(before);
        var b = SplitLines(after);

        // Common prefix and suffix first: a prompt edit usually touches one place.
        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix])
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[a.Length - 1 - suffix] == b[b.Length - 1 - suffix])
        {
            suffix++;
        }

        var result = new List<Line>(a.Length + b.Length);
        for (var i = 0; i < prefix; i++)
        {
            result.Add(new Line(' ', a[i]));
        }

        var n = a.Length - prefix - suffix;
        var m = b.Length - prefix - suffix;
        if ((long)(n + 1) * (m + 1) > MaxCells)
        {
            for (var i = 0; i < n; i++)
            {
                result.Add(new Line('-', a[prefix + i]));
            }

            for (var j = 0; j < m; j++)
            {
                result.Add(new Line('+', b[prefix + j]));
            }
        }
        else
        {
            // lcs[i, j]: length of the LCS of a[i..n) and b[j..m) (middle parts only).
            var lcs = new int[n + 1, m + 1];
            for (var i = n - 1; i >= 0; i--)
            {
                for (var j = m - 1; j >= 0; j--)
                {
                    lcs[i, j] = a[prefix + i] == b[prefix + j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
                }
            }

            int x = 0, y = 0;
            while (x < n || y < m)
            {
                if (x < n && y < m && a[prefix + x] == b[prefix + y])
                {
                    result.Add(new Line(' ', a[prefix + x]));
                    x++;
                    y++;
                }
                else if (x < n && (y == m || lcs[x + 1, y] >= lcs[x, y + 1]))
                {
                    // Removals before additions, as diff -u prints a replaced line.
                    result.Add(new Line('-', a[prefix + x]));
                    x++;
                }
                else
                {
                    result.Add(new Line('+', b[prefix + y]));
                    y++;
                }
            }
        }

        for (var i = a.Length - suffix; i < a.Length; i++)
        {
            result.Add(new Line(' ', a[i]));
        }

        return result;
    }

    /// <summary>The diff as unified-diff text with hunk headers; empty when the texts are equal.</summary>
    public static string Unified(string before, string after, string fromLabel = "current", string toLabel = "proposed", int context = 3)
    {
        var lines = Compute(before, after);
        if (lines.All(l => l.Op == ' '))
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        text.Append("--- ").Append(fromLabel).Append('\n').Append("+++ ").Append(toLabel).Append('\n');
        var changed = lines.Select((l, i) => (l, i)).Where(t => t.l.Op != ' ').Select(t => t.i).ToList();
        var index = 0;
        while (index < changed.Count)
        {
            var start = Math.Max(0, changed[index] - context);
            var end = Math.Min(lines.Count - 1, changed[index] + context);
            while (index + 1 < changed.Count && changed[index + 1] - context <= end + 1)
            {
                index++;
                end = Math.Min(lines.Count - 1, changed[index] + context);
            }

            var oldStart = 1 + lines.Take(start).Count(l => l.Op != '+');
            var newStart = 1 + lines.Take(start).Count(l => l.Op != '-');
            var hunk = lines.Skip(start).Take(end - start + 1).ToList();
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"@@ -{oldStart},{hunk.Count(l => l.Op != '+')} +{newStart},{hunk.Count(l => l.Op != '-')} @@\n");
            foreach (var line in hunk)
            {
                text.Append(line.Op).Append(line.Text).Append('\n');
            }

            index++;
        }

        return text.ToString();
    }

    private static string[] SplitLines(string text) =>
        text.Length == 0 ? [] : text.TrimEnd('\n').Split('\n');
}
