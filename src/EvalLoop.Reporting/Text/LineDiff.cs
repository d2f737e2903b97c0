namespace EvalLoop.Reporting.Text;

/// <summary>
/// A line diff (longest common subsequence) for prompts: small texts, where a clear minimal diff matters more than
/// speed. Common leading and trailing lines are matched first; if what is left is still too large for the quadratic
/// table, it is shown as removed then added.
/// </summary>
internal static class LineDiff
{
    private const long MaxCells = 4_000_000;

    public static IReadOnlyList<DiffLine> Compute(string? before, string? after)
    {
        var a = SplitLines(before);
        var b = SplitLines(after);
        var result = new List<DiffLine>(a.Length + b.Length);

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

        for (var i = 0; i < prefix; i++)
        {
            result.Add(new DiffLine(DiffKind.Same, a[i]));
        }

        var midA = a.AsSpan(prefix, a.Length - prefix - suffix).ToArray();
        var midB = b.AsSpan(prefix, b.Length - prefix - suffix).ToArray();
        if ((long)midA.Length * midB.Length > MaxCells)
        {
            result.AddRange(midA.Select(line => new DiffLine(DiffKind.Removed, line)));
            result.AddRange(midB.Select(line => new DiffLine(DiffKind.Added, line)));
        }
        else
        {
            AddLcsDiff(midA, midB, result);
        }

        for (var i = a.Length - suffix; i < a.Length; i++)
        {
            result.Add(new DiffLine(DiffKind.Same, a[i]));
        }

        return result;
    }

    private static void AddLcsDiff(string[] a, string[] b, List<DiffLine> result)
    {
        // lengths[i, j] = LCS length of a[i..] and b[j..].
        var lengths = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lengths[i, j] = a[i] == b[j] ? lengths[i + 1, j + 1] + 1 : Math.Max(lengths[i + 1, j], lengths[i, j + 1]);
            }
        }

        int x = 0, y = 0;
        while (x < a.Length && y < b.Length)
        {
            if (a[x] == b[y])
            {
                result.Add(new DiffLine(DiffKind.Same, a[x]));
                x++;
                y++;
            }
            else if (lengths[x + 1, y] >= lengths[x, y + 1])
            {
                result.Add(new DiffLine(DiffKind.Removed, a[x++]));
            }
            else
            {
                result.Add(new DiffLine(DiffKind.Added, b[y++]));
            }
        }

        while (x < a.Length)
        {
            result.Add(new DiffLine(DiffKind.Removed, a[x++]));
        }

        while (y < b.Length)
        {
            result.Add(new DiffLine(DiffKind.Added, b[y++]));
        }
    }

    private static string[] SplitLines(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var lines = text.ReplaceLineEndings("\n").Split('\n');

        // A final newline ends the last line; it does not start an empty one.
        return lines.Length > 0 && lines[^1].Length == 0 ? lines[..^1] : lines;
    }
}
