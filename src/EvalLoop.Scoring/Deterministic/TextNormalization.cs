using System.Text;

namespace EvalLoop.Scoring.Deterministic;

/// <summary>
/// The normalisations text scorers offer, applied to both output and expected. All are off by default, so a scorer
/// with no options compares text exactly.
/// </summary>
public sealed record TextNormalization(bool Trim, bool IgnoreCase, bool CollapseWhitespace, bool IgnorePunctuation)
{
    public static readonly string[] OptionNames = ["trim", "case_sensitive", "normalize_whitespace", "ignore_punctuation"];

    public static TextNormalization From(ScorerOptions options) => new(
        Trim: options.GetBool("trim", false),
        IgnoreCase: !options.GetBool("case_sensitive", true),
        CollapseWhitespace: options.GetBool("normalize_whitespace", false),
        IgnorePunctuation: options.GetBool("ignore_punctuation", false));

    public bool IsIdentity => !Trim && !IgnoreCase && !CollapseWhitespace && !IgnorePunctuation;

    public string Apply(string text)
    {
        if (IsIdentity)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (IgnorePunctuation && (char.IsPunctuation(c) || char.IsSymbol(c)))
            {
                continue;
            }

            if (CollapseWhitespace && char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(IgnoreCase ? char.ToLowerInvariant(c) : c);
        }

        var result = builder.ToString();
        return Trim || CollapseWhitespace ? result.Trim() : result;
    }

    public string Describe()
    {
        var parts = new List<string>();
        if (Trim)
        {
            parts.Add("trimmed");
        }

        if (IgnoreCase)
        {
            parts.Add("case-insensitive");
        }

        if (CollapseWhitespace)
        {
            parts.Add("whitespace-normalised");
        }

        if (IgnorePunctuation)
        {
            parts.Add("punctuation ignored");
        }

        return parts.Count == 0 ? "exact" : string.Join(", ", parts);
    }
}
