namespace EvalLoop.Models.Offline;

/// <summary>
/// The offline model's token approximation: every run of letters and digits is one token, and so is every other
/// character that is not white space ("Can't pay!" is 5 tokens: Can ' t pay !). Real tokenizers split long or rare
/// words further, so this undercounts English text by roughly a fifth; it is meant for usage tracking and budget tests,
/// not billing.
/// </summary>
internal static class OfflineTokenCounter
{
    public static long Count(ReadOnlySpan<char> text)
    {
        long count = 0;
        var inWord = false;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                if (!inWord)
                {
                    count++;
                    inWord = true;
                }
            }
            else
            {
                inWord = false;
                if (!char.IsWhiteSpace(c))
                {
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>The longest prefix of <paramref name="text"/> that holds at most <paramref name="maxTokens"/> tokens, trimmed.</summary>
    public static string Truncate(string text, int maxTokens, out bool truncated)
    {
        long count = 0;
        var inWord = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var startsToken = char.IsLetterOrDigit(c) ? !inWord : !char.IsWhiteSpace(c);
            inWord = char.IsLetterOrDigit(c);
            if (startsToken && ++count > maxTokens)
            {
                truncated = true;
                return text[..i].TrimEnd();
            }
        }

        truncated = false;
        return text;
    }
}
