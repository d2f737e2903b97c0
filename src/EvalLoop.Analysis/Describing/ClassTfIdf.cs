using System.Collections.Frozen;
using System.Text;

namespace EvalLoop.Analysis.Describing;

/// <summary>
/// Class-based TF-IDF (as in BERTopic): every cluster is one document made of its members' texts, and a term scores
/// <c>tf(t, c) · log(1 + A / f(t))</c>, where tf is the term's share of the cluster's terms, f(t) its count over all
/// clusters and A the mean number of terms per cluster. Terms frequent in one cluster and rare elsewhere rank first.
/// </summary>
internal static class ClassTfIdf
{
    /// <summary>Longer texts are read only this far: distinctive words show up early, and the cost stays linear.</summary>
    private const int MaxCharactersPerText = 4_000;

    private const int MaxTermLength = 30;

    private static readonly FrozenSet<string> StopWords = FrozenSet.Create(
        StringComparer.Ordinal,
        "a", "an", "the", "is", "are", "am", "was", "were", "be", "been", "being", "to", "of", "and", "or", "in", "on", "at",
        "for", "it", "its", "this", "that", "these", "those", "i", "im", "me", "my", "mine", "you", "your", "we", "our", "us",
        "do", "does", "did", "done", "so", "as", "by", "with", "there", "here", "please", "hi", "hello", "thanks", "thank",
        "can", "could", "would", "should", "will", "what", "how", "why", "when", "where", "which", "who", "if", "not", "no",
        "have", "has", "had", "but", "from", "get", "got", "just", "any", "some", "all", "about", "into", "than", "then",
        "them", "they", "their", "he", "she", "his", "her", "him", "up", "out", "one", "also", "need", "want", "still",
        "yet", "very", "too", "much", "many", "more", "most", "only", "own", "same", "other", "such", "again", "dont", "cant");

    /// <summary>The <paramref name="top"/> most distinctive terms of each class (each a list of its members' texts).</summary>
    /// <param name="minimumDocumentShare">A term must occur in at least this share of a class's texts (and in two, when the class has two) to be listed.</param>
    public static IReadOnlyList<IReadOnlyList<string>> TopTerms(IReadOnlyList<IReadOnlyList<string>> classes, int top, double minimumDocumentShare = 0.1)
    {
        ArgumentNullException.ThrowIfNull(classes);
        var counts = new List<Dictionary<string, (int Count, int Documents)>>(classes.Count);
        var totals = new int[classes.Count];
        var overall = new Dictionary<string, int>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var c = 0; c < classes.Count; c++)
        {
            var terms = new Dictionary<string, (int Count, int Documents)>(StringComparer.Ordinal);
            foreach (var text in classes[c])
            {
                seen.Clear();
                foreach (var term in Tokenize(text))
                {
                    var first = seen.Add(term);
                    terms[term] = terms.TryGetValue(term, out var entry)
                        ? (entry.Count + 1, entry.Documents + (first ? 1 : 0))
                        : (1, 1);
                    overall[term] = overall.GetValueOrDefault(term) + 1;
                    totals[c]++;
                }
            }

            counts.Add(terms);
        }

        var average = classes.Count == 0 ? 0 : totals.Sum() / (double)classes.Count;
        var result = new List<IReadOnlyList<string>>(classes.Count);
        for (var c = 0; c < classes.Count; c++)
        {
            var documents = classes[c].Count;
            var minimumDocuments = Math.Max(Math.Min(2, documents), (int)Math.Ceiling(minimumDocumentShare * documents));
            var total = Math.Max(1, totals[c]);
            result.Add(counts[c]
                .Where(kv => kv.Value.Documents >= minimumDocuments)
                .Select(kv => (Term: kv.Key, Score: kv.Value.Count / (double)total * Math.Log(1 + (average / overall[kv.Key]))))
                .OrderByDescending(t => t.Score)
                .ThenBy(t => t.Term, StringComparer.Ordinal)
                .Take(top)
                .Select(t => t.Term)
                .ToList());
        }

        return result;
    }

    /// <summary>Lower-cased runs of letters and digits (any script), without stop words, numbers and single letters.</summary>
    internal static IEnumerable<string> Tokenize(string text)
    {
        var builder = new StringBuilder();
        var end = Math.Min(text.Length, MaxCharactersPerText);
        for (var i = 0; i <= end; i++)
        {
            var c = i < end ? text[i] : ' ';
            if (char.IsLetterOrDigit(c))
            {
                if (builder.Length < MaxTermLength)
                {
                    builder.Append(char.ToLowerInvariant(c));
                }

                continue;
            }

            if ((c is '\'' or '\u2019') && builder.Length > 0 && i + 1 < end && char.IsLetter(text[i + 1]))
            {
                continue; // "can't" is one word
            }

            if (builder.Length > 0)
            {
                var term = builder.ToString();
                builder.Clear();
                if (Keep(term))
                {
                    yield return term;
                }
            }
        }

        static bool Keep(string term) =>
            !StopWords.Contains(term)
            && !term.All(char.IsDigit)
            && (term.Length >= 3 || term.Any(c => c > 0x2E80)); // a single CJK character is a word
    }
}
